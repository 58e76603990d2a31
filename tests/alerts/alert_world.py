"""What the alert flow tests share: real members with their plans (as `newsdesk members add`
records them), articles enriched just now, and a loopback webhook receiver that records
every request and answers as told."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

from newsdesk.bootstrap.alerts import alert_owners
from newsdesk.domain.access import Plan, Viewer
from newsdesk.domain.enrichment import (
    Enrichment,
    EntityRecord,
    FactRecord,
    MentionRecord,
    SectorLabel,
)
from newsdesk.domain.models import Article, utcnow
from newsdesk.store import SqlStore


@dataclass
class Owners:
    """Real members in the store (the members package's entitlement API), seen by alerts the
    way `newsdesk run` sees them: bootstrap's StoreOwners, which reads the plan on every call."""

    store: SqlStore

    def add(self, email: str, plan: Plan = Plan.PRO, until: datetime | None = None) -> int:
        member = self.store.ensure_member(email, now=utcnow())
        if plan is not Plan.FREE:
            self.set_plan(member.id, plan, until)
        return member.id

    def set_plan(self, member_id: int, plan: Plan, until: datetime | None = None) -> None:
        if plan is Plan.FREE:
            self.store.revoke_plan(
                member_id, source="manual", reason="test", actor="tests", now=utcnow()
            )
            return
        seats = 1 if plan is Plan.TEAM else 0
        self.store.grant_plan(
            member_id,
            plan,
            until=until,
            seats=seats,
            source="manual",
            reason="test",
            actor="tests",
            now=utcnow(),
        )

    def member_id_by_email(self, email: str) -> int | None:
        return alert_owners(self.store).member_id_by_email(email)

    def email_of(self, member_id: int) -> str | None:
        return alert_owners(self.store).email_of(member_id)

    def viewer_of(self, member_id: int, now: datetime) -> Viewer:
        return alert_owners(self.store).viewer_of(member_id, now)


JOGMEC = EntityRecord("org:jogmec", "JOGMEC", "organisation")
NAMIBIA = EntityRecord("country:NA", "Namibia", "country")
PACT = FactRecord(
    "agreement:pact",
    "agreement",
    {"parties": ["org:jogmec", "country:NA"], "countries": ["country:NA"]},
    "JOGMEC and Namibia signed an exploration agreement.",
)


def enriched_article(
    store: SqlStore,
    slug: str,
    *,
    title: str,
    entities: tuple[EntityRecord, ...] = (),
    facts: tuple[FactRecord, ...] = (),
    sector: str = "mining-metals",
    published: datetime | None = None,
) -> int:
    saved = store.save_article(
        Article(
            source_id=None,
            url=f"https://news.example/{slug}",
            canonical_url=f"https://news.example/{slug}",
            title=title,
            text=f"{title}. More text about it.",
            published=published,
            content_hash=f"h-{slug}",
        )
    )
    assert saved.id is not None
    store.save_enrichment(
        Enrichment(
            article_id=saved.id,
            version="v",
            entities=entities,
            mentions=tuple(MentionRecord(e.id, e.name, 0, 1) for e in entities),
            facts=facts,
            sectors=(SectorLabel(sector, 0.9),),
        )
    )
    return saved.id


class Receiver(BaseHTTPRequestHandler):
    """Answers every POST with Receiver.status (after Receiver.delay seconds)."""

    requests: ClassVar[list[tuple[dict[str, str], bytes]]] = []
    status: ClassVar[int] = 200
    delay: ClassVar[float] = 0.0
    # Set when the receiver closes: a held request (delay) ends with it. A handler thread
    # sleeping on past its test printed socketserver's broken-pipe traceback into a later
    # test's captured output (a CLI test parsing JSON, a minute after).
    released: ClassVar[threading.Event] = threading.Event()

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        payload = self.rfile.read(length)
        Receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, payload))
        if Receiver.delay:
            Receiver.released.wait(Receiver.delay)
        self.send_response(Receiver.status)
        if 300 <= Receiver.status < 400:
            self.send_header("Location", "http://127.0.0.1:9/elsewhere")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        pass


class _ReceiverServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a sender that hung up is fine
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextmanager
def receiver() -> Iterator[str]:
    Receiver.requests, Receiver.status, Receiver.delay = [], 200, 0.0
    Receiver.released = threading.Event()
    server = _ReceiverServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        Receiver.released.set()
        server.shutdown()
        server.server_close()
