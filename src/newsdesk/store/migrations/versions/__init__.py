"""Migrations, append-only: never edit one that has been released; add the next."""
