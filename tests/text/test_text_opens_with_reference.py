"""A sentence that opens by referring back ("That is the backdrop to…", "But…", "However, …")
leans on the sentence before it; "This year…" or a name does not."""

from __future__ import annotations

import pytest

from newsdesk.text.sentences import opens_with_reference


@pytest.mark.parametrize(
    "sentence",
    [
        "That is the backdrop to a rare-earths exploration agreement signed in Windhoek.",
        "This means refiners will pay more.",
        "These were the best results in a decade.",
        "It will invest $5 billion over 15 years.",
        "It’s the largest order this year.",
        "Those are the terms the board accepted.",
        "They said the talks would resume.",
        "But the deal stalled in parliament.",
        "However, prices rose 4%.",
        "Meanwhile, Brent crude fell.",
        "Still, analysts doubt the target.",
        "That said, exports recovered.",
        "On the other hand, imports slid.",
        "“That is the point,” the minister said.",
        "Dies bedeutet höhere Preise für Kunden.",
        "Das ist der Hintergrund der Einigung.",
        "Jedoch stiegen die Preise.",
        "Cependant, les prix ont augmenté.",
        "C’est le contexte de l’accord signé à Windhoek.",
        "Sin embargo, el precio subió.",
        "Esto es lo que firmó el ministro.",
    ],
)
def test_dependent_openings(sentence: str) -> None:
    assert opens_with_reference(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "",
        "   ",
        "Dysprosium and terbium rarely make headlines.",
        "This year the company doubled its output.",
        "Those shares fell 5% on Tuesday.",
        "Still higher prices are expected.",
        "Butter prices rose.",
        "Itaú Unibanco raised its forecast.",
        "The backdrop is bleak.",
        "Das Unternehmen wächst.",
        "Sin datos, el banco no decide.",
        "Este año la empresa creció.",
        "Ce projet coûtera 2 milliards d'euros.",
        "日本とナミビアはレアアース探査で合意した。",
        "Япония и Намибия подписали соглашение.",
        "2025 was a record year.",
    ],
)
def test_standalone_openings(sentence: str) -> None:
    assert not opens_with_reference(sentence)
