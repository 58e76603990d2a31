"""Typed path parameters shared by the route modules: what a well-formed one looks like.

An id beyond what a row can hold is malformed input (422), not a lookup that overflows in
the database driver.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from newsdesk.domain.paging import MAX_ROW_ID

ArticleId = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="Stable article id")]
StoryId = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="Stable story id")]
