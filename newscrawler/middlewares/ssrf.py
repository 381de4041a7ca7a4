"""SSRF guard: never connect to loopback, private, link-local, multicast or metadata addresses.

Two parts, because an address can arrive two ways:
- `GuardedResolver` (TWISTED_DNS_RESOLVER) checks every DNS answer at the moment of connecting,
  so a public-looking host name that resolves to 127.0.0.1 (or re-binds to it later) is refused;
- `SSRFGuardMiddleware` refuses IP-literal URLs and non-HTTP schemes up front (redirect targets
  pass through it again), and turns the resolver's refusals into one clear log line and a counter.

NEWSCRAWLER_ALLOW_PRIVATE_ADDRESSES ("127.0.0.1", "10.0.0.0/8,::1", a list, or "*") opens
chosen addresses; NEWSCRAWLER_DNS_OVERRIDES ({"host": "ip"}) pins names, as `curl --resolve`
does, for tests and for staging hosts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import CannotResolveHostError, IgnoreRequest
from scrapy.resolver import CachingThreadedResolver
from scrapy.utils.datatypes import LocalCache
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet import defer
from twisted.internet.error import DNSLookupError

from newscrawler.security import AddressPolicy, parse_ip

if TYPE_CHECKING:
    from collections.abc import Sequence

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings
    from scrapy.statscollectors import StatsCollector
    from twisted.internet.base import ReactorBase
    from twisted.internet.defer import Deferred

logger = logging.getLogger(__name__)

ALLOW_SETTING = "NEWSCRAWLER_ALLOW_PRIVATE_ADDRESSES"
HINT = f"allow it with {ALLOW_SETTING} or --allow-private-addresses"

# (host name, address) -> why it was refused; what the resolver tells the middleware.
Refusal = tuple[str, str]


def policy_from_settings(settings: BaseSettings) -> AddressPolicy:
    """The address policy of a crawl; a malformed allow-list fails the run at start-up."""
    value = settings.get(ALLOW_SETTING)
    if isinstance(value, str) and value.lower() in ("", "false", "no", "0", "none"):
        value = None
    return AddressPolicy.from_setting(value)


def dns_overrides(settings: BaseSettings) -> dict[str, str]:
    """Host name -> IP address pins from NEWSCRAWLER_DNS_OVERRIDES (dict or JSON string)."""
    pins = settings.getdict("NEWSCRAWLER_DNS_OVERRIDES")
    bad = {host: ip for host, ip in pins.items() if parse_ip(str(ip)) is None}
    if bad:
        raise ValueError(f"NEWSCRAWLER_DNS_OVERRIDES: not IP addresses: {bad!r}")
    return {str(host).lower(): str(ip) for host, ip in pins.items()}


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, refusing answers the address policy forbids.

    The check runs on the address the connection will use, after the cache, so a DNS answer
    that changes between two lookups cannot slip through. Refusals are remembered (bounded) so
    the middleware can say why a download failed.
    """

    def __init__(
        self,
        reactor: ReactorBase,
        cache_size: int,
        timeout: float,
        policy: AddressPolicy,
        overrides: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(reactor, cache_size, timeout)
        self.policy = policy
        self.overrides = {host.lower(): ip for host, ip in (overrides or {}).items()}
        self.refused: LocalCache[str, Refusal] = LocalCache(1000)

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: ReactorBase) -> GuardedResolver:
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        return cls(
            reactor,
            cache_size,
            settings.getfloat("DNS_TIMEOUT"),
            policy_from_settings(settings),
            dns_overrides(settings),
        )

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:
        pinned = self.overrides.get(name.lower())
        answer = defer.succeed(pinned) if pinned else super().getHostByName(name, timeout)
        return answer.addCallback(self._check, name)

    def _check(self, address: str, name: str) -> str:
        ip = parse_ip(address)
        reason = "unparseable-address" if ip is None else self.policy.refusal(ip)
        if reason is None:
            return address
        self.refused[name.lower()] = (address, reason)
        raise DNSLookupError(f"{name} resolves to {address} ({reason}): refused by the SSRF guard")

    def refusal(self, host: str) -> Refusal | None:
        """Why `host` was refused, if it was."""
        return self.refused.get(host.lower())


def _installed_resolver_refusal(host: str) -> Refusal | None:
    from twisted.internet import reactor

    resolver = getattr(reactor, "resolver", None)
    return resolver.refusal(host) if isinstance(resolver, GuardedResolver) else None


class SSRFGuardMiddleware:
    """Refuse forbidden addresses and schemes before download; explain the resolver's refusals."""

    def __init__(
        self,
        policy: AddressPolicy,
        stats: StatsCollector,
        schemes: Iterable[str] = ("http", "https"),
        resolver_refusal: Callable[[str], Refusal | None] = _installed_resolver_refusal,
    ) -> None:
        self.policy = policy
        self.stats = stats
        self.schemes = frozenset(s.lower() for s in schemes)
        self.resolver_refusal = resolver_refusal

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SSRFGuardMiddleware:
        assert crawler.stats is not None
        schemes = crawler.settings.getlist("NEWSCRAWLER_ALLOWED_SCHEMES", ["http", "https"])
        return cls(policy_from_settings(crawler.settings), crawler.stats, schemes)

    def process_request(self, request: Request) -> None:
        parts = urlparse_cached(request)
        if parts.scheme.lower() not in self.schemes:
            self._refuse(request, "scheme", f"scheme {parts.scheme!r} is not fetched")
        ip = parse_ip(parts.hostname or "")
        reason = self.policy.refusal(ip) if ip is not None else None
        if reason is not None:
            self._refuse(request, reason, f"address {ip} is {reason}; {HINT}")

    def process_exception(self, request: Request, exception: Exception) -> Any:
        if not isinstance(exception, (CannotResolveHostError, DNSLookupError)):
            return None
        host = urlparse_cached(request).hostname or ""
        refusal = self.resolver_refusal(host)
        if refusal is None:
            return None
        address, reason = refusal
        self._refuse(request, reason, f"{host} resolves to {address} ({reason}); {HINT}")
        return None  # not reached: _refuse raises

    def _refuse(self, request: Request, reason: str, detail: str) -> None:
        self.stats.inc_value("newscrawler/ssrf/refused")
        self.stats.inc_value(f"newscrawler/ssrf/refused/{reason}")
        logger.warning("SSRF guard refused %s: %s", request, detail)
        raise IgnoreRequest(f"SSRF guard: {detail}")
