"""newsdesk.fetch stage."""
