"""The fetch path's per-request imports: none may search sys.path on every request."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from types import ModuleType

from httpcore._synchronization import current_async_library


class _Searches(MetaPathFinder):
    """Records every module the import system goes looking for (it finds none itself)."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> ModuleSpec | None:
        self.names.append(fullname)
        return None


def test_httpcore_tells_the_event_loop_without_searching_for_a_module() -> None:
    # httpcore asks sniffio which async library runs, four times per request; without sniffio
    # installed each ask was a failed import that searched every sys.path entry again.
    async def ask() -> list[str]:
        return [current_async_library() for _ in range(3)]

    searches = _Searches()
    sys.meta_path.insert(0, searches)
    try:
        answers = asyncio.run(ask())
    finally:
        sys.meta_path.remove(searches)
    assert answers == ["asyncio"] * 3
    assert "sniffio" not in searches.names
