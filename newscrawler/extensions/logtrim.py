"""One log line per network failure: no 45-line traceback for a refused connection.

A refused connection, a DNS failure or a timeout is an answer about the network, not a bug; the
traceback Scrapy attaches (scraper "Error downloading", robots.txt middleware) says nothing the
exception's name and message do not. A handler filter folds such records into one line:
`<message>: <ExceptionName>: <text>`. Bugs in our own code keep their traceback.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from twisted.internet.error import ConnectError, ConnectionLost, DNSLookupError
from twisted.internet.error import TimeoutError as TwistedTimeoutError

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

NETWORK_ERRORS: tuple[type[BaseException], ...] = (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    ResponseDataLossError,
    IgnoreRequest,  # a refusal (robots.txt, SSRF guard): its message is the whole story
    ConnectError,  # twisted: refused, no route, DNS lookup (a subclass), ...
    ConnectionLost,
    DNSLookupError,
    TwistedTimeoutError,
    TimeoutError,
    ConnectionError,
)


def is_network_failure(error: BaseException | None) -> bool:
    """A download/network failure, also when wrapped (twisted's ResponseNeverReceived etc.).

    >>> is_network_failure(DownloadTimeoutError("took 30 s")), is_network_failure(KeyError("x"))
    (True, False)
    """
    if error is None:
        return False
    if isinstance(error, NETWORK_ERRORS):
        return True
    # twisted.web's ResponseNeverReceived / ResponseFailed wrap the real reasons
    reasons = getattr(error, "reasons", None) or []
    return bool(reasons) and all(is_network_failure(getattr(r, "value", None)) for r in reasons)


class OneLineNetworkFailures(logging.Filter):
    """Handler filter: records carrying a network failure lose their traceback, keep one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if not is_network_failure(error):
            return True
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: let the handler report it as usual
            return True
        assert error is not None
        text = str(error).strip()
        if text and text not in message:
            message = f"{message}: {type(error).__name__}: {text}"
        record.msg, record.args = message, None
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


def install_on_root(log_filter: logging.Filter) -> None:
    """Attach `log_filter` to every handler of the root logger (once each).

    Filters on handlers see records of every logger; Scrapy re-creates its root handler after
    extensions are built, so extensions call this again when the engine starts.
    """
    for handler in logging.getLogger().handlers:
        if log_filter not in handler.filters:
            handler.addFilter(log_filter)


class LogTrim:
    """Extension: keep OneLineNetworkFailures on the root log handlers."""

    def __init__(self) -> None:
        self.filter = OneLineNetworkFailures()
        self.install()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LogTrim:
        extension = cls()
        crawler.signals.connect(extension.install, signal=signals.engine_started)
        crawler.signals.connect(extension.install, signal=signals.spider_opened)
        return extension

    def install(self) -> None:
        install_on_root(self.filter)
