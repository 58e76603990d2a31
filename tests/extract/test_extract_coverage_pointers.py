"""Issue 16 (i16fb6): furniture seen on the sixth full-body tuning draw inside a news body: a
newsletter's German sign-up call ("Zur Anmeldung geht es hier") and a pointer to the
publisher's live coverage ("Alle aktuellen Entwicklungen finden Sie in unserem Newsblog"), and
article sentences with the same words that stay."""

from __future__ import annotations

import pytest

from article_paragraphs import PARAGRAPHS, article_page
from newsdesk.extract import ExtractOptions, extract_article
from newsdesk.extract.boilerplate import BoilerplateKind, boilerplate_kind

SIGN_UP = (
    "[Alle wichtigen Nachrichten des Tages finden Sie im kostenlosen Beispiel-Newsletter "
    '"Hafenbrief". Dazu Leseempfehlungen und Debatten. Zur Anmeldung geht es hier.]'
)
LIVE_POINTER = "[Alle aktuellen Entwicklungen zum Hafenausbau finden Sie hier in unserem Newsblog.]"


@pytest.mark.parametrize(
    "block",
    [
        SIGN_UP,
        "Unser Newsletter fasst den Tag am Hafen zusammen. Hier geht's zur Anmeldung.",
        "Der Hafen-Newsletter erscheint jeden Freitag – hier anmelden!",
        LIVE_POINTER,
        "+++ Alle aktuellen Informationen zum Sturm finden Sie in unserem Live-Ticker auf "
        "beispiel.de und rund um die Uhr im Stream +++",
        "Alle Ergebnisse des Abends finden Sie im Liveblog.",
    ],
)
def test_sign_up_calls_and_live_coverage_pointers_are_promotions(block: str) -> None:
    assert boilerplate_kind(block) is BoilerplateKind.PROMO


@pytest.mark.parametrize(
    "block",
    [
        "Über den Link im Newsletter gelangen Sie nach erfolgreicher Anmeldung zum Fragebogen.",
        "Der Verein verschickt seinen Newsletter an 3.000 Mitglieder, sagte die Sprecherin.",
        "Die Anmeldung zur Hafenrundfahrt ist ab Montag möglich.",
        "Die Ergebnisse der Messungen finden Sie im Anhang des Berichts.",
        "Im Liveblog der Stadt wurden die Sperrungen am Hafen angekündigt.",
        "Wer den Ticker der Börse verfolgt, sah den Kurs am Mittag fallen.",
    ],
)
def test_article_sentences_with_the_trigger_words_stay(block: str) -> None:
    assert boilerplate_kind(block) is None


def test_the_calls_inside_a_body_leave_the_extracted_text() -> None:
    paragraphs = [*PARAGRAPHS[:2], LIVE_POINTER, *PARAGRAPHS[2:4], SIGN_UP, *PARAGRAPHS[4:]]
    text = extract_article(article_page(paragraphs), url=None, options=ExtractOptions()).text
    assert PARAGRAPHS[0] in text and PARAGRAPHS[-1] in text
    assert "Newsblog" not in text and "Zur Anmeldung" not in text
