"""Issue 16 (i16fb4): end-of-article furniture seen on the fifth full-body tuning draw (an
affiliate disclosure naming the publisher's cut, a consent placeholder, a donation appeal's call),
article sentences with the same words that stay, and reader-engagement prompts that stay too: the
dev snippets count "Let us know in the comments" as article text (dev tuning news F1 -0.00047)."""

from __future__ import annotations

import pytest

from newsdesk.extract.boilerplate import BoilerplateKind, boilerplate_kind


@pytest.mark.parametrize(
    ("block", "kind"),
    [
        (
            "(*) Alle mit einem Stern gekennzeichneten Links sind Affiliate-Links. Wenn Du über "
            "diese Links Produkte kaufst, erhält die Redaktion eine kleine Provision. Dir "
            "entstehen keine zusätzlichen Kosten.",
            BoilerplateKind.PROMO,
        ),
        (
            "Dieser Artikel kann Links zu Anbietern enthalten, von denen das Magazin eine "
            "Provision erhält.",
            BoilerplateKind.PROMO,
        ),
        (
            "Links marked with an asterisk are affiliate links: we earn a commission on a "
            "purchase at no extra cost to you.",
            BoilerplateKind.PROMO,
        ),
        (
            "Wir würden hier gerne eine Newsletter Anmeldung zeigen. Leider haben Sie uns "
            "hierfür keine Zustimmung gegeben.",
            BoilerplateKind.NOTICE,
        ),
        (
            "Diese Recherche wurde mit der Unterstützung von Bürgerinnen und Bürgern realisiert. "
            "Jetzt unterstützen!",
            BoilerplateKind.PROMO,
        ),
        ("Die Redaktion ist spendenfinanziert!", BoilerplateKind.PROMO),
        ("Apoie o jornalismo independente", BoilerplateKind.PROMO),
        (
            "Você pode apoiar o site de diversas formas. Veja como em nossa página.",
            BoilerplateKind.PROMO,
        ),
    ],
)
def test_end_of_article_prompts_are_recognised(block: str, kind: BoilerplateKind) -> None:
    assert boilerplate_kind(block) is kind


@pytest.mark.parametrize(
    "block",
    [
        "Die Plattform setzt auf Affiliate-Links; Händler zahlen ihr pro Verkauf eine Gebühr.",
        "The regulator asked readers to let us know whether the new rules help.",
        "Der Verein ist seit 1990 spendenfinanziert und beschäftigt zwölf Menschen.",
        "Die Stadt will das Projekt jetzt unterstützen, sagte der Bürgermeister am Montag.",
        "Der Rat hat keine Zustimmung gegeben, teilte die Stadt mit.",
        "The council met on Monday and approved the harbour budget.",
        "What do you think? Let us know down below in the comments.",
        "If you give this recipe a try, I’d love a comment and recipe rating below.",
    ],
)
def test_article_sentences_with_the_trigger_words_stay(block: str) -> None:
    assert boilerplate_kind(block) is None
