"""One answer to "can this database hold the job queue": `is_queue_database`, which
`workers status` (has_job_queue), `newsdesk worker` (conninfo_from_url) and the worker's store
(with_idle_transaction_timeout) all ask, so they cannot disagree about a URL."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from newsdesk.config import Settings
from newsdesk.queue import is_queue_database
from newsdesk.queue.procrastinate_queue import conninfo_from_url, with_idle_transaction_timeout
from newsdesk.workers.service import has_job_queue

QUEUE_URLS = [
    "postgresql://news:pw@db.example/newsdesk",
    "postgresql+psycopg://news:pw@db.example:5433/newsdesk",
    "postgresql+psycopg://news@/newsdesk?host=/run/postgresql",
]
NOT_QUEUE_URLS = [
    "sqlite:///tmp/newsdesk-data/newsdesk.db",
    "sqlite:///:memory:",
    "sqlite://",
    "",
    "garbage",
    "/tmp/newsdesk-data/newsdesk.db",
    "mysql+pymysql://news@db.example/newsdesk",
]


@pytest.mark.parametrize("url", QUEUE_URLS)
def test_postgresql_urls_hold_a_queue_everywhere(url: str) -> None:
    assert is_queue_database(url)
    assert has_job_queue(Settings(database_url=url))
    assert "dbname=newsdesk" in conninfo_from_url(url)
    options = make_url(with_idle_transaction_timeout(url, 60)).query["options"]
    assert options == "-c idle_in_transaction_session_timeout=60000"


@pytest.mark.parametrize("url", NOT_QUEUE_URLS)
def test_other_urls_hold_no_queue_everywhere(url: str) -> None:
    assert not is_queue_database(url)
    assert not has_job_queue(Settings(database_url=url))
    with pytest.raises(ValueError, match=r"the job queue .* needs PostgreSQL"):
        conninfo_from_url(url)
    assert with_idle_transaction_timeout(url, 60) == url


def test_postgres_scheme_urls_hold_a_queue_once_read_through_the_settings() -> None:
    raw = "postgres://news:pw@db.example/newsdesk"
    assert not is_queue_database(raw)  # SQLAlchemy alone does not read the scheme
    settings = Settings(database_url=raw)
    assert settings.store.sqlalchemy_url == "postgresql+psycopg://news:pw@db.example/newsdesk"
    assert has_job_queue(settings)
    assert "dbname=newsdesk" in conninfo_from_url(settings.store.sqlalchemy_url)
