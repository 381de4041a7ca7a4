"""Every NEWSCRAWLER_* setting checked once, before a crawl starts: one line per bad value.

Why: a wrong value used to surface as a traceback from deep inside a component (for example
`-s NEWSCRAWLER_ALLOW_PRIVATE_ADDRESSES=1` from the SSRF guard). `SPECS` is the table of what
each setting accepts; `check_settings` reads the final settings (settings.py, `-s`, environment
through the CLI) and raises SettingError naming the setting, the bad value and what is accepted.
A test keeps `SPECS` complete: a new setting in settings.py without a row fails it.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

PREFIX = "NEWSCRAWLER_"
# How the SSRF guard reads its switch-like values (newscrawler.middlewares.ssrf)
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "none", "")


class SettingError(ValueError):
    """A setting value that cannot be used; the message is one line for the user."""


@dataclass(frozen=True)
class Spec:
    """What one setting accepts: `check` raises ValueError for a bad value; `accepted` says
    what is accepted, in words."""

    accepted: str
    check: Callable[[Any], object]


def _bool(value: Any) -> bool:
    """What Scrapy's Settings.getbool accepts, and nothing else (it raises on the rest)."""
    if isinstance(value, bool) or value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value in ("0", "1", "True", "true", "False", "false"):
        return value in ("1", "True", "true")
    raise ValueError


def _number(minimum: float, *, whole: bool = False, above: bool = False) -> Callable[[Any], float]:
    def check(value: Any) -> float:
        if isinstance(value, bool):
            raise ValueError
        number = float(value)  # ValueError/TypeError for text that is no number
        if whole and number != int(number):
            raise ValueError
        if number < minimum or (above and number == minimum) or number != number:
            raise ValueError
        return number

    return check


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError
    return value


