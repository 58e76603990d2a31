"""A tiny demo corpus written to a directory: what the demo tests and their fixtures share
(a module of its own, so `from demo_corpus import …` never meets another directory's conftest)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

NOW = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)
HOSTILE_TITLE = '<script>alert("x")</script> Tin & tungsten “rally”'

PUBLICATIONS = """\
[[publication]]
id = "alpha"
name = "Alpha <Metals> & Co"
tagline = "Mines & metals"
feed = "rss"
sitemap = true
full_content = true
sections = ["Mining", "Markets"]

[[publication]]
id = "beta"
name = "Beta Energy"
tagline = "Oil and power"
feed = "atom"
sitemap = false
sections = ["Oil & Gas"]
"""


def article_toml(
    *,
    publication: str,
    slug: str,
    title: str,
    age_hours: float,
    section: str = "Mining",
    sectors: str = '["mining-metals"]',
    body: str = "First paragraph. It has two sentences.\\n\\n## A heading\\n\\nSecond <b>para</b>.",
    story: str = "",
) -> str:
    story_line = f'story = "{story}"\n' if story else ""
    return (
        f'publication = "{publication}"\nslug = "{slug}"\ntitle = """{title}"""\n'
        f'author = "Ana Kaputu"\nsection = "{section}"\nsectors = {sectors}\n'
        f'age_hours = {age_hours}\n{story_line}summary = "Summary of {slug} & more."\n'
        f'body = "{body}"\n'
    )


def write_corpus(root: Path, articles: dict[str, str] | None = None) -> Path:
    (root / "articles").mkdir(parents=True)
    (root / "publications.toml").write_text(PUBLICATIONS, encoding="utf-8")
    if articles is None:
        articles = {
            "alpha-tin.toml": article_toml(
                publication="alpha",
                slug="tin-rally",
                title=HOSTILE_TITLE,
                age_hours=2.5,
                story="tin",
            ),
            "alpha-copper.toml": article_toml(
                publication="alpha",
                slug="copper-deal",
                title="Copper deal signed",
                age_hours=30,
                section="Markets",
            ),
            "alpha-old.toml": article_toml(
                publication="alpha",
                slug="old-news",
                title="Old news",
                age_hours=700,
            ),
            "beta-oil.toml": article_toml(
                publication="beta",
                slug="oil-cut",
                title="Oil output cut",
                age_hours=0,
                section="Oil & Gas",
                sectors='["oil-gas", "business-politics"]',
                story="tin",
            ),
        }
    for name, text in articles.items():
        (root / "articles" / name).write_text(text, encoding="utf-8")
    return root
