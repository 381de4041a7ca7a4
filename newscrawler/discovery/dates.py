"""Dates as sitemaps and feeds write them (W3C datetime, RFC 822), and `since` arguments.

Always aware datetimes: a date without zone is taken as UTC, so comparisons never raise.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

_W3C_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def parse_date(text: str | None) -> datetime | None:
    """W3C/ISO 8601 or RFC 822 date to an aware datetime; None when unreadable.

    >>> parse_date("2024-05-02T10:00:00+02:00").isoformat()
    '2024-05-02T10:00:00+02:00'
    >>> parse_date("Thu, 02 May 2024 08:00:00 GMT").isoformat()
    '2024-05-02T08:00:00+00:00'
    >>> parse_date("2024-05") is not None, parse_date("soon")
    (True, None)
    """
    if not text:
        return None
    text = text.strip()
    if _W3C_DATE.match(text):
        year, month, day = [*text.split("-"), "01", "01"][:3]
        try:
            return datetime(int(year), int(month), int(day), tzinfo=UTC)
        except ValueError:
            return None
    try:
        return _aware(datetime.fromisoformat(text.upper()))  # RFC 3339 allows "t" and "z"
    except ValueError:
        pass
    try:
        return _aware(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        return None


def parse_since(text: str) -> datetime:
    """A `since` argument (date or datetime, ISO) to an aware datetime; ValueError if unreadable.

    >>> parse_since("2024-05-01").isoformat()
    '2024-05-01T00:00:00+00:00'
    """
    value = parse_date(text)
    if value is None or not re.match(r"^\d{4}-\d{2}-\d{2}", text.strip()):
        raise ValueError(f"since must be an ISO date such as 2024-05-01, got {text!r}")
    return value


def iso(value: datetime) -> str:
    """ISO 8601 with offset, seconds precision (the output schema's date form)."""
    return value.isoformat(timespec="seconds")
