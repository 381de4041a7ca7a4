"""The hostile-input guards as components, without a crawl: policy, resolver, middlewares, logs."""

from __future__ import annotations

import doctest
import io
import ipaddress
import logging
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scrapy import Request
from scrapy.exceptions import CannotResolveHostError, IgnoreRequest, StopDownload
from scrapy.http import Headers, HtmlResponse, Response
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler
from twisted.internet.error import DNSLookupError

import newscrawler.middlewares.content as content_module
import newscrawler.middlewares.retry as retry_module
import newscrawler.redaction as redaction_module
import newscrawler.security as security_module
from newscrawler.middlewares.content import ContentGuardMiddleware, binary_kind, media_type
from newscrawler.middlewares.retry import BackoffRetryMiddleware, retry_after_seconds
from newscrawler.middlewares.ssrf import (
    GuardedResolver,
    SSRFGuardMiddleware,
    dns_overrides,
    policy_from_settings,
)
from newscrawler.paths import safe_site_dirname
from newscrawler.redaction import RedactingFilter, redact
from newscrawler.security import AddressPolicy, blocked_reason, parse_allowlist, parse_ip


@pytest.mark.parametrize(
    "module", [security_module, content_module, retry_module, redaction_module]
)
def test_doctests(module: object) -> None:
    assert doctest.testmod(module).failed == 0  # type: ignore[arg-type]


# --- address policy ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("127.5.6.7", "loopback"),
        ("::1", "loopback"),
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("fc00::1", "private"),
        ("169.254.169.254", "cloud-metadata"),
        ("100.100.100.200", "cloud-metadata"),
        ("fd00:ec2::254", "cloud-metadata"),
        ("169.254.1.1", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::ffff:127.0.0.1", "loopback"),
        ("100.64.0.1", "not-global"),
    ],
)
def test_non_public_addresses_are_refused_with_their_reason(address: str, reason: str) -> None:
    ip = parse_ip(address)
    assert ip is not None
    assert blocked_reason(ip) == reason
    assert AddressPolicy().refusal(ip) == reason


@pytest.mark.parametrize("address", ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address: str) -> None:
    ip = parse_ip(address)
    assert ip is not None and AddressPolicy().refusal(ip) is None


@given(st.ip_addresses(network="10.0.0.0/8") | st.ip_addresses(network="127.0.0.0/8"))
def test_every_private_or_loopback_ipv4_is_refused(address: ipaddress.IPv4Address) -> None:
    assert AddressPolicy().refusal(address) is not None


def test_allowlist_opens_only_what_it_lists() -> None:
    policy = AddressPolicy.from_setting("127.0.0.1, 10.1.0.0/16")
    assert policy.refusal(ipaddress.ip_address("127.0.0.1")) is None
    assert policy.refusal(ipaddress.ip_address("10.1.2.3")) is None
    assert policy.refusal(ipaddress.ip_address("127.0.0.2")) == "loopback"
    assert policy.refusal(ipaddress.ip_address("169.254.169.254")) == "cloud-metadata"
    assert policy.refusal(ipaddress.ip_address("::1")) == "loopback"


def test_allowlist_forms() -> None:
    assert parse_allowlist(["127.0.0.1", "::1"]) == (
        ipaddress.ip_network("127.0.0.1/32"),
        ipaddress.ip_network("::1/128"),
    )
    assert parse_allowlist("") == ()
    assert parse_allowlist(None) == ()
    assert parse_allowlist("*") is None
    assert AddressPolicy.from_setting(True).refusal(ipaddress.ip_address("10.0.0.1")) is None


def test_malformed_allowlist_fails_loudly_naming_the_entry() -> None:
    with pytest.raises(ValueError, match="'localhost'"):
        parse_allowlist("127.0.0.1,localhost")


def test_settings_false_strings_keep_the_guard_on() -> None:
    for value in ("", "false", "none"):
        policy = policy_from_settings(Settings({"NEWSCRAWLER_ALLOW_PRIVATE_ADDRESSES": value}))
        assert policy.refusal(ipaddress.ip_address("127.0.0.1")) == "loopback"


def test_dns_overrides_accept_json_and_reject_non_addresses() -> None:
    pins = dns_overrides(
        Settings({"NEWSCRAWLER_DNS_OVERRIDES": '{"News.Example.TEST": "1.2.3.4"}'})
    )
    assert pins == {"news.example.test": "1.2.3.4"}
    with pytest.raises(ValueError, match="not IP addresses"):
        dns_overrides(Settings({"NEWSCRAWLER_DNS_OVERRIDES": {"a.test": "b.test"}}))


