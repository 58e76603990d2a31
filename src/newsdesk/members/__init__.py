"""Members: who is asking. Sign-in by an emailed link and code, server-side sessions, the
account page, plans from append-only entitlement records (free, pro, team seats, trials,
grants), API keys, private feed tokens, and the viewer resolver every surface relies on.

A top-layer package beside publish and deliver: it imports neither; bootstrap mounts its
routers and hands its resolver to the site. Importing it is light.
"""
