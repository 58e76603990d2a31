"""newsdesk.pipeline stage."""
