"""newsdesk.dedup stage."""
