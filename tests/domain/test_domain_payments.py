"""The payment webhook's pure decisions: which subscription state is newer, what a failed
payment does, until when the payment lane grants Pro, and when a record is appended."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.domain.access import Plan
from newsdesk.domain.members import EntitlementAction, EntitlementRecord, resolve_plan
from newsdesk.domain.payments import (
    CHECKOUT_HOLD,
    RENEWAL_SLACK,
    LaneChange,
    SubscriptionState,
    desired_until,
    is_newer,
    lane_change,
    last_of_lane,
    merge,
    payment_failed,
)

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
GRACE = timedelta(days=3)


def state(status="active", at=NOW, period_end=NOW + 30 * DAY, **kw) -> SubscriptionState:
    return SubscriptionState("sub_1", status, at, period_end=period_end, **kw)


def test_a_later_event_is_newer_and_an_earlier_one_stale():
    stored = state(at=NOW)
    assert is_newer(state("canceled", at=NOW + timedelta(seconds=1)), stored)
    assert not is_newer(state("active", at=NOW - timedelta(seconds=1)), stored)
    assert merge(stored, state("incomplete", at=NOW - DAY)) is None


def test_within_one_second_the_later_step_wins_and_the_same_state_is_no_news():
    incomplete = state("incomplete", period_end=NOW + 30 * DAY)
    active = state("active")
    assert is_newer(active, incomplete) and not is_newer(incomplete, active)
    assert is_newer(state("canceled"), active) and not is_newer(active, state("canceled"))
    renewed = state("active", period_end=NOW + 60 * DAY)
    assert is_newer(renewed, active) and not is_newer(active, renewed)
    assert merge(active, state("active")) is None  # a duplicate changes nothing


def test_a_provisional_state_yields_to_any_real_one_and_never_replaces_one():
    provisional = state(provisional=True, period_end=NOW + CHECKOUT_HOLD)
    older_real = state("incomplete", at=NOW - DAY)
    assert is_newer(older_real, provisional)
    assert not is_newer(replace(provisional, observed_at=NOW + DAY), older_real)


def test_merge_keeps_what_the_event_does_not_say_and_the_first_failure():
    stored = state("past_due", member_id=7, customer_id="cus_1", past_due_since=NOW - DAY)
    merged = merge(stored, state("past_due", at=NOW + DAY, period_end=NOW + 31 * DAY))
    assert merged is not None
    assert (merged.member_id, merged.customer_id) == (7, "cus_1")
    assert merged.past_due_since == NOW - DAY
    recovered = merge(merged, state("active", at=NOW + 2 * DAY))
    assert recovered is not None and recovered.past_due_since is None


def test_a_failed_payment_starts_the_grace_once():
    active = state()
    failed = payment_failed(active, NOW + DAY)
    assert failed is not None and failed.status == "past_due"
    assert failed.past_due_since == NOW + DAY
    again = payment_failed(failed, NOW + 2 * DAY)
    assert again is not None and again.past_due_since == NOW + DAY  # retries do not extend it
    assert payment_failed(active, NOW - DAY) is None  # older than what we know
    assert payment_failed(None, NOW) is None
    assert payment_failed(state("canceled"), NOW + DAY) is None
    assert payment_failed(state("incomplete"), NOW + DAY) is None  # the first payment: no Pro


@pytest.mark.parametrize(
    ("subscription", "expected"),
    [
        (state("active"), NOW + 30 * DAY + RENEWAL_SLACK),
        (state("trialing"), NOW + 30 * DAY + RENEWAL_SLACK),
        (state("active", cancel_at_period_end=True), NOW + 30 * DAY),
        (state("past_due", past_due_since=NOW - DAY), NOW - DAY + GRACE),
        (state("past_due", past_due_since=NOW - 5 * DAY), None),  # the grace is over
        (state("unpaid"), None),
        (state("canceled"), None),
        (state("incomplete"), None),
        (state("incomplete_expired"), None),
        (state("paused"), None),
        (state("something_new"), None),
        (state("active", period_end=NOW - 2 * DAY), None),
    ],
)
def test_until_when_a_state_grants_pro(subscription, expected):
    assert desired_until([subscription], NOW, grace=GRACE) == expected


def test_the_longest_of_a_members_subscriptions_counts():
    ended = state("canceled")
    running = replace(state("active", period_end=NOW + 10 * DAY), subscription_id="sub_2")
    assert desired_until([ended, running], NOW, grace=GRACE) == NOW + 10 * DAY + RENEWAL_SLACK


def record(action, *, source="stripe", until=None, at=NOW - DAY, plan=Plan.PRO):
    return EntitlementRecord(
        member_id=1,
        action=action,
        source=source,
        at=at,
        plan=plan if action is EntitlementAction.GRANT else None,
        until=until,
    )


def test_the_lane_changes_only_when_what_it_grants_changes():
    until = NOW + 30 * DAY
    granted = record(EntitlementAction.GRANT, until=until)
    assert lane_change(None, until, NOW) is LaneChange.GRANT
    assert lane_change(granted, until, NOW) is LaneChange.NONE
    assert lane_change(granted, until + DAY, NOW) is LaneChange.GRANT
    assert lane_change(granted, None, NOW) is LaneChange.REVOKE
    assert lane_change(record(EntitlementAction.REVOKE), None, NOW) is LaneChange.NONE
    lapsed = record(EntitlementAction.GRANT, until=NOW - timedelta(hours=1))
    assert lane_change(lapsed, None, NOW) is LaneChange.NONE
    assert lane_change(None, None, NOW) is LaneChange.NONE


def test_the_lane_is_read_from_payment_records_only():
    records = [
        record(EntitlementAction.GRANT, until=NOW + DAY, at=NOW - 3 * DAY),
        record(EntitlementAction.GRANT, source="admin", at=NOW - 2 * DAY),
        record(EntitlementAction.REVOKE, source="admin", at=NOW - DAY),
    ]
    assert last_of_lane(records, "stripe") == records[0]
    with pytest.raises(ValueError, match="not a payment source"):
        last_of_lane(records, "admin")


def test_an_admin_revoke_stands_against_a_repeated_state_not_against_a_renewal():
    until = NOW + 30 * DAY
    records = [
        record(EntitlementAction.GRANT, until=until, at=NOW - 2 * DAY),
        record(EntitlementAction.REVOKE, source="admin", at=NOW - DAY),
    ]
    assert resolve_plan(records, NOW).plan is Plan.FREE
    last = last_of_lane(records, "stripe")
    assert lane_change(last, until, NOW) is LaneChange.NONE  # the same state again
    assert lane_change(last, until + 30 * DAY, NOW) is LaneChange.GRANT  # a renewal
