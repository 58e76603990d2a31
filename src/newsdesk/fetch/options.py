"""Options of the fetch stage, passed per Fetcher instead of read from global settings."""

from __future__ import annotations

from dataclasses import dataclass

from newsdesk.fetch.ssrf import parse_allow_entry

MAX_TIMEOUT = 30.0
MAX_REDIRECTS = 5
DEFAULT_MAX_BYTES = 15 * 1024 * 1024
DEFAULT_USER_AGENT = "newsdesk/0.1 (+https://github.com/newsdesk/newsdesk)"


@dataclass(frozen=True)
class FetchOptions:
    """How politely and how defensively to fetch.

    ``timeout`` is the deadline of one attempt: connecting, every redirect hop and the whole body.
    ``allow_hosts`` holds ``host`` or ``host:port`` entries the SSRF guard lets through even when
    they resolve to loopback or private addresses (tests, the demo, intranet feeds).
    ``max_retry_after`` caps the Retry-After the fetcher waits for itself; a longer one becomes
    an error that carries ``retry_after`` so the scheduler can come back later.
    """

    user_agent: str = DEFAULT_USER_AGENT
    timeout: float = MAX_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = MAX_REDIRECTS
    retries: int = 2
    host_delay: float = 1.0
    concurrency: int = 8
    allow_hosts: tuple[str, ...] = ()
    respect_robots: bool = True
    backoff_base: float = 1.0
    max_retry_after: float = 60.0

    def __post_init__(self) -> None:
        if "newsdesk" not in self.user_agent.lower():
            raise ValueError("user_agent must name newsdesk so site owners know who is asking")
        if not 0 < self.timeout <= MAX_TIMEOUT:
            raise ValueError(f"timeout must be in (0, {MAX_TIMEOUT}] seconds")
        if not 0 <= self.max_redirects <= MAX_REDIRECTS:
            raise ValueError(f"max_redirects must be between 0 and {MAX_REDIRECTS}")
        if self.max_bytes <= 0:
            raise ValueError("max_bytes must be positive")
        if self.retries < 0 or self.host_delay < 0 or self.backoff_base < 0:
            raise ValueError("retries, host_delay and backoff_base must not be negative")
        if self.concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        if self.max_retry_after < 0:
            raise ValueError("max_retry_after must not be negative")
        for entry in self.allow_hosts:
            parse_allow_entry(entry)
