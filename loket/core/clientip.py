"""The client's IP address: X-Forwarded-For is believed only when a trusted proxy sent it.

LOKET_TRUSTED_PROXIES lists the reverse proxies in front of Loket (addresses or networks, e.g.
"127.0.0.1,10.0.0.0/8"). Without it the header is ignored: anyone can write it. With it, the
header is read from the right, skipping our own proxies; the first address that is not one of
them is the client. Anything that is not an IP address ("unknown", garbage) is never returned.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _parse(value: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return None


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in spec if item.strip())


def _trusted(address: IPAddress) -> bool:
    return any(address in net for net in _networks(tuple(settings.LOKET_TRUSTED_PROXIES)))


def client_ip(request) -> str | None:
    """The client's address as a valid IP string, or None."""
    if request is None:
        return None
    peer = _parse(request.META.get("REMOTE_ADDR") or "")
    if peer is None:
        return None
    if not _trusted(peer):
        return str(peer)
    client = peer
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            break  # garbage: keep the last address we could vouch for
        client = address
        if not _trusted(address):
            break
    return str(client)
