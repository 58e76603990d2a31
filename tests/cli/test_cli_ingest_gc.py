"""`newsdesk ingest` keeps its start-up objects out of the collector's passes, and only while
it runs."""

from __future__ import annotations

import gc

from newsdesk.cli.ingest_cmd import _start_up_frozen


def test_start_up_is_frozen_while_the_command_runs_and_thawed_after() -> None:
    assert gc.get_freeze_count() == 0
    made_before = [object()]  # something start-up made, still referenced
    with _start_up_frozen():
        assert gc.get_freeze_count() > 0
        assert not any(o is made_before for o in gc.get_objects())  # not walked by passes
    assert gc.get_freeze_count() == 0
    assert any(o is made_before for o in gc.get_objects())
