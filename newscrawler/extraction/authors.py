"""Author names from bylines: "By Jane Doe and John Roe, Staff Writer" -> ["Jane Doe", "John Roe"].

Why a module: bylines mix names with prefixes (By/Par/Von/Por), roles, dates, emails, handles,
agencies and navigation text ("Email the author"). The vocabulary lives in data/bylines.json so
new languages are data, not code. Agencies and desks are kept only when no person is named.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from newscrawler.text import normalize_text

_EMAIL = re.compile(r"\S+@\S+\.\w+")
_HANDLE = re.compile(r"(?<!\w)@\w+")
_URL = re.compile(r"https?://\S+|www\.\S+")
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_DIGITS = re.compile(r"\d")
_SEPARATORS = re.compile(r"\s*(?:[,;|/·•\n]|\s-\s|\s–\s|\s—\s)\s*")
_MAX_WORDS = 6


@dataclass(frozen=True)
class Vocabulary:
    """Byline words, lower case (see data/bylines.json)."""

    prefix: re.Pattern[str]
    connector: re.Pattern[str]
    roles: frozenset[str]
    not_names: frozenset[str]
    agencies: frozenset[str]


@cache
def vocabulary() -> Vocabulary:
    """The byline vocabulary, loaded once from the package data."""
    text = resources.files("newscrawler").joinpath("data/bylines.json").read_text("utf-8")
    data = json.loads(text)
    prefixes = sorted(data["prefixes"], key=len, reverse=True)
    connectors = [re.escape(c) for c in data["connectors"]]
    return Vocabulary(
        prefix=re.compile(
            r"^(?:" + "|".join(re.escape(p.strip()) for p in prefixes) + r")\s*:?\s+|^[^\w]*:\s*",
            re.IGNORECASE,
        ),
        connector=re.compile(r"\s+(?:" + "|".join(connectors) + r")\s+", re.IGNORECASE),
        roles=frozenset(data["roles"]),
        not_names=frozenset(data["not_names"]),
        agencies=frozenset(data["agencies"]),
    )


def is_agency(name: str) -> bool:
    """Whether `name` is a news agency (AFP, dpa, Reuters...), not a person.

    >>> is_agency("dpa"), is_agency("Jane Doe")
    (True, False)
    """
    return name.casefold() in vocabulary().agencies


def _strip_prefix(text: str) -> str:
    prefix = vocabulary().prefix
    while True:
        stripped = prefix.sub("", text, count=1)
        if stripped == text:
            return text
        text = stripped


def _clean_name(part: str) -> str | None:
    """One candidate name, or None when it is a role, a date, navigation text or a sentence."""
    vocab = vocabulary()
    part = _strip_prefix(part.strip(" \t-–—:.,;'\"«»“”"))
    part = part.strip(" \t-–—:.,;'\"«»“”")
    if not part:
        return None
    low = part.casefold()
    if low in vocab.not_names or low in vocab.roles or _DIGITS.search(part):
        return None
    if any(low.startswith(n + " ") for n in vocab.not_names if " " in n):
        return None
    words = part.split()
    if len(words) > _MAX_WORDS:
        return None
    # "Jane Doe Staff Writer": a trailing role glued on without punctuation
    for cut in range(len(words) - 1, 0, -1):
        if " ".join(words[cut:]).casefold() in vocab.roles:
            return " ".join(words[:cut])
    return part


def split_byline(byline: str) -> list[str]:
    """Names in a byline, in order, without prefixes, roles, dates, emails and handles.

    >>> split_byline("By Jane Doe and John Roe, Staff Writer")
    ['Jane Doe', 'John Roe']
    >>> split_byline("Par Marie Dupont et Jean Martin | Publié le 3 mars 2024")
    ['Marie Dupont', 'Jean Martin']
    >>> split_byline("Von Max Muster (dpa)")
    ['Max Muster']
    """
    text = normalize_text(byline)
    text = _URL.sub(" ", _EMAIL.sub(" ", text))
    text = _HANDLE.sub(" ", _PARENS.sub(" ", text))
    text = _strip_prefix(text.strip())
    names: list[str] = []
    for chunk in _SEPARATORS.split(text):
        for part in vocabulary().connector.split(chunk):
            name = _clean_name(part)
            if name and name not in names:
                names.append(name)
    return names


def choose(candidates: Iterable[tuple[str, bool]]) -> list[str]:
    """Final author list from (raw byline or name, is_person) candidates of one source.

    Persons win; agencies, desks and organisations are returned only when no person is named.

    >>> choose([("AFP", True), ("Jane Doe", True)])
    ['Jane Doe']
    >>> choose([("Reuters", False)])
    ['Reuters']
    """
    persons: list[str] = []
    others: list[str] = []
    for raw, is_person in candidates:
        for name in split_byline(raw) if is_person else [normalize_text(raw)]:
            if not name:
                continue
            target = persons if is_person and not is_agency(name) else others
            if name.casefold() not in {n.casefold() for n in target}:
                target.append(name)
    return persons or others
