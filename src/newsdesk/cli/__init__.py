"""newsdesk.cli stage."""
