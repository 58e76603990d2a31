"""newsdesk.mail: sending mail. One SMTP sender (kept-open connections, outcomes mapped to
what the caller does next, DKIM) and, without a server, the .eml folder; ``send_one`` for a
transactional message on a connection of its own.

A stage-level package, below every package that sends mail — deliver (sign-up, digests),
members (sign-in, seats), and whatever comes next — which may not import one another. Messages
are built by ``newsdesk.formats.mail``.
"""
