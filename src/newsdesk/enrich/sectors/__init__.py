"""Sectors of an article: the taxonomy, the zero-shot and trained classifiers, JSONL runs.

- ``taxonomy``: the sector taxonomy (``enrich/data/sectors.toml`` or an operator's file), its
  terms per language and its sector-evidence entities (``TaxonomyEntity``);
- ``zero_shot``: scores from weighted term and entity evidence (and embeddings, optional);
- ``trained``: TF-IDF + a linear model per sector, trained from labelled JSONL;
- ``classify``: the combination of the two for one document or a batch;
- ``jsonl``: classify/train runs over JSONL files, editor corrections as training lines;
- ``model``: the types they share (``SectorScore``, ``LabelledDoc``);
- ``text_prep``: title and text as the classifiers read them.

Nothing is imported here: ``newsdesk.enrich.sectors.taxonomy`` — what the site and the digest
need — must load without scikit-learn. The names are exported by ``newsdesk.enrich``.
"""