# --- resolver --------------------------------------------------------------------------------
def _resolver(allow: str = "", pins: dict[str, str] | None = None) -> GuardedResolver:
    from twisted.internet import reactor

    return GuardedResolver(reactor, 0, 5.0, AddressPolicy.from_setting(allow), pins)  # type: ignore[arg-type]


def _result(resolver: GuardedResolver, name: str) -> object:
    results: list[object] = []
    resolver.getHostByName(name).addBoth(results.append)
    assert len(results) == 1  # pinned names answer synchronously
    return results[0]


def test_resolver_refuses_a_public_name_pinned_to_loopback() -> None:
    resolver = _resolver(pins={"news.example.com": "127.0.0.1"})
    failure = _result(resolver, "news.example.com")
    assert getattr(failure, "type", None) is DNSLookupError
    assert "refused by the SSRF guard" in str(getattr(failure, "value", ""))
    assert resolver.refusal("NEWS.example.com") == ("127.0.0.1", "loopback")


def test_resolver_lets_allowed_and_public_answers_through() -> None:
    pins = {"local.test": "127.0.0.1", "public.test": "93.184.216.34"}
    resolver = _resolver("127.0.0.1", pins)
    assert _result(resolver, "local.test") == "127.0.0.1"
    assert _result(resolver, "public.test") == "93.184.216.34"
    assert resolver.refusal("local.test") is None


# --- SSRF middleware ---------------------------------------------------------------------------
def _ssrf(allow: str = "", refusals: dict[str, tuple[str, str]] | None = None):  # type: ignore[no-untyped-def]
    crawler = get_crawler()
    assert crawler.stats is not None
    crawler.stats.open_spider()
    middleware = SSRFGuardMiddleware(
        AddressPolicy.from_setting(allow),
        crawler.stats,
        resolver_refusal=lambda host: (refusals or {}).get(host),
    )
    return middleware, crawler.stats


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:8080/admin", "loopback"),
        ("http://[::1]/", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "cloud-metadata"),
        ("http://192.168.0.1/", "private"),
        ("file:///etc/passwd", "scheme"),
        ("ftp://example.com/x", "scheme"),
    ],
)
def test_middleware_refuses_literal_addresses_and_other_schemes(
    url: str, reason: str, caplog: pytest.LogCaptureFixture
) -> None:
    middleware, stats = _ssrf()
    with pytest.raises(IgnoreRequest):
        middleware.process_request(Request(url))
    assert stats.get_value("newscrawler/ssrf/refused") == 1
    assert stats.get_value(f"newscrawler/ssrf/refused/{reason}") == 1
    assert "SSRF guard refused" in caplog.text


def test_middleware_passes_public_and_allowed_hosts() -> None:
    middleware, stats = _ssrf("127.0.0.1")
    assert middleware.process_request(Request("http://127.0.0.1:8080/")) is None
    assert middleware.process_request(Request("https://news.example.com/")) is None
    assert stats.get_value("newscrawler/ssrf/refused") is None


def test_middleware_explains_a_resolver_refusal_and_stops_retries(
    caplog: pytest.LogCaptureFixture,
) -> None:
    middleware, stats = _ssrf(refusals={"news.example.com": ("127.0.0.1", "loopback")})
    request = Request("http://news.example.com/a")
    with pytest.raises(IgnoreRequest):
        middleware.process_exception(request, CannotResolveHostError("no results"))
    assert "news.example.com resolves to 127.0.0.1 (loopback)" in caplog.text
    assert stats.get_value("newscrawler/ssrf/refused/loopback") == 1
    # a real DNS failure of another host is left to the retry middleware
    assert middleware.process_exception(Request("http://gone.test/"), DNSLookupError()) is None


# --- content guard -----------------------------------------------------------------------------
def _guard():  # type: ignore[no-untyped-def]
    crawler = get_crawler()
    assert crawler.stats is not None
    crawler.stats.open_spider()
    return ContentGuardMiddleware(crawler.stats), crawler.stats


def _response(body: bytes, content_type: str | None, url: str = "http://x.test/a") -> Response:
    headers = {"Content-Type": content_type} if content_type else {}
    return Response(url, body=body, headers=headers)


