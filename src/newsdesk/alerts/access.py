"""May an alert's owner receive it now? One question, asked through the access policy
(domain.access.decide with Resource.ALERT) at delivery time: a member who lost Pro while
matches were waiting gets nothing more."""

from __future__ import annotations

from datetime import datetime

from newsdesk.alerts.ports import AlertOwners
from newsdesk.domain.access import DEFAULT_POLICY, AccessPolicy, Item, Resource, decide


def may_receive(
    owners: AlertOwners, member_id: int, now: datetime, policy: AccessPolicy = DEFAULT_POLICY
) -> bool:
    return decide(owners.viewer_of(member_id, now), Item(Resource.ALERT), now, policy).full
