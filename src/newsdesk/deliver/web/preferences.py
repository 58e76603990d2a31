"""GET/POST /preferences?token=: sectors, watched entities, delivery time and time zone,
pause, and a way out (the unsubscribe button posts to the one-click URL)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from newsdesk.deliver.links import PREFERENCES_PURPOSE, UNSUBSCRIBE_PURPOSE, subscriber_token
from newsdesk.deliver.subscriptions import (
    apply_preferences,
    parse_preferences,
    readable_link,
    timezone_names,
)
from newsdesk.deliver.web.common import (
    SubscribeContext,
    check_same_origin,
    client_ip,
    render_page,
)
from newsdesk.domain.models import utcnow
from newsdesk.domain.subscribers import Subscriber
from newsdesk.text.emails import mask_email

INVALID = (
    "This preferences link is not valid: it expired or was replaced by a newer one. Use the "
    "link in your latest email."
)
ENTITY_CHOICES = 30


def _entity_choices(store: Any, watched: tuple[str, ...]) -> list[tuple[str, str]]:
    """(id, name) of the most mentioned entities plus those already watched."""
    names: dict[str, str] = {}
    list_entities = getattr(store, "list_entities", None)
    if list_entities is not None:
        for summary in list_entities(limit=ENTITY_CHOICES):
            names[summary.entity.id] = summary.entity.name
    for entity_id in watched:
        names.setdefault(entity_id, entity_id)
    return sorted(names.items(), key=lambda item: item[1].lower())


def _page(
    context: SubscribeContext,
    token: str,
    subscriber: Subscriber,
    **extra: Any,
) -> dict[str, Any]:
    if subscriber.id is None:
        raise ValueError("a stored subscriber has an id")
    unsubscribe_token = subscriber_token(
        context.options.signing,
        UNSUBSCRIBE_PURPOSE,
        subscriber.id,
        version=subscriber.token_version,
    )
    return {
        "token": token,
        "subscriber": subscriber,
        "address": mask_email(subscriber.email),  # a forwarded link must not reveal it
        "unsubscribe_token": unsubscribe_token,
        "entity_choices": _entity_choices(context.store, subscriber.entities),
        "timezones": timezone_names(),
        **extra,
    }


def build_preferences_router(context: SubscribeContext) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    options = context.options

    @router.get("/preferences")
    def preferences_page(request: Request, token: Annotated[str, Query()] = "") -> Response:
        access = readable_link(context.store, options, PREFERENCES_PURPOSE, token)
        if access is None:
            return render_page(request, "preferences.html", {"problem": INVALID}, status_code=400)
        # An older link of a subscriber who left shows only that (the template's first case).
        return render_page(request, "preferences.html", _page(context, token, access.subscriber))

    @router.post("/preferences")
    def preferences_save(
        request: Request,
        *,
        token: Annotated[str, Form()] = "",
        sectors: Annotated[list[str] | None, Form()] = None,
        entities: Annotated[list[str] | None, Form()] = None,
        delivery_time: Annotated[str, Form(max_length=10)] = "",
        timezone: Annotated[str, Form(max_length=64)] = "",
        paused: Annotated[str, Form(max_length=10)] = "",
    ) -> Response:
        check_same_origin(request, options)
        store = context.store
        access = readable_link(store, options, PREFERENCES_PURPOSE, token)
        if access is None:
            return render_page(request, "preferences.html", {"problem": INVALID}, status_code=400)
        subscriber = access.subscriber
        if not access.current:  # it left: nothing to change, the page says so
            return render_page(request, "preferences.html", _page(context, token, subscriber))
        change = parse_preferences(
            sectors=sectors or [],
            entities=entities or [],
            delivery_time=delivery_time,
            timezone=timezone,
            paused=paused.lower() in {"on", "yes", "true", "1"},
            known_sectors=options.sector_ids,
        )
        if change.problems:
            page = _page(context, token, subscriber, problems=change.problems)
            return render_page(request, "preferences.html", page, status_code=400)
        saved = apply_preferences(
            store, options, subscriber, change, ip=client_ip(request), now=utcnow()
        )
        page = _page(context, token, subscriber, saved=saved)
        return render_page(request, "preferences.html", page)

    return router
