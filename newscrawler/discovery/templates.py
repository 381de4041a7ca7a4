"""URL templates a site uses, learned while crawling it: which shapes hold articles, which hold
listings, which hold neither.

Why: a portal builds every article URL from one or two templates (`/article/<int>`,
`/<yyyy>/<mm>/<slug>/`) and every section page from others (`/articles/<int>?page=<int>`). Once a
few fetched pages of one shape were all judged the same way, a new URL of that shape can be judged
before it is fetched: articles first, listings followed but never emitted, and shapes that never
held an article nor led anywhere (about, contact) not fetched at all. The book is plain data, so
the site's state keeps it between runs (cron runs start knowing the site).

A "skip" verdict is never final: a site may start publishing articles under a shape that held
none. Each run lets one URL of every shape that earlier runs judged "skip" through: the first one
the run meets (links are met newest first on home and section pages) that no earlier probe
fetched, so successive runs try successive pages rather than the same old one forever. If it is
an article, the shape is mixed from then on and its URLs are fetched again. The cost is bounded:
one page per skipped shape per run.

Nothing here keys on a site: a shape is made of generic tokens (numbers, years, slugs) and the
literal words of the path.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

# How many pages of one shape, all judged alike, before the shape decides unseen URLs.
MIN_EVIDENCE = 3
# Shapes remembered at most (a site with more has no usable template structure anyway).
MAX_SHAPES = 2000

_INT = re.compile(r"\d+")
_MONTH = re.compile(r"\d{1,2}")
_YEAR = re.compile(r"(?:19|20)\d\d")
_SUFFIX = re.compile(r"(\.[a-z]{2,5})$", re.IGNORECASE)
_SLUG = re.compile(r"[^\W_]+(?:[-_][^\W_]+)+")  # two or more words joined by - or _
_ID = re.compile(r"(?=[a-z]*\d)(?=\d*[a-z])[a-z\d]{6,}", re.IGNORECASE)  # a1b2c3: letters+digits
_WORD = re.compile(r"[^\W\d_]{1,40}")


def _segment(text: str, previous: str | None, before_month: bool) -> str:
    """The token for one path segment: literal words stay, variable parts become placeholders.
    A year is a year only before a month (`/2025/11/`): `/article/2000` holds an id."""
    suffix_match = _SUFFIX.search(text)
    suffix = suffix_match.group(1).lower() if suffix_match else ""
    stem = text[: len(text) - len(suffix)]
    if before_month and _YEAR.fullmatch(stem):
        token = "<yyyy>"
    elif _INT.fullmatch(stem) and len(stem) <= 2 and previous in ("<yyyy>", "<mm>"):
        token = "<mm>" if previous == "<yyyy>" else "<dd>"
    elif _INT.fullmatch(stem):
        token = "<int>"
    elif _SLUG.fullmatch(stem):
        # a trailing number in a slug (`story-12345`) is part of the article's name
        token = "<slug>"
    elif _ID.fullmatch(stem):
        token = "<id>"
    elif _WORD.fullmatch(stem):
        token = stem.lower()
    else:
        token = "<str>"
    return token + suffix


def url_shape(url: str) -> str:
    """The template a URL is an instance of: literal words kept, variable parts as placeholders.

    >>> url_shape("https://ex.com/article/123")
    '/article/<int>'
    >>> url_shape("https://ex.com/2025/11/council-votes-budget/")
    '/<yyyy>/<mm>/<slug>/'
    >>> url_shape("https://ex.com/articles/4?page=2&utm_source=x")
    '/articles/<int>?page=<int>&utm_source=<str>'
    >>> url_shape("https://ex.com/?p=42"), url_shape("https://ex.com/news/storm-hits-coast.html")
    ('/?p=<int>', '/news/<slug>.html')
    >>> url_shape("https://ex.com/"), url_shape("https://ex.com/about")
    ('/', '/about')
    """
    parts = urlsplit(url)
    tokens: list[str] = []
    previous: str | None = None  # pragma: no mutate ("" or any non-placeholder: the same)
    segments = [segment for segment in parts.path.split("/") if segment]
    for i, segment in enumerate(segments):
        before_month = any(_MONTH.fullmatch(after) for after in segments[i + 1 : i + 2])
        previous = _segment(segment, previous, before_month)
        tokens.append(previous)
    shape = "/" + "/".join(tokens)
    if tokens and parts.path.endswith("/"):
        shape += "/"
    # parameter names are compared lower-cased (`?Page=2` is `?page=2`); non-ASCII names dropped
    values = {
        key.lower(): value
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.isascii()
    }
    if values:
        shape += "?" + "&".join(
            f"{key}=<int>" if _INT.fullmatch(values[key]) else f"{key}=<str>"
            for key in sorted(values)
        )
    return shape


def _never(url: str) -> bool:
    """No earlier probe is known (a book without a state)."""
    return False


@dataclass
class ShapeCounts:
    """How the fetched pages of one shape were judged."""

    articles: int = 0
    listings: int = 0
    others: int = 0

    @property
    def total(self) -> int:
        return self.articles + self.listings + self.others


class TemplateBook:
    """The shapes of one site with the verdicts of their pages; says what an unseen URL is.

    >>> book = TemplateBook()
    >>> for n in (1, 2, 3):
    ...     book.learn(f"https://ex.com/article/{n}", "article")
    ...     book.learn(f"https://ex.com/articles/{n}?page=2", "listing")
    >>> book.kind_of("https://ex.com/article/99"), book.kind_of("https://ex.com/articles/7?page=9")
    ('article', 'listing')
    >>> book.kind_of("https://ex.com/2025/01/new-shape/") is None
    True
    >>> book.learn("https://ex.com/article/4", "listing")  # one page disagrees: the shape is mixed
    >>> book.kind_of("https://ex.com/article/99") is None
    True
    """

    def __init__(self, min_evidence: int = MIN_EVIDENCE) -> None:
        self.min_evidence = min_evidence
        self.shapes: dict[str, ShapeCounts] = {}
        self.changed = False  # learned something since loaded (the state saves only then)
        self.to_probe: set[str] = set()  # shapes earlier runs judged "skip", not yet re-probed
        self.probed: list[str] = []  # URLs let through to re-probe them, this run
        self.probe_verdicts: dict[str, str] = {}  # probed URL -> its page's verdict, this run
        # whether an earlier run's probe fetched `url` (the state answers; TemplateMemory sets it)
        self.probed_before: Callable[[str], bool] = _never

    def learn(self, url: str, kind: str) -> None:
        """Count one fetched page's verdict: "article", "listing" or "other"."""
        if url in self.probed:
            self.probe_verdicts[url] = kind
        shape = url_shape(url)
        counts = self.shapes.get(shape)
        if counts is None:
            if len(self.shapes) >= MAX_SHAPES:
                return
            counts = self.shapes[shape] = ShapeCounts()
        if kind == "article":
            counts.articles += 1
        elif kind == "listing":
            counts.listings += 1
        else:
            counts.others += 1
        self.changed = True

    def verdict(self, shape: str) -> str | None:
        """ "article", "listing" or "skip" for a shape with enough unanimous evidence, else None.

        A shape whose pages were all listings stays "listing" (followed, never emitted); one whose
        pages were neither articles nor listings is "skip"; mixed shapes decide nothing.
        """
        counts = self.shapes.get(shape)
        if counts is None or counts.total < self.min_evidence:
            return None
        if counts.articles == counts.total:
            return "article"
        if counts.articles:
            return None
        if counts.listings == counts.total:
            return "listing"
        if counts.others == counts.total and self._may_skip(shape, counts):
            return "skip"
        return None

    def _may_skip(self, shape: str, counts: ShapeCounts) -> bool:
        """Skipping unseen pages is the costly mistake, so it takes twice the evidence and a shape
        with a literal word in its path (`/video/<slug>`): a shape of placeholders only
        (`/<slug>/`) holds a WordPress site's static pages and its posts alike.

        >>> book = TemplateBook.from_rows([("/video/<slug>", 0, 0, 6), ("/<slug>/", 0, 0, 9)])
        >>> book.verdict("/video/<slug>"), book.verdict("/<slug>/")
        ('skip', None)
        """
        literal = any(
            token and not token.startswith("<") for token in shape.split("?")[0].split("/")
        )
        return literal and counts.others >= 2 * self.min_evidence

    def kind_of(self, url: str, *, probe: bool = False) -> str | None:
        """What an unseen URL is by its shape, when the shape's pages were judged alike.

        With `probe` (the URL will be fetched if not skipped), the first URL of a shape that an
        earlier run judged "skip" and that no earlier probe fetched is let through undecided, once
        per run (see the module's doc).

        >>> book = TemplateBook.from_rows([("/video/<slug>", 0, 0, 6)])
        >>> book.probed_before = lambda url: url.endswith("clip-1")  # the last run's probe
        >>> [book.kind_of(f"https://ex.com/video/clip-{n}", probe=True) for n in (1, 2, 3)]
        ['skip', None, 'skip']
        >>> book.kind_of("https://ex.com/video/clip-4"), book.probed
        ('skip', ['https://ex.com/video/clip-2'])
        """
        shape = url_shape(url)
        verdict = self.verdict(shape)
        if verdict == "skip" and probe and shape in self.to_probe and not self.probed_before(url):
            self.to_probe.discard(shape)
            self.probed.append(url)
            return None
        return verdict

    def rows(self) -> Iterator[tuple[str, int, int, int]]:
        """(shape, articles, listings, others) rows, most seen first: for the state."""
        ordered = sorted(self.shapes.items(), key=lambda item: (-item[1].total, item[0]))
        for shape, counts in ordered:
            yield shape, counts.articles, counts.listings, counts.others

    @classmethod
    def from_rows(
        cls, rows: Iterable[tuple[str, int, int, int]], min_evidence: int = MIN_EVIDENCE
    ) -> TemplateBook:
        """The book a state kept (see `rows`).

        >>> book = TemplateBook.from_rows([("/article/<int>", 5, 0, 0)])
        >>> book.kind_of("https://ex.com/article/6"), list(book.rows()), book.changed
        ('article', [('/article/<int>', 5, 0, 0)], False)
        """
        book = cls(min_evidence)
        for shape, articles, listings, others in rows:
            if len(book.shapes) < MAX_SHAPES:
                book.shapes[str(shape)] = ShapeCounts(int(articles), int(listings), int(others))
        book.to_probe = {shape for shape in book.shapes if book.verdict(shape) == "skip"}
        return book

    def describe(self, limit: int = 20) -> list[str]:
        """Human-readable lines for `newscrawler state show`: shape, verdict, counts.

        >>> book = TemplateBook.from_rows([("/article/<int>", 5, 0, 0), ("/about", 1, 0, 1)])
        >>> for line in book.describe():
        ...     print(line)
        /article/<int>  article  (5 article, 0 listing, 0 other)
        /about  undecided  (1 article, 0 listing, 1 other)
        """
        lines = []
        for shape, articles, listings, others in list(self.rows())[:limit]:
            verdict = self.verdict(shape) or "undecided"
            lines.append(
                f"{shape}  {verdict}  ({articles} article, {listings} listing, {others} other)"
            )
        return lines
