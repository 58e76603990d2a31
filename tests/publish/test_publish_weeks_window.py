"""weeks_within: the one helper that cuts weekly series (trends, momentum, deal flow, entity
charts) to the reader's free window, counted from where the series end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsdesk.domain.access import ANONYMOUS, Plan, Resource, Viewer, ViewerKind, window_start
from newsdesk.publish.web.routes._analysis import weeks_within

NOW = datetime(2026, 12, 5, 17, 0, tzinfo=UTC)  # a Saturday


def test_the_window_is_counted_from_where_the_series_end() -> None:
    since = window_start(ANONYMOUS, Resource.TRENDS_HISTORY, NOW)
    assert since == NOW - timedelta(weeks=4)
    assert weeks_within(52, since, NOW) == 4  # this week and the three before start inside
    assert weeks_within(2, since, NOW) == 2
    pro = Viewer(ViewerKind.MEMBER, 1, Plan.PRO)
    assert weeks_within(52, window_start(pro, Resource.TRENDS_HISTORY, NOW), NOW) == 52
    # An idle site's series end ten weeks ago: all of it is history beyond the free window,
    # so only its newest week is shown (counting from the clock showed four weeks of it).
    assert weeks_within(52, since, NOW - timedelta(weeks=10)) == 1