def _one_of(*choices: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in choices:
            raise ValueError
        return str(value)

    return check


def _text_list(value: Any) -> list[str]:
    items = value.split(",") if isinstance(value, str) else value
    if isinstance(items, list | tuple) and all(isinstance(item, str) for item in items):
        return [item.strip() for item in items if item.strip()]
    raise ValueError


def _clean_fields(value: Any) -> list[str]:
    from newscrawler.pipelines import field_paths  # raises ValueError naming the bad path

    return field_paths(_text_list(value))


def _json_object(value: Any) -> Mapping[str, Any]:
    if isinstance(value, str):
        value = json.loads(value) if value.strip() else {}
    if not isinstance(value, Mapping):
        raise ValueError
    return value


def _allowlist(value: Any) -> object:
    from newscrawler.security import parse_allowlist

    if isinstance(value, str) and value.strip().lower() in _TRUE:
        raise ValueError  # `=1` reads as "on" but would mean nothing: say what is accepted
    if value is False or value is None or (isinstance(value, str) and value.lower() in _FALSE):
        return ()
    return parse_allowlist(value)


def _dns_overrides(value: Any) -> object:
    from newscrawler.security import parse_ip

    pins = _json_object(value)
    if any(parse_ip(str(ip)) is None for ip in pins.values()):
        raise ValueError
    return pins


def _quality(value: Any) -> object:
    from newscrawler.quality import setting_overrides

    return setting_overrides(value)


BOOL = Spec("true or false (also True/False, 1/0)", _bool)
COUNT = Spec("a whole number ≥ 0", _number(0, whole=True))
SECONDS = Spec("a number of seconds ≥ 0", _number(0))
TEXT = Spec("text", _text)

SPECS: Mapping[str, Spec] = {
    # politeness and identity
    "NEWSCRAWLER_CONTACT_URL": Spec("a URL or e-mail address people can reach you at", _text),
    # hostile input (SSRF guard, content guard, retries)
    "NEWSCRAWLER_ALLOW_PRIVATE_ADDRESSES": Spec(
        "IP addresses or networks, comma-separated (127.0.0.1, 10.0.0.0/8,::1), or * for all",
        _allowlist,
    ),
    "NEWSCRAWLER_DNS_OVERRIDES": Spec(
        'a JSON object of host name to IP address, e.g. {"news.example": "10.0.0.5"}',
        _dns_overrides,
    ),
    "NEWSCRAWLER_ALLOWED_SCHEMES": Spec("URL schemes, comma-separated (http,https)", _text_list),
    "NEWSCRAWLER_SKIPPED_CONTENT_TYPES": Spec(
        "media types or prefixes, comma-separated (application/pdf,image/)", _text_list
    ),
    "NEWSCRAWLER_RETRY_BACKOFF_BASE": SECONDS,
    "NEWSCRAWLER_RETRY_BACKOFF_MAX": SECONDS,
    "NEWSCRAWLER_RETRY_AFTER_MAX": SECONDS,
    "NEWSCRAWLER_LOG_REDACTION": BOOL,
    # scheduled runs
    "NEWSCRAWLER_STATE_ENABLED": BOOL,
    "NEWSCRAWLER_STATE_DIR": Spec("a directory path", _text),
    "NEWSCRAWLER_FULL": BOOL,
    "NEWSCRAWLER_SITE": TEXT,
    "NEWSCRAWLER_RECHECK_NOT_ARTICLES_DAYS": Spec("a number of days ≥ 0", _number(0)),
    "NEWSCRAWLER_REPORT_ENABLED": BOOL,
    "NEWSCRAWLER_QUALITY": Spec(
        'a JSON object of thresholds, e.g. {"authors": 0, "max_error_rate": 0.5}', _quality
    ),
    # discovery
    "NEWSCRAWLER_MAX_LISTING_PAGES": COUNT,
    "NEWSCRAWLER_MAX_PAGINATION": COUNT,
    "NEWSCRAWLER_MAX_LINK_DEPTH": COUNT,
    "NEWSCRAWLER_PROBE_COMMON_PATHS": BOOL,
    "NEWSCRAWLER_QUEUE_ON_DISK": BOOL,
    "NEWSCRAWLER_QUEUE_DIR": Spec(
        "a directory path (empty: the system's temporary directory)", _text
    ),
    "NEWSCRAWLER_SITEMAPS_IN_FLIGHT": Spec("a whole number ≥ 0 (0: no limit)", COUNT.check),
    "NEWSCRAWLER_PROGRESS": Spec('"tty", "log" or empty (off)', _one_of("", "tty", "log")),
    "NEWSCRAWLER_PROGRESS_INTERVAL": Spec("a number of seconds > 0", _number(0, above=True)),
    # the add-on's parts (newscrawler/addon.py) and the cleaning pipeline
    "NEWSCRAWLER_CLEANING_ENABLED": BOOL,
    "NEWSCRAWLER_ARTICLE_CHECKS_ENABLED": BOOL,
    "NEWSCRAWLER_ATOMIC_FEEDS_ENABLED": BOOL,
    "NEWSCRAWLER_SSRF_GUARD_ENABLED": BOOL,
    "NEWSCRAWLER_RETRY_POLICY_ENABLED": BOOL,
    "NEWSCRAWLER_CONTENT_GUARDS_ENABLED": BOOL,
    "NEWSCRAWLER_VALIDATE_SCHEMA": BOOL,
    "NEWSCRAWLER_CLEAN_FIELDS": Spec(
        "field paths, comma-separated (headline,body,quotes[].text)", _clean_fields
    ),
    # web archive (newscrawler/archive)
    "NEWSCRAWLER_ARCHIVE": Spec('empty (off), "1" (next to the feed) or a .warc.gz path', _text),
    "NEWSCRAWLER_REPLAY": Spec("WARC file paths, comma-separated (empty: off)", _text_list),
    # scale-out
    "NEWSCRAWLER_REDIS_LEASE_SECONDS": Spec("a number of seconds > 0", _number(0, above=True)),
    "NEWSCRAWLER_WORKER_ID": TEXT,
}


def problem(name: str, value: Any) -> str | None:
    """One line saying why `value` is not accepted for setting `name` (None: it is).

    >>> problem("NEWSCRAWLER_ALLOW_PRIVATE_ADDRESSES", "1")  # doctest: +ELLIPSIS
    "setting NEWSCRAWLER_ALLOW_PRIVATE_ADDRESSES: bad value '1'; accepted: IP addresses or ..."
    >>> problem("NEWSCRAWLER_MAX_LINK_DEPTH", "3") is None
    True
    """
    spec = SPECS.get(name)
    if spec is None:
        return None
    try:
        spec.check(value)
    except (ValueError, TypeError, OverflowError) as exc:
        detail = str(exc).split("\n", 1)[0] if isinstance(exc, ValueError) and str(exc) else ""
        detail = f" ({detail})" if detail and len(detail) < 400 else ""
        return f"setting {name}: bad value {value!r}{detail}; accepted: {spec.accepted}"
    return None


def unknown(names: Iterable[str]) -> list[str]:
    """Warnings for NEWSCRAWLER_* names that are in no spec, with the closest known name."""
    lines = []
    for name in sorted(str(n) for n in names):
        if name.startswith(PREFIX) and name not in SPECS:
            close = difflib.get_close_matches(name, SPECS, n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            lines.append(f"setting {name} is not a newscrawler setting{hint}")
    return lines


def check_settings(settings: Mapping[str, Any], given: Iterable[str] | None = None) -> list[str]:
    """Raise SettingError for the first bad NEWSCRAWLER_* value; return warnings for unknown
    NEWSCRAWLER_* names among `given` (the names the user set; default: all), which the caller
    prints: they may be a typo that does nothing."""
    for name in sorted(str(n) for n in settings):
        if name.startswith(PREFIX):
            message = problem(name, settings[name])
            if message:
                raise SettingError(message)
    return unknown(settings if given is None else given)
