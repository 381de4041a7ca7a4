"""Keep credentials out of logs: URLs with user:password@, auth headers, token parameters.

Log files of nightly runs are shared, pasted into tickets and shipped to log stores; a start URL
such as https://user:secret@feeds.example/ or a proxy with credentials must not leak there. The
filter rewrites each record's final message (and any traceback) before any handler writes it.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

MASK = "***"

_URL_USERINFO = re.compile(r"(?P<scheme>\b[a-zA-Z][a-zA-Z0-9+.-]*://)(?P<userinfo>[^/\s@'\"<>]+)@")
# user:password@host without a scheme, as in "invalid hostname: bob:secret@host" errors
_BARE_USERINFO = re.compile(r"(?<![\w/*])[^\s/@:'\"<>]+:[^\s/@'\"<>]+@(?=[\w.\[-])")
_SECRET_HEADERS = (
    r"authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|x-auth-token"
)
# Header: value, 'Header': [b'value'], b'Header': b'value', Header=value
_HEADER = re.compile(
    rf"(?P<name>b?['\"]?(?:{_SECRET_HEADERS})['\"]?\s*[:=]\s*)"
    r"(?P<value>\[[^\]]*\]|b?'[^']*'|b?\"[^\"]*\"|[^\r\n,;}]+)",
    re.IGNORECASE,
)
_SECRET_PARAMS = re.compile(
    r"(?P<name>[?&;](?:access_token|api_key|apikey|auth|key|password|passwd|secret|sig|signature"
    r"|token|session|sessionid|sid)=)(?P<value>[^&#\s'\"<>]+)",
    re.IGNORECASE,
)


def redact(text: str) -> str:
    """`text` with URL credentials, secret header values and secret query values masked.

    >>> redact("GET https://bob:s3cret@example.com/feed?token=abc&page=2")
    'GET https://***@example.com/feed?token=***&page=2'
    >>> redact("{b'Authorization': [b'Basic Ym9iOnMzY3JldA==']}")
    "{b'Authorization': ***}"
    """
    text = _URL_USERINFO.sub(rf"\g<scheme>{MASK}@", text)
    text = _BARE_USERINFO.sub(f"{MASK}@", text)
    text = _HEADER.sub(rf"\g<name>{MASK}", text)
    return _SECRET_PARAMS.sub(rf"\g<name>{MASK}", text)


class RedactingFilter(logging.Filter):
    """A handler filter that redacts the formatted message and traceback of every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: let the handler report it as usual
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def install(logger: logging.Logger | None = None) -> RedactingFilter:
    """Attach one RedactingFilter to every handler of `logger` (the root logger by default)."""
    target = logger or logging.getLogger()
    existing = next(
        (f for h in target.handlers for f in h.filters if isinstance(f, RedactingFilter)), None
    )
    redactor = existing or RedactingFilter()
    for handler in target.handlers:
        if redactor not in handler.filters:
            handler.addFilter(redactor)
    return redactor


class LogRedaction:
    """Extension: keep the redacting filter on the root handlers (NEWSCRAWLER_LOG_REDACTION).

    Scrapy re-creates its root log handler after extensions are built, so the filter is
    installed again when the engine starts, before the first request is logged.
    """

    def __init__(self) -> None:
        install()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LogRedaction:
        from scrapy import signals
        from scrapy.exceptions import NotConfigured

        if not crawler.settings.getbool("NEWSCRAWLER_LOG_REDACTION", True):
            raise NotConfigured
        extension = cls()
        crawler.signals.connect(extension.reinstall, signal=signals.engine_started)
        crawler.signals.connect(extension.reinstall, signal=signals.spider_opened)
        return extension

    def reinstall(self) -> None:
        install()
