"""Writers of wire formats, one per format: feeds (RSS 2.0, Atom 1.0, JSON Feed 1.1) and mail.

Pure (no I/O, no clock but where a message needs its Date) and stdlib-only, at the bottom of the
layers beside ``newsdesk.domain`` and ``newsdesk.text``, so that every package that writes a
format — the site (``publish``), the subscriber side (``deliver``) and the demo publications
(``demo``), which may not import one another — writes it with the same code. Policy stays with
the caller: the site sanitizes feed HTML before it is written here; the demo's is its own.
"""
