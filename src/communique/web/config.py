"""The web app's configuration: its limits, from the settings registry."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from communique import settings

# Host names a server bound to this machine answers to; any other Host header is
# refused, so that a web page elsewhere cannot reach the archive through DNS
# rebinding (a name that resolves to 127.0.0.1).
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


@dataclass(slots=True, frozen=True)
class WebConfig:
    page_size: int
    max_page_size: int
    max_query_chars: int
    max_export_rows: int
    feed_size: int
    max_series: int
    allowed_hosts: tuple[str, ...]  # empty: any

    @classmethod
    def from_settings(cls, host: str = "127.0.0.1") -> WebConfig:
        """The limits from the settings registry; Host checks when bound to loopback."""
        return cls(
            page_size=settings.get_int("web_page_size"),
            max_page_size=settings.get_int("web_max_page_size"),
            max_query_chars=settings.get_int("web_max_query_chars"),
            max_export_rows=settings.get_int("web_max_export_rows"),
            feed_size=settings.get_int("web_feed_size"),
            max_series=settings.get_int("web_max_series"),
            allowed_hosts=LOOPBACK_NAMES if cls.is_local(host) else (),
        )

    @staticmethod
    def is_local(host: str) -> bool:
        """Whether an address to listen on is reachable from this machine only."""
        if host == "localhost":
            return True
        try:
            return ipaddress.ip_address(host.strip("[]")).is_loopback
        except ValueError:
            return False
