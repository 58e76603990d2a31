"""`newsdesk ingest` keeps its start-up objects out of the collector's passes and collects its
youngest objects less often, and only while it runs."""

from __future__ import annotations

import gc

from newsdesk.cli.ingest_cmd import (
    YOUNG_COLLECTION_THRESHOLD,
    _start_up_frozen,
    _young_collected_rarely,
)


def test_start_up_is_frozen_while_the_command_runs_and_thawed_after() -> None:
    assert gc.get_freeze_count() == 0
    made_before = [object()]  # something start-up made, still referenced
    with _start_up_frozen():
        assert gc.get_freeze_count() > 0
        assert not any(o is made_before for o in gc.get_objects())  # not walked by passes
    assert gc.get_freeze_count() == 0
    assert any(o is made_before for o in gc.get_objects())


def test_young_objects_are_collected_less_often_while_the_command_runs() -> None:
    before = gc.get_threshold()
    with _young_collected_rarely():
        assert gc.get_threshold() == (YOUNG_COLLECTION_THRESHOLD, *before[1:])
    assert gc.get_threshold() == before
