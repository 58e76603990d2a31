"""Alerts for members: percolation of every newly enriched article against all alerts, email
(instant or hourly), Standard Webhooks with retries, and a private feed per alert.

Pure parts: ``match`` (the alert index), ``retry`` (the webhook back-off schedule and the
endpoint's fate), ``payloads`` (webhook bodies and signatures). The edges read and write the
store: ``percolate`` (matches and deliveries), ``webhooks`` (POSTs through the fetcher's
SSRF guard), ``email`` (the outbox). Each is a plain function over the store, run by
``newsdesk run`` or a worker job alike.
"""
