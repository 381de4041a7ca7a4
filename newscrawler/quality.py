"""The quality gate of scheduled runs: thresholds a run's figures must meet, or the run fails.

A portal's layout change rarely breaks a crawl outright; it empties a field. So a run is judged on
what it produced: share of articles with each field filled, share of failed requests, and whether
articles came out at all when the sources listed new ones. Thresholds come from the site profile
(`[quality]` table) and settings, over sane defaults for unprofiled sites. Pure: no Scrapy here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType

from newscrawler.items import Article

# Fields that are always filled by construction: their coverage says nothing about the layout.
IDENTITY_FIELDS = frozenset(
    {"id", "url", "canonical_url", "site", "crawled_at", "schema_version", "revision"}
)
COVERAGE_FIELDS = tuple(f.name for f in fields(Article) if f.name not in IDENTITY_FIELDS)

# shares (0..1): failed requests, articles with cleaning leftovers (issue 17), listings emitted as
# articles and article-shaped URLs the run saw but did not fetch (issue 13)
SHARE_KEYS = ("max_error_rate", "max_leftover_rate", "max_listing_like", "max_unfetched")
DEFAULT_MIN_COVERAGE: Mapping[str, float] = MappingProxyType(
    {"headline": 0.9, "body": 0.9, "date_published": 0.5, "authors": 0.5}
)


@dataclass(frozen=True)
class Thresholds:
    """Minimum coverage per field (0..1), maximum error rate, minimum articles, maximum share of
    articles in which the cleaning pipeline still found something after extraction.

    Coverage and leftovers are judged only when at least `min_sample` articles were extracted, so
    an hourly run that found one agency dispatch without a byline does not fail.
    """

    min_coverage: Mapping[str, float] = field(default_factory=lambda: DEFAULT_MIN_COVERAGE)
    max_error_rate: float = 0.2
    max_leftover_rate: float = 0.05
    min_articles: int = 1
    min_sample: int = 5
    max_listing_like: float = 0.05
    max_unfetched: float = 0.5

    def updated(self, values: Mapping[str, object], origin: str) -> Thresholds:
        """These thresholds overridden by `values` (profile `[quality]` or a setting).

        Keys: a field name (minimum coverage, 0..1; 0 turns the check off), `max_error_rate`,
        `max_leftover_rate` (1 turns the check off), `min_articles`, `min_sample`. Anything else
        is an error naming `origin` and the key.

        >>> Thresholds().updated({"authors": 0, "max_error_rate": 0.5}, "test").max_error_rate
        0.5
        """
        coverage = dict(self.min_coverage)
        result = self
        for key, value in values.items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"{origin}: quality.{key} must be a number, got {value!r}")
            if key in COVERAGE_FIELDS or key in SHARE_KEYS:
                if not 0 <= value <= 1:
                    raise ValueError(f"{origin}: quality.{key} must be in 0..1, got {value!r}")
                if key in SHARE_KEYS:
                    result = replace(result, **{key: float(value)})  # type: ignore[arg-type]
                else:
                    coverage[key] = float(value)
            elif key in ("min_articles", "min_sample"):
                if value < 0 or value != int(value):
                    raise ValueError(f"{origin}: quality.{key} must be a whole number ≥ 0")
                count = int(value)
                if key == "min_articles":
                    result = replace(result, min_articles=count)
                else:
                    result = replace(result, min_sample=count)
            else:
                known = ", ".join((*COVERAGE_FIELDS, *SHARE_KEYS, "min_articles", "min_sample"))
                raise ValueError(f"{origin}: unknown quality key {key!r} (known: {known})")
        return replace(result, min_coverage=MappingProxyType(coverage))

    def as_dict(self) -> dict[str, object]:
        return {
            "min_coverage": dict(self.min_coverage),
            "max_error_rate": self.max_error_rate,
            "max_leftover_rate": self.max_leftover_rate,
            "min_articles": self.min_articles,
            "min_sample": self.min_sample,
            "max_listing_like": self.max_listing_like,
            "max_unfetched": self.max_unfetched,
        }


@dataclass(frozen=True)
class Figures:
    """What a run produced, as the gate sees it."""

    extracted: int  # articles extracted and valid this run (emitted or unchanged)
    emitted: int  # articles written to the output (new + updated)
    coverage: Mapping[str, float]  # field -> share of extracted articles with a value
    requests: int
    errors: int  # failed requests (HTTP status >= 400 or network error)
    new_listed: int  # article URLs that the sources listed and the state did not know
    leftovers: int = 0  # articles in which the cleaning pipeline found something (issue 17)
    listing_like: int = 0  # emitted items whose body is mostly other items' headlines
    shaped_seen: int = 0  # article-shaped URLs found
    shaped_unfetched: int = 0  # ... never fetched, and not known to the state either
    shared_frontier: bool = False  # workers share a frontier: others fetched what this one saw
    capped_by_user: bool = False  # the run stopped at max_articles: unfetched pages are wanted so

    @property
    def error_rate(self) -> float:
        return self.errors / self.requests if self.requests else 0.0

    @property
    def leftover_rate(self) -> float:
        return self.leftovers / self.extracted if self.extracted else 0.0


@dataclass(frozen=True)
class Failure:
    """One threshold a run fell below: names the figure, so the cron mail says what broke."""

    check: str
    figure: float
    threshold: float

    def __str__(self) -> str:
        if self.check == "max_error_rate":
            return f"error rate {self.figure:.2f} > {self.threshold:.2f}"
        if self.check == "max_leftover_rate":
            return f"cleaning leftovers in {self.figure:.2f} of articles > {self.threshold:.2f}"
        if self.check == "min_articles":
            return f"articles {self.figure:.0f} < {self.threshold:.0f} although sources listed new"
        if self.check == "max_listing_like":
            return (
                f"listings emitted as articles: {self.figure:.0%} of the items have a body made of"
                f" other items' headlines (> {self.threshold:.0%})"
            )
        if self.check == "max_unfetched":
            return (
                f"article-shaped URLs seen but not fetched: {self.figure:.0%}"
                f" (> {self.threshold:.0%}; caps, depth or robots.txt cut the crawl)"
            )
        return f"{self.check} coverage {self.figure:.2f} < {self.threshold:.2f}"


def evaluate(figures: Figures, thresholds: Thresholds) -> list[Failure]:
    """Every threshold the run fell below (empty: the run passes).

    >>> f = Figures(10, 10, {"authors": 0.0}, requests=12, errors=0, new_listed=10)
    >>> [str(x) for x in evaluate(f, Thresholds(min_coverage={"authors": 0.5}))]
    ['authors coverage 0.00 < 0.50']
    """
    failures = []
    if figures.extracted >= max(thresholds.min_sample, 1):
        for name, minimum in thresholds.min_coverage.items():
            share = figures.coverage.get(name, 0.0)
            if minimum > 0 and share < minimum:
                failures.append(Failure(name, share, minimum))
        if figures.leftover_rate > thresholds.max_leftover_rate:
            failures.append(
                Failure("max_leftover_rate", figures.leftover_rate, thresholds.max_leftover_rate)
            )
    if figures.requests and figures.error_rate > thresholds.max_error_rate:
        failures.append(Failure("max_error_rate", figures.error_rate, thresholds.max_error_rate))
    if figures.new_listed > 0 and figures.emitted < thresholds.min_articles:
        failures.append(Failure("min_articles", figures.emitted, thresholds.min_articles))
    return failures + discovery_failures(figures, thresholds)


def discovery_failures(figures: Figures, thresholds: Thresholds) -> list[Failure]:
    """Listings emitted as articles; far more article-shaped URLs seen than fetched.

    >>> f = Figures(10, 10, {}, requests=12, errors=0, new_listed=0, listing_like=3)
    >>> [x.check for x in discovery_failures(f, Thresholds())]
    ['max_listing_like']
    >>> f = Figures(10, 10, {}, 12, 0, 0, shaped_seen=150, shaped_unfetched=140)
    >>> [x.check for x in discovery_failures(f, Thresholds())]
    ['max_unfetched']
    >>> discovery_failures(replace(f, shared_frontier=True), Thresholds())  # others fetch them
    []
    """
    failures = []
    sample = max(thresholds.min_sample, 1)
    if figures.emitted >= sample and figures.listing_like:
        share = figures.listing_like / figures.emitted
        if share > thresholds.max_listing_like:
            failures.append(Failure("max_listing_like", share, thresholds.max_listing_like))
    if figures.shaped_seen >= sample and not (figures.capped_by_user or figures.shared_frontier):
        share = figures.shaped_unfetched / figures.shaped_seen
        if share > thresholds.max_unfetched:
            failures.append(Failure("max_unfetched", share, thresholds.max_unfetched))
    return failures


def coverage(counts: Mapping[str, int], total: int) -> dict[str, float]:
    """Shares from counts of filled fields (every coverage field present, 0.0 when unseen).

    >>> coverage({"authors": 1}, 4)["authors"]
    0.25
    """
    return {name: (counts.get(name, 0) / total if total else 0.0) for name in COVERAGE_FIELDS}


def is_filled(value: object) -> bool:
    """A field counts as covered when it holds something (False is a value; "" and [] are not)."""
    return value not in (None, "", [], {})


def setting_overrides(value: object) -> dict[str, object]:
    """The NEWSCRAWLER_QUALITY setting (a mapping, or its JSON text from `-s`), checked.

    >>> setting_overrides('{"authors": 0}')
    {'authors': 0}
    """
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else {}
        except json.JSONDecodeError as exc:
            raise ValueError(f"setting NEWSCRAWLER_QUALITY is not JSON: {exc}") from None
    if not isinstance(value, Mapping):
        raise ValueError(f"setting NEWSCRAWLER_QUALITY must be a JSON object, got {value!r}")
    overrides = {str(key): item for key, item in value.items()}
    Thresholds().updated(overrides, "setting NEWSCRAWLER_QUALITY")
    return overrides
