"""ArticleLoader: maps the values that pure extraction returns into an Article item.

Extraction does the hard work; the loader owns the last mile that is the same for every source:
text fields normalised, empty values dropped, list fields de-duplicated in order, and fallbacks
(hints from sitemaps and feeds) used only where the page itself gave nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from itemloaders.processors import Identity, MapCompose, TakeFirst
from scrapy.loader import ItemLoader

from newscrawler.extraction.page import extract_page
from newscrawler.extraction.pagekind import PageVerdict
from newscrawler.items import Article
from newscrawler.profiles.model import Profile
from newscrawler.text import normalize_lines, normalize_text

if TYPE_CHECKING:
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector

TEXT_FIELDS = ("headline", "description", "section")
LIST_OF_TEXT_FIELDS = ("authors", "tags")
LIST_OF_OBJECT_FIELDS = ("quotes", "read_also")
FETCHED_AT_META = "newscrawler_fetched_at"  # set by newscrawler.archive.middleware


def unique(values: Iterable[Any]) -> list[Any]:
    """Keep the first occurrence of each value, in order (case-insensitive for strings).

    >>> unique(["Ana", "ana", "Bo"])
    ['Ana', 'Bo']
    """
    seen: set[Any] = set()
    kept = []
    for value in values:
        key = value.casefold() if isinstance(value, str) else repr(value)
        if key not in seen:
            seen.add(key)
            kept.append(value)
    return kept


def _drop_empty(value: Any) -> Any:
    return value if value not in ("", None) else None


class ArticleLoader(ItemLoader):
    default_item_class = Article
    default_input_processor = MapCompose(_drop_empty)
    default_output_processor = TakeFirst()

    headline_in = section_in = MapCompose(normalize_text, _drop_empty)
    description_in = MapCompose(normalize_lines, _drop_empty)  # one line per paragraph
    authors_in = tags_in = MapCompose(normalize_text, _drop_empty)
    authors_out = tags_out = unique
    quotes_out = read_also_out = Identity()

    # Processors resolved once per field: ItemLoader looks them up on every value, re-reading
    # the dataclass fields for metadata each time (half the loader's time per article).
    _processors: ClassVar[dict[tuple[type, str, str], Callable[..., Any]]] = {}

    def get_input_processor(self, field_name: str) -> Callable[..., Any]:
        return self._processor("in", field_name, super().get_input_processor)

    def get_output_processor(self, field_name: str) -> Callable[..., Any]:
        return self._processor("out", field_name, super().get_output_processor)

    def _processor(
        self, side: str, field_name: str, resolve: Callable[[str], Callable[..., Any]]
    ) -> Callable[..., Any]:
        key = (type(self), side, field_name)
        found = self._processors.get(key)
        if found is None:
            found = self._processors[key] = resolve(field_name)
        return found


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def fetched_at(response: Response) -> datetime | None:
    """When an archived (or replayed) response was fetched: its WARC-Date, so that `crawled_at`
    and relative dates are the same whenever the page is extracted again. None: now."""
    meta = response.request.meta if response.request is not None else {}
    when = meta.get(FETCHED_AT_META)
    return when if isinstance(when, datetime) else None


def load_article(
    response: Response,
    profile: Profile | None = None,
    hints: Mapping[str, Any] | None = None,
    *,
    stats: StatsCollector | None = None,
) -> Article:
    """Extract the article in a response and load it into an Article item (see load_page)."""
    return load_page(response, profile, hints, stats=stats)[0]


def load_page(
    response: Response,
    profile: Profile | None = None,
    hints: Mapping[str, Any] | None = None,
    *,
    stats: StatsCollector | None = None,
) -> tuple[Article, PageVerdict]:
    """The article in a response, loaded into an Article item, and the page-kind verdict
    (extraction.pagekind: is it one article, and why), both from one parse of the page.

    `hints` are fallbacks known before the page was fetched (Google News sitemap title, date,
    language, keywords...): used only for fields the page itself leaves empty. With `stats`
    (the crawler's), what cleaning did is counted: `newscrawler/cleaning/shortcodes/<kind>`,
    `newscrawler/cleaning/quotes`, `newscrawler/cleaning/read_also`.
    """
    # Bytes + header, not response.text: Scrapy trusts the header charset, which often lies
    # (newscrawler.encoding decides from the bytes themselves; issue 8).
    content_type = response.headers.get(b"Content-Type")
    counters: dict[str, int] = {}
    extracted, verdict = extract_page(
        response.body,
        response.url,
        profile,
        now=fetched_at(response),
        content_type=content_type.decode("latin-1") if content_type else None,
        stats=counters,
    )
    if stats is not None:
        for key, count in counters.items():
            stats.inc_value(f"newscrawler/cleaning/{key}", count)
    loader = ArticleLoader()
    for name, value in extracted.items():
        loader.add_value(name, value)
    for name, value in (hints or {}).items():
        if name in extracted and _is_empty(extracted[name]):
            loader.add_value(name, value)
    item: Article = loader.load_item()
    return item, verdict
