"""newsdesk.enrich stage."""
