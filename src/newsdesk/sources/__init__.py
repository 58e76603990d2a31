"""newsdesk.sources stage."""
