"""newsdesk.fetch stage: the polite, guarded HTTP client and the pure schedule decider."""

from newsdesk.fetch.client import Fetcher
from newsdesk.fetch.hosts import HostGate, HostLeases, HostSlots, SharedHostGate
from newsdesk.fetch.options import FetchOptions
from newsdesk.fetch.robots import RobotsRules
from newsdesk.fetch.schedule import apply_result, next_fetch_at
from newsdesk.fetch.ssrf import (
    AllowEntry,
    Target,
    check_url,
    is_blocked_address,
    parse_allow_entry,
    parse_host,
    parse_ipv4_loose,
)

__all__ = [
    "AllowEntry",
    "FetchOptions",
    "Fetcher",
    "HostGate",
    "HostLeases",
    "HostSlots",
    "RobotsRules",
    "SharedHostGate",
    "Target",
    "apply_result",
    "check_url",
    "is_blocked_address",
    "next_fetch_at",
    "parse_allow_entry",
    "parse_host",
    "parse_ipv4_loose",
]
