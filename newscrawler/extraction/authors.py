"""Author names from bylines: "By Jane Doe and John Roe, Staff Writer" -> ["Jane Doe", "John Roe"].

Why a module: bylines mix names with prefixes (By/Par/Von/Por), roles, dates, emails, handles,
agencies and navigation text ("Email the author"). The vocabulary lives in data/bylines.json so
new languages are data, not code. Agencies and desks are kept only when no person is named.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from newscrawler.extraction.sitenames import names_site
from newscrawler.text import normalize_text

_EMAIL = re.compile(r"\S+@\S+\.\w+")
_HANDLE = re.compile(r"(?<!\w)@\w+")
_URL = re.compile(r"https?://\S+|www\.\S+")
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
# dates, times, counts: a number standing alone ("March 3", "14:05", "2024"); "BR24" is a name
_DIGITS = re.compile(r"(?<!\w)[\d.:/-]*\d[\d.:/-]*(?!\w)")
_SEPARATORS = re.compile(r"\s*(?:[,;|/·•\n]|\s-\s|\s–\s|\s—\s)\s*")
_MAX_WORDS = 6


@dataclass(frozen=True)
class Vocabulary:
    """Byline words, lower case (see data/bylines.json)."""

    prefix: re.Pattern[str]
    label: re.Pattern[str]  # a line that opens with a byline word ("By", "Par", "Author:")
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
        label=re.compile(
            r"^\W*(?:" + "|".join(re.escape(p.strip()) for p in prefixes) + r")(?:\s*:|\s|$)",
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
    if not any(c.isalpha() for c in part):
        return None
    if any(low.startswith(n + " ") for n in vocab.not_names if " " in n):
        return None
    words = part.split()
    if len(words) > _MAX_WORDS or all(w.casefold() in vocab.not_names for w in words):
        return None
    # "Jane Doe Staff Writer": a trailing role glued on without punctuation
    for cut in range(len(words) - 1, 1, -1):
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
    text = _PARENS.sub(" ", text)
    text = _URL.sub(" ", _EMAIL.sub(" ", text))
    text = _HANDLE.sub(" ", text).replace("(", " ").replace(")", " ")
    text = " ".join(w for w in text.split(" ") if "@" not in w)  # leftovers of emails/handles
    text = _strip_prefix(text.strip())
    names: list[str] = []
    for chunk in _SEPARATORS.split(text):
        for part in vocabulary().connector.split(chunk):
            name = _clean_name(part)
            if name and name not in names:
                names.append(name)
    return names


def opens_byline(text: str) -> bool:
    """Whether a line opens with a byline word ("By", "Par", "Von", "Author:"): the cheap test
    before a line of the page's header is read as a byline.

    >>> opens_byline("By Jane Doe"), opens_byline("Par"), opens_byline("Bypass works")
    (True, True, False)
    """
    return vocabulary().label.match(text) is not None


def labelled_names(line: str, site_names: Sequence[str] = ()) -> list[str]:
    """Person names of a labelled byline printed on the page ("By Jane Doe · 3 min read",
    "Par Marie Dupont, le 3 mars 2024", "Author: Jane Doe"); [] when the line does not open
    with a byline word or names no one who looks like a person.

    >>> labelled_names("Par Marie Dupont, le 3 mars 2024")
    ['Marie Dupont']
    >>> labelled_names("Von den 30 Teilnehmern kamen zwölf"), labelled_names("Jane Doe")
    ([], [])
    """
    if not opens_byline(line):
        return []
    names, person = choose([(line, True)], site_names, strict=True)
    return names if person else []


def looks_like_name(name: str) -> bool:
    """A person's name as printed in a byline: 2-5 words, each capitalised (in cased scripts).

    >>> looks_like_name("Dr. Max Kolter"), looks_like_name("kicker"), looks_like_name("牛镛")
    (True, False, True)
    """
    words = name.split()
    if not any(c.isalpha() and not c.isupper() and not c.islower() for c in name):
        if not 2 <= len(words) <= _MAX_WORDS - 1:
            return False
        return all(w[0].isupper() or not w[0].isalpha() or w in _PARTICLES for w in words)
    return len(words) <= 2  # scripts without case (CJK...): short runs only


_PARTICLES = frozenset(
    {
        "de",
        "da",
        "di",
        "do",
        "dos",
        "van",
        "von",
        "der",
        "den",
        "del",
        "la",
        "le",
        "bin",
        "ibn",
        "al",
        "el",
        "du",
        "ter",
        "zu",
    }
)


def _shaped(name: str, strict: bool) -> bool:
    """Page-text bylines (strict) must look like names; metadata is trusted as it is."""
    return not strict or looks_like_name(name)


def choose(
    candidates: Iterable[tuple[str, bool]],
    site_names: Sequence[str] = (),
    *,
    strict: bool = False,
) -> tuple[list[str], bool]:
    """Author list from (raw byline or name, is_person) candidates of one source, and whether
    it names a person.

    Persons come first, with any agency credited beside them ("Jane Doe, dpa"). The site itself,
    desks and organisations are returned only when no person is named. `strict` (for bylines
    found in the page rather than in metadata) also requires names to look like names.

    >>> choose([("Jane Doe, AFP", True)])
    (['Jane Doe', 'AFP'], True)
    >>> choose([("Reuters", False)])
    (['Reuters'], False)
    >>> choose([("Lesotho Times", True)], ["lesothotimes.com"])
    (['Lesotho Times'], False)
    """
    persons: list[str] = []
    agencies: list[str] = []
    others: list[str] = []
    for raw, is_person in candidates:
        for name in split_byline(raw) if is_person else [normalize_text(raw)]:
            if not name:
                continue
            if is_agency(name):
                target = agencies
            elif not is_person or names_site(name, site_names) or not _shaped(name, strict):
                target = others
            else:
                target = persons
            if name.casefold() not in {n.casefold() for n in target}:
                target.append(name)
    if persons:
        return persons + agencies, True
    return agencies + others, False
