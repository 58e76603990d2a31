"""Publishing: the site, the JSON API and the feeds newsdesk serves (publish.web)."""
