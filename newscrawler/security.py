"""Which IP addresses the crawler may connect to: the pure policy behind the SSRF guard.

A crawler that follows links and redirects from the open web must never be steered into the
network it runs in (loopback services, the LAN, cloud metadata endpoints). Only public unicast
addresses are allowed, unless an operator lists an address or network explicitly.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Cloud metadata services. Most are link-local or private already; listed so the reason is clear.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean...
        "169.254.170.2",  # AWS ECS task metadata
        "100.100.100.200",  # Alibaba Cloud
        "fd00:ec2::254",  # AWS over IPv6
    )
)

ALLOW_ALL = ("*", "all", "any", "true", "yes")


def parse_ip(text: str) -> IPAddress | None:
    """An IP address from a URL host or a resolver answer, or None if `text` is a host name.

    IPv6 brackets and zone ids are removed; IPv4-mapped IPv6 addresses become IPv4.

    >>> parse_ip("[::ffff:127.0.0.1]")
    IPv4Address('127.0.0.1')
    >>> parse_ip("news.example.com") is None
    True
    """
    text = text.strip().strip("[]").split("%", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def blocked_reason(address: IPAddress) -> str | None:
    """Why connecting to `address` is refused by default, or None for a public unicast address.

    >>> blocked_reason(ipaddress.ip_address("10.1.2.3"))
    'private'
    >>> blocked_reason(ipaddress.ip_address("93.184.216.34")) is None
    True
    """
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    checks = (
        (address in METADATA_ADDRESSES, "cloud-metadata"),
        (address.is_loopback, "loopback"),
        (address.is_unspecified, "unspecified"),
        (address.is_link_local, "link-local"),
        (address.is_multicast, "multicast"),
        (address.is_private, "private"),
        (address.is_reserved, "reserved"),
        (not address.is_global, "not-global"),
    )
    return next((reason for hit, reason in checks if hit), None)


def parse_allowlist(value: str | Iterable[str] | bool | None) -> tuple[IPNetwork, ...] | None:
    """Networks from a setting value: "127.0.0.1", "10.0.0.0/8, ::1", a list, or "*" for all.

    Returns None when every address is allowed (the guard is off). Raises ValueError, naming
    the bad entry, so a typo in a setting fails the run at start-up instead of silently.

    >>> parse_allowlist("127.0.0.1")
    (IPv4Network('127.0.0.1/32'),)
    >>> parse_allowlist("*") is None
    True
    """
    if value is True:
        return None
    if value is None or value is False:
        return ()
    items = value.split(",") if isinstance(value, str) else list(value)
    entries = [str(item).strip() for item in items if str(item).strip()]
    if any(entry.lower() in ALLOW_ALL for entry in entries):
        return None
    networks: list[IPNetwork] = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
        except ValueError as exc:
            raise ValueError(f"not an IP address or network: {entry!r}") from exc
    return tuple(networks)


@dataclass(frozen=True)
class AddressPolicy:
    """Public unicast addresses are allowed; others only when inside an allowed network.

    `allowed` None means the guard is off (every address allowed).
    """

    allowed: tuple[IPNetwork, ...] | None = ()

    @classmethod
    def from_setting(cls, value: str | Iterable[str] | bool | None) -> AddressPolicy:
        return cls(parse_allowlist(value))

    def refusal(self, address: IPAddress) -> str | None:
        """The reason to refuse `address`, or None if the crawler may connect to it.

        >>> AddressPolicy.from_setting("127.0.0.1").refusal(ipaddress.ip_address("127.0.0.1"))
        >>> AddressPolicy().refusal(ipaddress.ip_address("127.0.0.1"))
        'loopback'
        """
        if self.allowed is None:
            return None
        reason = blocked_reason(address)
        if reason is None:
            return None
        if any(address.version == net.version and address in net for net in self.allowed):
            return None
        return reason
