"""The content version (migration 0015): one number that changes whenever a table a reading
page is read from changes, kept by database triggers. Web processes compare it on every
request to know whether a page they rendered a moment ago is still what the database says.
"""

from __future__ import annotations

from sqlalchemy import text

from newsdesk.store.base import StoreBase
from newsdesk.store.engine import read_connection

# The tables whose triggers bump it (the list migration 0015 created them for).
CONTENT_TABLES = (
    "sources",
    "stories",
    "articles",
    "enrichments",
    "article_sectors",
    "entities",
    "entity_mentions",
    "facts",
    "fact_sources",
    "related_articles",
)
_SQLITE = text("SELECT version FROM content_version WHERE id = 1")
# A sequence reads 1 both before and after its first nextval; is_called tells them apart.
_POSTGRES = text(
    "SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM content_version_seq"
)


class ContentVersionRepository(StoreBase):
    def content_version(self) -> int:
        """A number that differs after any committed change to the reading tables (one
        primary-key read; never the same number for two different contents)."""
        query = _POSTGRES if self.engine.dialect.name == "postgresql" else _SQLITE
        with read_connection(self.engine) as connection:
            return int(connection.execute(query).scalar_one())
