"""newsdesk.deliver stage."""
