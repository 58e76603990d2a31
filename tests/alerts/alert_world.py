"""What the alert flow tests share: members as the members package resolves them (email,
plan, expiry), articles enriched just now, and a loopback webhook receiver that records
every request and answers as told."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

from newsdesk.domain.access import ANONYMOUS, Plan, Viewer, ViewerKind
from newsdesk.domain.enrichment import (
    Enrichment,
    EntityRecord,
    FactRecord,
    MentionRecord,
    SectorLabel,
)
from newsdesk.domain.models import Article
from newsdesk.store import SqlStore


@dataclass
class Owners:
    """AlertOwners over a table of members: what 12a's store resolves, per call."""

    members: dict[int, tuple[str, Plan, datetime | None]] = field(default_factory=dict)

    def add(self, email: str, plan: Plan = Plan.PRO, until: datetime | None = None) -> int:
        member_id = len(self.members) + 1
        self.members[member_id] = (email, plan, until)
        return member_id

    def set_plan(self, member_id: int, plan: Plan) -> None:
        email, _, until = self.members[member_id]
        self.members[member_id] = (email, plan, until)

    def member_id_by_email(self, email: str) -> int | None:
        return next((i for i, m in self.members.items() if m[0] == email.lower()), None)

    def email_of(self, member_id: int) -> str | None:
        found = self.members.get(member_id)
        return None if found is None else found[0]

    def viewer_of(self, member_id: int, now: datetime) -> Viewer:
        found = self.members.get(member_id)
        if found is None:
            return ANONYMOUS
        return Viewer(ViewerKind.MEMBER, member_id, found[1], found[2], "test")


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

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        payload = self.rfile.read(length)
        Receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, payload))
        if Receiver.delay:
            time.sleep(Receiver.delay)
        self.send_response(Receiver.status)
        if 300 <= Receiver.status < 400:
            self.send_header("Location", "http://127.0.0.1:9/elsewhere")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def receiver() -> Iterator[str]:
    Receiver.requests, Receiver.status, Receiver.delay = [], 200, 0.0
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
