"""Loading and validating demo corpus files."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from demo_corpus import HOSTILE_TITLE, NOW, article_toml, write_corpus

from newsdesk.demo import DemoCorpus, DemoCorpusError, load_corpus


def test_loads_publications_and_articles_with_times_relative_to_now(
    tiny_corpus: DemoCorpus,
) -> None:
    assert [p.id for p in tiny_corpus.publications] == ["alpha", "beta"]
    alpha = tiny_corpus.publication("alpha")
    assert alpha.full_content is True
    assert alpha.sitemap is True
    assert tiny_corpus.publication("beta").full_content is False
    assert [a.slug for a in tiny_corpus.articles] == [
        "oil-cut",
        "tin-rally",
        "copper-deal",
        "old-news",
    ]
    tin = tiny_corpus.articles[1]
    assert tin.title == HOSTILE_TITLE
    assert tin.published == NOW - timedelta(hours=2.5)
    assert tin.story == "tin"
    assert tin.paragraphs == (
        "First paragraph. It has two sentences.",
        "## A heading",
        "Second <b>para</b>.",
    )
    assert tin.word_count == 8
    assert tin.source_file == "articles/alpha-tin.toml"
    assert [a.slug for a in tiny_corpus.articles_of("alpha")] == [
        "tin-rally",
        "copper-deal",
        "old-news",
    ]
    assert tiny_corpus.articles[0].sectors == ("oil-gas", "business-politics")
    assert tiny_corpus.articles[2].story is None


def test_naive_now_is_refused(corpus_dir: Path) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        load_corpus(datetime(2026, 11, 27), corpus_dir)


GOOD = {"publication": "alpha", "slug": "s", "title": "T", "age_hours": 1.0}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (article_toml(**{**GOOD, "publication": "gamma"}), "unknown publication 'gamma'"),
        (article_toml(**GOOD, sectors='["oil-gas", "crypto"]'), r"unknown sector ids \['crypto'\]"),
        (article_toml(**GOOD, sectors="[]"), "non-empty list"),
        (article_toml(**{**GOOD, "age_hours": -1}), "age_hours must not be negative"),
        (article_toml(**GOOD, body="  "), "body is empty"),
        (article_toml(**GOOD, section="Oil & Gas"), "alpha has no section 'Oil & Gas'"),
        (article_toml(**GOOD).replace('author = "Ana Kaputu"\n', ""), "missing field 'author'"),
        (article_toml(**GOOD).replace("age_hours = 1.0", 'age_hours = "1"'), "wrong type"),
        ('title = "unterminated', "not valid TOML"),
    ],
)
def test_bad_article_file_is_named_in_the_error(tmp_path: Path, text: str, message: str) -> None:
    root = write_corpus(
        tmp_path / "c",
        {"alpha-ok.toml": article_toml(**{**GOOD, "slug": "ok"}), "alpha-bad.toml": text},
    )
    with pytest.raises(DemoCorpusError, match=message) as error:
        load_corpus(NOW, root)
    assert str(error.value).startswith("articles/alpha-bad.toml: ")


def test_duplicate_slug_within_a_publication_is_refused(tmp_path: Path) -> None:
    root = write_corpus(
        tmp_path / "c",
        {
            "alpha-one.toml": article_toml(**GOOD),
            "alpha-two.toml": article_toml(**GOOD),
            "beta-same-slug.toml": article_toml(
                **{**GOOD, "publication": "beta"}, section="Oil & Gas"
            ),
        },
    )
    with pytest.raises(DemoCorpusError, match=r"alpha-two\.toml: slug 's' is already used"):
        load_corpus(NOW, root)


def test_bad_publications_file_is_named(tmp_path: Path) -> None:
    root = write_corpus(tmp_path / "c", {})
    text = (root / "publications.toml").read_text(encoding="utf-8")
    (root / "publications.toml").write_text(text.replace('feed = "atom"', 'feed = "json"'))
    with pytest.raises(DemoCorpusError, match=r"publications.toml, publication 2: feed must be"):
        load_corpus(NOW, root)
