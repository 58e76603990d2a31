"""Members, append-only entitlement records and team seats, on SQLite and PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from newsdesk.domain.access import Plan
from newsdesk.domain.leads import Lead
from newsdesk.domain.members import EntitlementAction, TokenKind
from newsdesk.store.schema import entitlements

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def test_ensure_member_creates_once_and_finds_by_address(store):
    alice = store.ensure_member("alice@example.com", now=NOW)
    again = store.ensure_member("alice@example.com", now=NOW + DAY)
    assert again == alice
    assert store.member_by_email("alice@example.com") == alice
    assert store.get_member(alice.id) == alice
    assert store.member_by_email("bob@example.com") is None
    assert [m.email for m in store.iter_members()] == ["alice@example.com"]


def test_concurrent_first_sign_ins_of_one_address_make_one_member(store):
    with ThreadPoolExecutor(4) as pool:
        found = list(pool.map(lambda _: store.ensure_member("x@example.com", now=NOW), range(8)))
    assert len({m.id for m in found}) == 1


def test_grants_and_revokes_are_appended_and_resolved(store):
    member = store.ensure_member("a@example.com", now=NOW)
    store.grant_plan(
        member.id,
        Plan.PRO,
        until=NOW + 30 * DAY,
        source="admin",
        reason="complimentary",
        actor="admin",
        now=NOW,
    )
    assert store.plan_of(member.id, NOW + DAY).plan is Plan.PRO
    assert store.plan_of(member.id, NOW + 31 * DAY).plan is Plan.FREE
    store.revoke_plan(member.id, source="cli", reason="ended early", actor="cli", now=NOW + DAY)
    assert store.plan_of(member.id, NOW + 2 * DAY).plan is Plan.FREE
    records = store.entitlement_records(member.id)
    assert [(r.action, r.source, r.reason, r.actor) for r in records] == [
        (EntitlementAction.GRANT, "admin", "complimentary", "admin"),
        (EntitlementAction.REVOKE, "cli", "ended early", "cli"),
    ]
    assert records[0].until == NOW + 30 * DAY
    assert store.has_entitlement_from(member.id, "admin")
    assert not store.has_entitlement_from(member.id, "trial")


def test_the_same_external_reference_is_recorded_once(store):
    member = store.ensure_member("a@example.com", now=NOW)

    def webhook(_: int) -> object:
        return store.grant_plan(
            member.id,
            Plan.PRO,
            until=NOW + 30 * DAY,
            source="stripe",
            reason="invoice.paid",
            actor="stripe",
            external_ref="evt_123",
            now=NOW,
        )

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(webhook, range(6)))
    assert sum(r is not None for r in results) == 1
    assert (
        store.revoke_plan(
            member.id, source="stripe", reason="x", actor="stripe", external_ref="evt_123", now=NOW
        )
        is None
    )
    with store.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(entitlements)).scalar() == 1


def test_grants_refuse_unknown_members_and_teams_without_seats(store):
    with pytest.raises(ValueError, match="no member"):
        store.grant_plan(999, Plan.PRO, until=None, source="cli", reason="", actor="", now=NOW)
    member = store.ensure_member("a@example.com", now=NOW)
    with pytest.raises(ValueError, match="seat"):
        store.grant_plan(
            member.id, Plan.TEAM, until=None, source="cli", reason="", actor="", now=NOW
        )


def _team(store, seats=3):
    owner = store.ensure_member("owner@example.com", now=NOW)
    store.grant_plan(
        owner.id,
        Plan.TEAM,
        until=NOW + 30 * DAY,
        seats=seats,
        source="admin",
        reason="",
        actor="admin",
        now=NOW,
    )
    return owner


def test_a_seat_gives_team_and_taking_it_back_ends_it_on_the_next_read(store):
    owner = _team(store)
    seat = store.add_team_seat(owner.id, "bob@example.com", now=NOW, actor="member 1", limit=2)
    assert seat is not None
    bob = store.ensure_member("bob@example.com", now=NOW)  # becomes a member after the invite
    state = store.plan_of(bob.id, NOW + DAY)
    assert (state.plan, state.team_owner_id, state.until) == (Plan.TEAM, owner.id, NOW + 30 * DAY)
    assert store.remove_team_seat(owner.id, seat.id, now=NOW + DAY, actor="member 1")
    assert not store.remove_team_seat(owner.id, seat.id, now=NOW + DAY, actor="member 1")
    assert store.plan_of(bob.id, NOW + DAY).plan is Plan.FREE
    actions = [r.action for r in store.entitlement_records(owner.id)]
    assert actions == [
        EntitlementAction.GRANT,
        EntitlementAction.SEAT_ADDED,
        EntitlementAction.SEAT_REMOVED,
    ]


def test_seats_are_limited_and_only_the_first_ones_count_after_a_smaller_plan(store):
    owner = _team(store, seats=3)
    for name in ("a", "b"):
        assert store.add_team_seat(owner.id, f"{name}@example.com", now=NOW, actor="o", limit=2)
    assert store.add_team_seat(owner.id, "c@example.com", now=NOW, actor="o", limit=2) is None
    assert store.add_team_seat(owner.id, "a@example.com", now=NOW, actor="o", limit=5) is None
    assert store.add_team_seat(owner.id, "owner@example.com", now=NOW, actor="o", limit=5) is None
    a = store.ensure_member("a@example.com", now=NOW)
    b = store.ensure_member("b@example.com", now=NOW)
    store.grant_plan(
        owner.id,
        Plan.TEAM,
        until=None,
        seats=2,
        source="admin",
        reason="fewer seats",
        actor="admin",
        now=NOW + DAY,
    )
    assert store.plan_of(a.id, NOW + 2 * DAY).plan is Plan.TEAM  # given first
    assert store.plan_of(b.id, NOW + 2 * DAY).plan is Plan.FREE


def test_a_seat_ends_when_the_owners_team_plan_lapses_or_is_downgraded(store):
    owner = _team(store)
    store.add_team_seat(owner.id, "bob@example.com", now=NOW, actor="o", limit=2)
    bob = store.ensure_member("bob@example.com", now=NOW)
    assert store.plan_of(bob.id, NOW + 31 * DAY).plan is Plan.FREE  # lapsed
    store.grant_plan(
        owner.id, Plan.PRO, until=None, source="admin", reason="", actor="", now=NOW + DAY
    )
    assert store.plan_of(bob.id, NOW + 2 * DAY).plan is Plan.FREE  # downgraded to pro


def test_deleting_an_account_erases_the_address_and_every_credential_at_once(store):
    owner = _team(store)
    member = store.ensure_member("gone@example.com", now=NOW)
    store.add_team_seat(owner.id, "gone@example.com", now=NOW, actor="o", limit=2)
    store.add_team_seat(member.id, "x@example.com", now=NOW, actor="o", limit=2)
    store.create_session(
        member.id, "h" * 64, now=NOW, expires_at=NOW + DAY, user_agent="ua", ip=None
    )
    store.add_member_token(
        member.id,
        TokenKind.API_KEY,
        prefix="ndk_AAAAAAAA",
        token_hash="k" * 64,
        name="k",
        scope="read",
        now=NOW,
    )
    assert store.delete_member(member.id, now=NOW, actor="member", reason="asked")
    assert not store.delete_member(member.id, now=NOW, actor="member", reason="asked")
    gone = store.get_member(member.id)
    assert gone is not None and gone.email is None and gone.deleted_at == NOW
    assert store.member_by_email("gone@example.com") is None
    assert store.session_member("h" * 64, now=NOW) is None
    assert store.token_member(TokenKind.API_KEY, "ndk_AAAAAAAA", now=NOW) is None
    assert store.team_seats(owner.id) == []
    assert store.team_seats(member.id) == []
    assert store.plan_of(member.id, NOW).plan is Plan.FREE
    assert store.entitlement_records(member.id)[-1].action is EntitlementAction.REVOKE
    with pytest.raises(ValueError, match="no member"):
        store.grant_plan(
            member.id, Plan.PRO, until=None, source="cli", reason="", actor="", now=NOW
        )
    again = store.ensure_member("gone@example.com", now=NOW + DAY)
    assert again.id != member.id  # a new account, with none of the old records
    assert store.entitlement_records(again.id) == []
    assert [m.id for m in store.iter_members()] == [owner.id, again.id]


def test_deleting_an_account_deletes_the_pro_leads_it_sent(store):
    member = store.ensure_member("gone@example.com", now=NOW)
    kept = store.ensure_member("kept@example.com", now=NOW)

    def lead(email: str, member_id: int | None) -> None:
        store.add_lead(
            Lead(
                name="N",
                email=email,
                company="C",
                message="call me",
                created_at=NOW,
                member_id=member_id,
            )
        )

    lead("gone@example.com", None)  # sent signed out, from the account's address
    lead("other@example.com", member.id)  # sent signed in, naming another address
    lead("kept@example.com", kept.id)
    assert store.delete_member(member.id, now=NOW, actor="member", reason="asked")
    assert [(x.email, x.member_id) for x in store.recent_leads()] == [("kept@example.com", kept.id)]
