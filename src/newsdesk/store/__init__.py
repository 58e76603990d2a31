"""newsdesk.store stage."""
