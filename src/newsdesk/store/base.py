"""The base of every repository of SqlStore: the one engine they share, set in one place."""

from __future__ import annotations

from sqlalchemy import Engine


class StoreBase:
    """Holds the engine. Repositories (sources_repo, articles_repo, …) are mixins on it that
    add methods only; SqlStore combines them, so exactly one __init__ runs."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def close(self) -> None:
        self.engine.dispose()
