"""GET /admin/mail: the messages written to the mail folder when no SMTP server is configured
(the demo, a first install), each readable on a page of its own with its links clickable."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from markupsafe import Markup, escape

from newsdesk.deliver.web.common import SubscribeContext, render_page
from newsdesk.formats.disposition import attachment
from newsdesk.mail.outgoing import dropped_bytes, list_dropped, read_dropped

_URL = re.compile(r"https?://[^\s<>\"']+")


def linked_text(text: str) -> Markup:
    """text escaped, with each http(s) URL in it made a link (the links of a mail, clickable)."""
    pieces: list[str] = []
    position = 0
    for match in _URL.finditer(text):
        pieces.append(str(escape(text[position : match.start()])))
        url = escape(match.group(0))
        pieces.append(f'<a href="{url}" rel="noopener noreferrer">{url}</a>')
        position = match.end()
    pieces.append(str(escape(text[position:])))
    return Markup("".join(pieces))  # noqa: S704 - every piece above is escaped


def build_mail_router(context: SubscribeContext, admin: Callable[..., Any]) -> APIRouter:
    router = APIRouter(include_in_schema=False, dependencies=[Depends(admin)])
    smtp = context.options.smtp
    folder = None if smtp.host else smtp.drop_dir

    @router.get("/admin/mail")
    def mail_list(request: Request) -> Response:
        page = {"messages": list_dropped(folder), "folder": folder, "smtp_host": smtp.host}
        return render_page(request, "admin_mail.html", page)

    @router.get("/admin/mail/{name}")
    def mail_message(request: Request, name: str) -> Response:
        message = read_dropped(folder, name)
        if message is None:
            raise HTTPException(status_code=404, detail="no such message")
        page = {"message": message, "body": linked_text(message.text)}
        return render_page(request, "admin_mail_message.html", page)

    @router.get("/admin/mail/{name}/raw")
    def mail_raw(name: str) -> Response:
        raw = dropped_bytes(folder, name)
        if raw is None:
            raise HTTPException(status_code=404, detail="no such message")
        return Response(
            raw,
            media_type="message/rfc822",
            headers={
                "Content-Disposition": attachment(name),
                "Cache-Control": "no-store",
            },
        )

    return router
