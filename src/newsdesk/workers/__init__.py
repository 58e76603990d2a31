"""The worker role: `newsdesk worker` runs jobs from the queue (newsdesk.queue) on any number
of machines sharing one PostgreSQL database.

``jobs/`` holds one module per job type (each defines ``JOB``); ``service`` builds a worker
process (its store, shared politeness gate, ingest session) and runs it; ``status`` reads the
queue for `newsdesk workers status`. Above bootstrap, below the CLI; imports procrastinate
only through newsdesk.queue, lazily.
"""