@pytest.mark.parametrize(
    ("content_type", "key"),
    [
        ("application/pdf", "content_type/application/pdf"),
        ("image/jpeg", "content_type/image/jpeg"),
        ("video/mp4", "content_type/video/mp4"),
    ],
)
def test_non_pages_are_skipped_by_content_type(content_type: str, key: str) -> None:
    guard, stats = _guard()
    with pytest.raises(IgnoreRequest, match="not a web page"):
        guard.process_response(Request("http://x.test/a"), _response(b"%PDF-1.4", content_type))
    assert stats.get_value(f"newscrawler/skipped/{key}") == 1
    with pytest.raises(StopDownload):
        guard.headers_received(Headers({"Content-Type": content_type}), 10, Request("http://x/"))


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3", "pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpeg"),
        (b"\x1f\x8b\x08\x00" + bytes(100), "gzip"),
        (bytes(range(32)) * 20, "binary"),
    ],
)
def test_binary_served_as_html_is_skipped(body: bytes, kind: str) -> None:
    guard, stats = _guard()
    with pytest.raises(IgnoreRequest, match=f"{kind} bytes served as text/html"):
        guard.process_response(Request("http://x.test/a"), _response(body, "text/html"))
    assert stats.get_value("newscrawler/skipped/binary") == 1


def test_pages_with_a_few_control_characters_pass() -> None:
    guard, _ = _guard()
    body = "<html><body><p>Caf\u00e9\x00 cr\u00e8me\x01 br\u00fbl\u00e9e</p>".encode() * 20
    response = HtmlResponse("http://x.test/a", body=body, headers={"Content-Type": "text/html"})
    assert guard.process_response(Request("http://x.test/a"), response) is response


def test_gzipped_sitemaps_and_xml_pass() -> None:
    guard, _ = _guard()
    gz = b"\x1f\x8b\x08\x00" + bytes(100)
    for response in (
        _response(gz, "application/x-gzip", "http://x.test/sitemap.xml.gz"),
        _response(gz, None, "http://x.test/sitemap.xml.gz"),
        _response(gz, "text/html", "http://x.test/sitemap.xml.gz"),
        _response(b"<?xml version='1.0'?><urlset/>", "application/xml"),
    ):
        assert guard.process_response(Request(response.url), response) is response


def test_empty_200_is_skipped_with_a_counter() -> None:
    guard, stats = _guard()
    with pytest.raises(IgnoreRequest, match="empty 200"):
        guard.process_response(Request("http://x.test/a"), _response(b"", "text/html"))
    assert stats.get_value("newscrawler/skipped/empty_body") == 1


@given(st.text(st.characters(min_codepoint=0x20, exclude_categories=["Cs"]), max_size=2000))
def test_text_is_never_taken_for_binary(text: str) -> None:
    body = f"<html><body><p>{text}</p></body></html>".encode()
    assert binary_kind(body) is None


def test_media_type() -> None:
    assert media_type("Text/HTML; charset=UTF-8") == "text/html"
    assert media_type(None) == ""


# --- retry -------------------------------------------------------------------------------------
def test_retry_after_forms() -> None:
    assert retry_after_seconds(b"3") == 3.0
    assert retry_after_seconds("  7 ") == 7.0
    assert retry_after_seconds("Thu, 01 Jan 1970 00:00:00 GMT") == 0.0  # in the past
    assert retry_after_seconds("") is None
    assert retry_after_seconds("-5") is None
    assert retry_after_seconds(None) is None


@given(st.text(max_size=60) | st.binary(max_size=60))
def test_retry_after_never_raises(value: str | bytes) -> None:
    seconds = retry_after_seconds(value)
    assert seconds is None or seconds >= 0


def test_retry_after_above_the_cap_gives_up_at_once(caplog: pytest.LogCaptureFixture) -> None:
    import asyncio

    crawler = get_crawler(settings_dict={"NEWSCRAWLER_RETRY_AFTER_MAX": 10})
    crawler.spider = crawler._create_spider("t")  # type: ignore[attr-defined]
    assert crawler.stats is not None
    crawler.stats.open_spider()
    middleware = BackoffRetryMiddleware.from_crawler(crawler)
    request = Request("http://x.test/a")
    response = Response(request.url, status=429, headers={"Retry-After": "3600"})
    result = asyncio.run(middleware.process_response(request, response))
    assert result is response
    assert crawler.stats.get_value("newscrawler/retry/retry_after_too_long") == 1
    assert "Retry-After 3600 s, above the 10 s cap" in caplog.text


