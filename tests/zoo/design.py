"""The choices a zoo portal is built from, and a seeded pairwise covering design over them.

Why a covering design: the choices are independent, so bugs live in pairs of them (a date URL with
a table listing, a feed linked only from an <a> on a site without sitemap). Every pair of values
of two dimensions appears in at least one portal, with far fewer portals than the full product.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import combinations, product

DIMENSIONS: dict[str, tuple[str, ...]] = {
    # /article/17, /news/council-votes-budget, /2025/11/council-votes-budget, /?p=17,
    # /politics/council-votes-budget-17.html
    "url": ("numeric", "slug", "date", "query", "html"),
    "slash": ("yes", "no"),  # trailing slash on path URLs (articles and sections)
    # where the sections live: /category/politics/ (WordPress), /politics/, /articles/2
    "section": ("wordpress", "bare", "numeric"),
    # Bootstrap cards with summaries, a plain headline list, a table, an image-only grid
    "listing": ("cards", "headlines", "table", "grid"),
    # ?page=N numbered (Bootstrap), /page/N/ (WordPress paginate_links), <link rel=next> only,
    # a "next" word link, a "load more" link to a plain HTML page
    "pagination": ("numbers", "wordpress", "rel_next", "words", "load_more"),
    # robots.txt sitemap, <link rel=alternate> feed, feed linked only from an <a>, nothing
    "syndication": ("sitemap", "feed_link", "feed_anchor", "none"),
    # JSON-LD + Open Graph, Open Graph title only, nothing (date and byline as visible text)
    "metadata": ("full", "partial", "none"),
    "language": ("en", "fr", "de", "es"),
}


@dataclass(frozen=True)
class Choice:
    """One portal's choices (one value per dimension)."""

    url: str
    slash: str
    section: str
    listing: str
    pagination: str
    syndication: str
    metadata: str
    language: str

    @property
    def name(self) -> str:
        return "-".join(getattr(self, d) for d in DIMENSIONS)


def _pairs(row: dict[str, str]) -> set[tuple[str, str, str, str]]:
    return {(a, row[a], b, row[b]) for a, b in combinations(DIMENSIONS, 2)}


def covering_design(seed: int = 13, candidates: int = 60) -> list[Choice]:
    """Rows until every pair of values of every two dimensions is covered (greedy: each row is the
    best of `candidates` random rows, seeded, so the zoo is the same on every run).

    >>> rows = covering_design()
    >>> len(rows) >= 16 and all(
    ...     {getattr(r, d) for r in rows} == set(v) for d, v in DIMENSIONS.items())
    True
    """
    rng = random.Random(seed)
    uncovered = {
        (a, x, b, y)
        for a, b in combinations(DIMENSIONS, 2)
        for x, y in product(DIMENSIONS[a], DIMENSIONS[b])
    }
    rows: list[Choice] = []
    while uncovered:
        best: dict[str, str] = {}
        best_gain = -1
        target = next(iter(sorted(uncovered)))  # each row covers at least one missing pair
        for _ in range(candidates):
            row = {d: rng.choice(values) for d, values in DIMENSIONS.items()}
            row[target[0]], row[target[2]] = target[1], target[3]
            gain = len(_pairs(row) & uncovered)
            if gain > best_gain:
                best, best_gain = row, gain
        uncovered -= _pairs(best)
        rows.append(Choice(**best))
    return rows
