"""Fixtures for the fetch tests; the servers themselves live in fetch_servers."""

from fetch_servers import canary, make_server, plain_tcp, server

__all__ = ["canary", "make_server", "plain_tcp", "server"]
