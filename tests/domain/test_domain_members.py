"""How entitlement records resolve into the plan in force: lanes, revokes, expiry, seats."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsdesk.domain.access import Plan
from newsdesk.domain.members import (
    EntitlementAction,
    EntitlementRecord,
    PlanState,
    SeatClaim,
    effective_plan,
    resolve_plan,
)

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
GRANT, REVOKE = EntitlementAction.GRANT, EntitlementAction.REVOKE


def grant(plan, *, at, until=None, source="admin", seats=0, id=None):
    return EntitlementRecord(1, GRANT, source, at, plan=plan, until=until, seats=seats, id=id)


def revoke(*, at, source="admin", id=None):
    return EntitlementRecord(1, REVOKE, source, at, id=id)


def test_no_records_is_free():
    assert resolve_plan([], NOW) == PlanState()
    assert resolve_plan([], NOW).plan is Plan.FREE


def test_a_grant_holds_until_its_end_then_lapses():
    records = [grant(Plan.PRO, at=NOW - DAY, until=NOW + DAY, id=1)]
    state = resolve_plan(records, NOW)
    assert (state.plan, state.until, state.source, state.record_id) == (
        Plan.PRO,
        NOW + DAY,
        "admin",
        1,
    )
    assert resolve_plan(records, NOW + DAY).plan is Plan.FREE
    assert resolve_plan(records, NOW + DAY - timedelta(seconds=1)).plan is Plan.PRO


def test_a_later_manual_grant_replaces_the_earlier_one_downgrade_included():
    records = [
        grant(Plan.PRO, at=NOW - 2 * DAY),
        grant(Plan.FREE, at=NOW - DAY, source="cli"),
    ]
    assert resolve_plan(records, NOW).plan is Plan.FREE


def test_records_in_the_future_are_not_in_force_yet():
    records = [grant(Plan.PRO, at=NOW - DAY), revoke(at=NOW + DAY)]
    assert resolve_plan(records, NOW).plan is Plan.PRO
    assert resolve_plan(records, NOW + 2 * DAY).plan is Plan.FREE


def test_order_is_by_time_then_id_whatever_order_records_come_in():
    records = [
        revoke(at=NOW - DAY, id=3),
        grant(Plan.PRO, at=NOW - DAY, id=2),
        grant(Plan.TEAM, at=NOW - 2 * DAY, seats=3, id=1),
    ]
    assert resolve_plan(records, NOW).plan is Plan.FREE  # revoke id 3 came after grant id 2
    assert resolve_plan(list(reversed(records)), NOW).plan is Plan.FREE


def test_a_payment_lapse_does_not_end_a_complimentary_grant():
    records = [
        grant(Plan.PRO, at=NOW - 10 * DAY, until=NOW + 30 * DAY, source="admin"),
        grant(Plan.PRO, at=NOW - 5 * DAY, until=NOW + 300 * DAY, source="stripe"),
        revoke(at=NOW - DAY, source="stripe"),
    ]
    state = resolve_plan(records, NOW)
    assert (state.plan, state.source, state.until) == (Plan.PRO, "admin", NOW + 30 * DAY)


def test_an_admin_revoke_ends_every_lane_until_the_next_payment_event():
    records = [
        grant(Plan.PRO, at=NOW - 5 * DAY, until=NOW + 30 * DAY, source="stripe"),
        grant(Plan.PRO, at=NOW - 4 * DAY, source="admin"),
        revoke(at=NOW - DAY, source="admin"),
    ]
    assert resolve_plan(records, NOW).plan is Plan.FREE
    renewed = [*records, grant(Plan.PRO, at=NOW, until=NOW + 30 * DAY, source="stripe")]
    assert resolve_plan(renewed, NOW).plan is Plan.PRO


def test_the_best_plan_in_force_wins_and_a_longer_one_breaks_ties():
    records = [
        grant(Plan.PRO, at=NOW - DAY, until=NOW + 5 * DAY, source="stripe"),
        grant(Plan.TEAM, at=NOW - DAY, until=NOW + DAY, source="admin", seats=4),
    ]
    state = resolve_plan(records, NOW)
    assert (state.plan, state.seats) == (Plan.TEAM, 4)
    assert resolve_plan(records, NOW + 2 * DAY).plan is Plan.PRO
    tie = [
        grant(Plan.PRO, at=NOW - DAY, until=NOW + 5 * DAY, source="stripe"),
        grant(Plan.PRO, at=NOW - DAY, until=None, source="admin"),
    ]
    assert resolve_plan(tie, NOW).until is None


def test_seat_records_do_not_change_the_holders_plan():
    records = [
        grant(Plan.PRO, at=NOW - DAY),
        EntitlementRecord(1, EntitlementAction.SEAT_ADDED, "team", NOW, detail="seat 4"),
    ]
    assert resolve_plan(records, NOW).plan is Plan.PRO


def team(seats, until=None):
    return PlanState(plan=Plan.TEAM, until=until, seats=seats, source="admin", record_id=9)


def test_a_seat_gives_team_within_the_owners_seats_only():
    own = PlanState()
    owner = team(3, until=NOW + DAY)  # the owner and two others
    assert effective_plan(own, [SeatClaim(7, owner, rank=0)]).plan is Plan.TEAM
    assert effective_plan(own, [SeatClaim(7, owner, rank=1)]).team_owner_id == 7
    assert effective_plan(own, [SeatClaim(7, owner, rank=2)]).plan is Plan.FREE
    seat = effective_plan(own, [SeatClaim(7, owner, rank=1)])
    assert seat.until == NOW + DAY


def test_a_seat_on_a_team_that_lapsed_to_pro_or_free_gives_nothing():
    own = PlanState()
    for owner in (PlanState(plan=Plan.PRO), PlanState()):
        assert effective_plan(own, [SeatClaim(7, owner, rank=0)]).plan is Plan.FREE


def test_a_members_own_better_plan_stays():
    own = PlanState(plan=Plan.TEAM, seats=10, source="admin")
    assert effective_plan(own, [SeatClaim(7, team(3), rank=0)]).team_owner_id is None
