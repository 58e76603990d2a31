"""The weekly report email on a phone: the HTML part was 486-509px wide at a 390px viewport (a
table of six columns with unbreakable citation marks, charts held at 36rem), so a mail app
showed it zoomed out or cut off. Mail clients honour few of the rules a page leans on (a box
that scrolls, media queries): the email is fluid instead. The text part keeps its lines whole."""

from __future__ import annotations

import email
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from email import policy
from pathlib import Path

from report_world import WEEK, World
from test_reports_mailing import OPTIONS, Members

from newsdesk.bootstrap import site_sectors
from newsdesk.domain.reports import iso_week_of, sector_scope
from newsdesk.mail.outgoing import MailDrop
from newsdesk.mail.smtp import SmtpOptions
from newsdesk.reports.build import ReportOptions, build_report
from newsdesk.reports.mailing import ReportMailOptions, render_mail_html, send_weekly_reports
from newsdesk.reports.render import TEXT_WIDTH
from newsdesk.store import SqlStore, open_store
from site_fixtures import site_settings

PHONE = {"width": 390, "height": 844}
NARROWEST = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
SIX_COLUMNS = (
    "Math.max(0, ...[...document.querySelectorAll('table.report-table thead tr')]"
    ".map(r => r.cells.length))"
)
# The one-word report-table headings that wrap onto a second line.
BROKEN_HEADINGS = """[...document.querySelectorAll('table.report-table th')].filter(th => {
    const style = getComputedStyle(th);
    const inner = th.getBoundingClientRect().height - parseFloat(style.paddingTop)
        - parseFloat(style.paddingBottom);
    return !th.textContent.trim().includes(' ')
        && inner > 1.5 * parseFloat(style.lineHeight);
}).map(th => th.textContent)"""


def report_email(store: SqlStore, directory: Path) -> email.message.EmailMessage:
    @contextmanager
    def factory() -> Iterator[MailDrop]:
        yield MailDrop(directory, SmtpOptions(host="", port=0))

    assert send_weekly_reports(store, Members(), factory, OPTIONS, week=WEEK).sent == 1
    [path] = sorted(directory.glob("*.eml"))
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)  # type: ignore[return-value]


def test_the_html_part_fits_a_phone_and_a_desktop(  # type: ignore[no-untyped-def]
    store: SqlStore, world: World, tmp_path: Path, page
) -> None:
    message = report_email(store, tmp_path)
    html = message.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    page.set_content(html)
    for viewport in (PHONE, NARROWEST, DESKTOP):
        page.set_viewport_size(viewport)
        width = viewport["width"]
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width, viewport
        wider = page.evaluate(
            """(width) => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > width + 0.5)
                .map(e => e.tagName)""",
            width,
        )
        assert wider == [], (viewport, wider[:5])
        # Nothing fits by scrolling inside a box either: mail apps do not scroll one.
        boxed = page.evaluate(
            "[...document.querySelectorAll('body *')].filter(e =>"
            " e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX != 'visible')"
            ".length"
        )
        assert boxed == 0, viewport
    page.set_viewport_size(PHONE)
    assert page.locator("table.report-table").count() >= 3
    assert page.locator(".chart-figure svg").count() >= 1
    # A one-word column heading stays on one line: the cells give way, not the headings.
    broken = page.evaluate(BROKEN_HEADINGS)
    assert broken == []
    page.set_viewport_size(DESKTOP)  # a wide screen keeps the page's measure
    assert page.evaluate("document.body.getBoundingClientRect().width") <= (52 + 2) * 16


def test_the_text_part_wraps_items_under_their_dash_with_marks_whole(
    store: SqlStore, world: World, tmp_path: Path
) -> None:
    message = report_email(store, tmp_path)
    text = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    lines = text.replace("\r\n", "\n").split("\n")
    for line in lines:
        assert len(line) <= TEXT_WIDTH or "://" in line, line
    item_lines = [i for i, line in enumerate(lines) if line.startswith("- ")]
    assert item_lines
    continued = [
        lines[i + 1] for i in item_lines if lines[i + 1] and not lines[i + 1].startswith("- ")
    ]
    assert continued, "the world's items are long enough to wrap"
    for line in continued:
        if not re.match(r"[A-Z ]+$", line) and not line.endswith(":"):
            assert line.startswith("  "), line
    # "[1," at one line's end and "2, 3]" at the next's start split a list of marks.
    assert not [line for line in lines if re.search(r"\[[0-9, ]+$", line)]
    assert "\u00a0" not in text
    assert re.search(r"\[1, 2, 3\]", text)


def test_every_demo_briefing_email_fits_the_narrowest_phone(  # type: ignore[no-untyped-def]
    demo_data_dir: Path, page
) -> None:
    """The demo's briefings, not only the test world's: one of them was 373px wide at 360px (a
    six-column table whose one-word headings would not give way). Every sector's email for the
    demo's two newest weeks: the page does not scroll sideways and no element passes its edge."""
    settings = site_settings(demo_data_dir)
    store = open_store(settings.store.sqlalchemy_url, migrate=False)
    names = {s.id: s.name for s in site_sectors(settings)}
    options = ReportMailOptions(ReportOptions("http://site.example", "demo", names), "r@x.example")
    try:
        newest = store.newest_published()
        assert newest is not None
        mails = []
        for sector_id in names:
            for back in (0, 1):
                week = iso_week_of(newest - timedelta(weeks=back))
                report = build_report(store, sector_scope(sector_id, week), options.reports)
                if not report.empty:
                    mails.append(
                        (
                            sector_id,
                            week,
                            render_mail_html(
                                [report], options, week, "S", mail_off_url="http://site.example/off"
                            ),
                        )
                    )
    finally:
        store.close()
    assert len(mails) >= 4
    page.set_viewport_size(NARROWEST)
    too_wide: list[object] = []
    broken: list[str] = []
    widest = 0
    for sector_id, week, html in mails:
        page.set_content(html)
        width = page.evaluate("document.scrollingElement.scrollWidth")
        wider = page.evaluate(
            """(width) => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > width + 0.5)
                .map(e => e.tagName + ':' + e.textContent.slice(0, 30))""",
            NARROWEST["width"],
        )
        if width > NARROWEST["width"] or wider:
            too_wide.append((sector_id, week, width, wider[:3]))
        broken.extend(page.evaluate(BROKEN_HEADINGS))
        widest = max(widest, page.evaluate(SIX_COLUMNS))
    assert widest >= 6, "the demo still has its six-column table"
    assert too_wide == []
    assert broken == []  # smaller type, not split headings
