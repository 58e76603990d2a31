"""newsdesk.demo stage."""