# --- log redaction -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("Crawled (200) <GET https://alice:hunter2@news.example.com/a>", "hunter2"),
        ("Error downloading <GET http://bob:pw%40x@feeds.example/>", "pw%40x"),
        ("headers {b'Authorization': [b'Bearer eyJhbGciOi.abc']}", "eyJhbGciOi"),
        ("Proxy-Authorization: Basic dXNlcjpwYXNz", "dXNlcjpwYXNz"),
        ("Cookie: session=abcdef123; theme=dark", "abcdef123"),
        ("GET https://api.example/v1?api_key=K3Y&x=1", "K3Y"),
        ("redirect to /login?next=/&token=T0K", "T0K"),
        ("ValueError: invalid hostname: bob:PWSECRET@127.0.0.1", "PWSECRET"),
    ],
)
def test_redact_masks_credentials(line: str, secret: str) -> None:
    assert secret not in redact(line)
    assert "***" in redact(line)


def test_redact_keeps_ordinary_urls() -> None:
    line = "Crawled (200) <GET https://news.example.com/2026/11/a-b?page=2> (referer: None)"
    assert redact(line) == line
    assert redact("mail jean@example.fr at 10:30") == "mail jean@example.fr at 10:30"


def test_filter_redacts_args_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    log = logging.getLogger("newscrawler.test.redaction")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("fetching %s", "https://u:topsecret@x.test/")
        try:
            raise ValueError("bad url https://u:topsecret@x.test/")
        except ValueError:
            log.exception("failed")
    finally:
        log.removeHandler(handler)
    output = stream.getvalue()
    assert "topsecret" not in output
    assert "fetching https://***@x.test/" in output
    assert "ValueError: bad url https://***@x.test/" in output


# --- output paths ------------------------------------------------------------------------------
@given(st.text(max_size=300))
def test_site_dirname_is_one_harmless_path_component(name: str) -> None:
    dirname = safe_site_dirname(name)
    assert dirname and len(dirname) <= 100
    assert "/" not in dirname and "\\" not in dirname and "\x00" not in dirname
    assert dirname not in (".", "..") and not dirname.startswith(".")
    assert PurePosixPath("/out", dirname).parent == PurePosixPath("/out")


@pytest.mark.parametrize("name", ["../../etc", "/etc/passwd", "..", "a/../../b", "C:\\Windows"])
def test_site_dirname_defeats_traversal(name: str, tmp_path: Path) -> None:
    assert (tmp_path / safe_site_dirname(name)).resolve().parent == tmp_path.resolve()


# --- redirect loops ----------------------------------------------------------------------------
def test_a_redirect_back_into_its_own_chain_is_dropped(caplog: pytest.LogCaptureFixture) -> None:
    from newscrawler.middlewares.redirects import RedirectLoopMiddleware

    crawler = get_crawler()
    assert crawler.stats is not None
    crawler.stats.open_spider()
    middleware = RedirectLoopMiddleware(crawler.stats)
    first = Request("http://x.test/b", meta={"redirect_urls": ["http://x.test/a"]})
    onward = Response(first.url, status=302, headers={"Location": "/c"})
    assert middleware.process_response(first, onward) is onward
    back = Response(first.url, status=301, headers={"Location": "/a"})
    with pytest.raises(IgnoreRequest):
        middleware.process_response(first, back)
    assert "Redirect loop dropped: http://x.test/a -> http://x.test/b -> http://x.test/a" in (
        caplog.text
    )
    assert crawler.stats.get_value("newscrawler/redirect/loop") == 1
    ok = Response("http://x.test/a", status=200)
    assert middleware.process_response(Request("http://x.test/a"), ok) is ok


def test_a_redirect_to_no_url_is_left_to_scrapy() -> None:
    # w3lib 2.6 refuses a host with a space (ValueError); older ones quote it. Either way the
    # loop guard passes the response on unchanged instead of failing the request itself.
    from newscrawler.middlewares.redirects import RedirectLoopMiddleware, redirect_target

    crawler = get_crawler()
    assert crawler.stats is not None
    crawler.stats.open_spider()
    middleware = RedirectLoopMiddleware(crawler.stats)
    bad = Response("http://x.test/a", status=302, headers={"Location": "http://a b/"})
    assert middleware.process_response(Request("http://x.test/a"), bad) is bad
    assert redirect_target(bad) in (None, "http://a b/", "http://a%20b/")
    assert crawler.stats.get_value("newscrawler/redirect/loop") is None
