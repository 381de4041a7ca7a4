"""Listings emitted as articles, told by their bodies: mostly the headlines of other emitted items.

Why: a section page that slipped through as an article has a body made of teasers, one headline
(with or without its summary) after another, and those headlines are the headlines of articles the
same run emitted. A real article quotes another headline now and then, not line after line.
Pure and small: per item it keeps the 64-bit digests of the first words of its first body lines,
and the check runs once at the end of the run.
"""

from __future__ import annotations

import re
from array import array

from newscrawler.seen import digest

MAX_LINES = 15  # body lines looked at per item
PREFIX_WORDS = range(3, 7)  # a headline key is its first 6 words (or all, from 3 words)
MIN_ECHOES = 3  # body lines that are other items' headlines before an item is suspect
MIN_SHARE = 0.3  # ... and the share of its lines they make
MAX_ITEMS = 50_000  # items remembered (beyond, the check samples the first ones)
_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())[: max(PREFIX_WORDS)]


def headline_key(headline: str) -> int | None:
    """The digest a headline is known by: its first six words (None under three words)."""
    words = _words(headline)
    return digest(" ".join(words)) if len(words) >= min(PREFIX_WORDS) else None


def line_keys(line: str) -> list[int]:
    """Digests of the line's first 3, 4, 5 and 6 words: one equals the key of a headline the
    line starts with."""
    words = _words(line)
    return [digest(" ".join(words[:n])) for n in PREFIX_WORDS if n <= len(words)]


class HeadlineEcho:
    """Collects (headline, body) of emitted items; counts items whose body echoes the others.

    >>> echo = HeadlineEcho()
    >>> stories = [f"Council votes budget number {n} today" for n in range(4)]
    >>> for n, title in enumerate(stories):
    ...     echo.add(title, f"The council met on day {n}. It voted.\\nMembers spoke at length.")
    >>> echo.add("Latest news", "\\n".join(f"{t}\\nA short summary." for t in stories))
    >>> echo.listing_like()
    1
    """

    def __init__(self) -> None:
        self.headlines: dict[int, int] = {}  # headline key -> how many items carry it
        self.items: list[tuple[int | None, int, array[int]]] = []  # (own key, lines, line keys)

    def add(self, headline: str | None, body: str | None) -> None:
        """Remember one emitted item."""
        if len(self.items) >= MAX_ITEMS:
            return
        key = headline_key(headline or "")
        if key is not None:
            self.headlines[key] = self.headlines.get(key, 0) + 1
        lines = [line for line in (body or "").splitlines() if line.strip()][:MAX_LINES]
        slots = len(PREFIX_WORDS)  # each line takes as many slots, 0 filling the unused ones
        keys = array("Q")
        for line in lines:
            found = line_keys(line)
            keys.extend(found + [0] * (slots - len(found)))
        self.items.append((key, len(lines), keys))

    def echoes(self, own: int | None, keys: array[int]) -> int:
        """How many of an item's lines start with the headline of another item."""
        count, slots = 0, len(PREFIX_WORDS)
        for start in range(0, len(keys), slots):
            for key in keys[start : start + slots]:
                if key and self.headlines.get(key, 0) - (key == own) > 0:
                    count += 1
                    break
        return count

    def listing_like(self) -> int:
        """How many items have a body mostly made of other items' headlines."""
        suspects = 0
        for own, lines, keys in self.items:
            found = self.echoes(own, keys)
            suspects += lines > 0 and found >= MIN_ECHOES and found >= MIN_SHARE * lines
        return suspects
