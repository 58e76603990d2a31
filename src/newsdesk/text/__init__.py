"""Text utilities every stage may use: language, sentences, numbers and amounts, normalisation.

The layer sits at the bottom beside ``newsdesk.domain``: it imports nothing of newsdesk, and
its modules import their heavier helpers (the language model) only when first used, so that
``import newsdesk.text`` stays free.

- ``language``: language tags and the one language detector (py3langid, with a confidence
  floor and a minimum word count, so that it answers ``None`` rather than guess);
- ``sentences``: paragraphs and the one abbreviation-aware sentence splitter, with offsets;
- ``numbers``: one table of scale words and currencies, and the one number reader;
- ``normalize``: markup stripping, word tokens, the typographic normalisation that
  duplicate detection compares, and the one way to shorten a text for a teaser;
- ``emails``: the one normalisation of email addresses (subscribers and members alike);
- ``hosts``: the one spelling of a host name (the fetcher's guard, URL identity, link rules).
"""
