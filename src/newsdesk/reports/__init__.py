"""newsdesk.reports stage."""
