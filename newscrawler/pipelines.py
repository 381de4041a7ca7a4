"""Item pipelines: the last checks before an article reaches a feed. Writing is left to FEEDS.

They work on any item type (itemadapter: dict, dataclass, attrs, scrapy.Item), so other Scrapy
projects can use them through the add-on (newscrawler.addon): cleaning applies to every item,
schema validation and duplicate dropping to newscrawler Articles only, unless
NEWSCRAWLER_VALIDATE_SCHEMA is True.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from newscrawler.extraction.itemtext import TextCleaner
from newscrawler.items import Article
from newscrawler.profiles.model import Profile
from newscrawler.report import CLEANING, LEFTOVER, LEFTOVER_ITEMS
from newscrawler.schema import is_valid, validation_errors
from newscrawler.seen import SeenKeys

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


def _checked(item: Any, validate_all: bool) -> bool:
    """Whether the article pipelines judge `item`: newscrawler Articles, or all when asked."""
    return validate_all or isinstance(item, Article)


class SchemaValidationPipeline:
    """Drop (and count, and log why) any article that does not validate against schema v1.

    Downstream datasets trust the schema; a line that breaks it must never be written. Items
    that are not newscrawler Articles pass untouched unless `validate_all`.
    """

    def __init__(self, stats: StatsCollector, *, validate_all: bool = False) -> None:
        self.stats = stats
        self.validate_all = validate_all

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SchemaValidationPipeline:
        assert crawler.stats is not None
        validate_all = crawler.settings.getbool("NEWSCRAWLER_VALIDATE_SCHEMA")
        return cls(crawler.stats, validate_all=validate_all)

    def process_item(self, item: Any) -> Any:
        if not _checked(item, self.validate_all):
            return item
        article = ItemAdapter(item).asdict()
        if is_valid(article):  # errors are listed only for the rare invalid article
            return item
        errors = validation_errors(article)
        self.stats.inc_value("newscrawler/dropped/schema_invalid")
        raise DropItem(f"article {article.get('url')} fails schema v1: {'; '.join(errors[:3])}")


class DuplicateArticlePipeline:
    """Emit each article id once per run, whichever URL (AMP, utm-tagged, alias...) reached it.

    Items that are not newscrawler Articles pass untouched unless `validate_all`.
    """

    def __init__(self, stats: StatsCollector, *, validate_all: bool = False) -> None:
        self.stats = stats
        self.validate_all = validate_all
        self.seen = SeenKeys()  # compact: a run may emit hundreds of thousands of ids

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DuplicateArticlePipeline:
        assert crawler.stats is not None
        validate_all = crawler.settings.getbool("NEWSCRAWLER_VALIDATE_SCHEMA")
        return cls(crawler.stats, validate_all=validate_all)

    def process_item(self, item: Any) -> Any:
        if not _checked(item, self.validate_all):
            return item
        adapter = ItemAdapter(item)
        article_id = str(adapter.get("id"))
        if article_id in self.seen:
            self.stats.inc_value("newscrawler/dropped/duplicate")
            raise DropItem(f"duplicate article {article_id} ({adapter.get('url')})")
        self.seen.add(article_id)
        self.stats.inc_value("newscrawler/articles/emitted")
        return item


DEFAULT_CLEAN_FIELDS = (
    "headline",
    "description",
    "body",
    "quotes[].text",
    "quotes[].attribution",
    "read_also[].title",
)
ONE_LINE_FIELDS = frozenset({"headline", "quotes[].attribution", "read_also[].title"})
# a quote without text or a link without title is nothing: the element goes with its text
ELEMENT_TEXTS = frozenset({"quotes[].text", "read_also[].title"})
LIFTED_FROM = "body"  # the field whose quote-like shortcodes and read-also lines move out


def field_paths(paths: Iterable[str]) -> list[str]:
    """Paths in the order they are cleaned: plain fields first (the body fills the lists), then
    fields of list elements ("quotes[].text").

    >>> field_paths(["quotes[].text", "body", "headline"])
    ['body', 'headline', 'quotes[].text']
    """
    paths = [p.strip() for p in paths if p.strip()]
    for path in paths:
        name, _, sub = path.partition("[].")
        if not name or "[" in name or (path.endswith("[]") or ("[]" in path and not sub)):
            raise ValueError(f"NEWSCRAWLER_CLEAN_FIELDS: bad field path {path!r}")
    return sorted(dict.fromkeys(paths), key=lambda p: "[]." in p)


class CleaningPipeline:
    """Clean the text fields of every item with extraction's cleaner (extraction/itemtext.py).

    Fields: NEWSCRAWLER_CLEAN_FIELDS (default DEFAULT_CLEAN_FIELDS); "name[].sub" cleans `sub` in
    every element of the list `name`. A quote-like shortcode or a read-also line in `body` moves
    to `quotes` / `read_also` when the item has those fields, else it is cleaned in place. A text
    that cleaning empties becomes None (the body stays a string); a quote or link left without
    text is removed (ELEMENT_TEXTS). Counters: newscrawler/cleaning/<what changed>.

    For newscrawler's own Articles the pipeline is the last guard before the feed: extraction
    cleaned them already, so anything found is a leftover, counted under
    newscrawler/cleaning/leftover/<kind>, logged once per kind, and judged by the quality gate.
    """

    def __init__(
        self,
        stats: StatsCollector,
        fields: Iterable[str] = DEFAULT_CLEAN_FIELDS,
        *,
        profile: Profile | None = None,
        crawler: Crawler | None = None,
    ) -> None:
        self.stats = stats
        self.fields = field_paths(fields)
        self.crawler = crawler
        self._cleaner = TextCleaner(profile) if crawler is None else None
        self.logged: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CleaningPipeline:
        assert crawler.stats is not None
        fields = crawler.settings.getlist("NEWSCRAWLER_CLEAN_FIELDS") or DEFAULT_CLEAN_FIELDS
        return cls(crawler.stats, fields, crawler=crawler)

    @property
    def cleaner(self) -> TextCleaner:
        """The cleaner, with the spider's site profile (its shortcodes and read-also phrases)."""
        if self._cleaner is None:
            profile = getattr(self.crawler.spider if self.crawler else None, "profile", None)
            self._cleaner = TextCleaner(profile if isinstance(profile, Profile) else None)
        return self._cleaner

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        changes = self.clean(adapter)
        self.stats.inc_value(CLEANING + "items")
        if not changes:
            return item
        if isinstance(item, Article):
            self._leftovers(changes, adapter.get("url"))
            return item
        self.stats.inc_value(CLEANING + "items_changed")
        for kind, count in sorted(changes.items()):
            self.stats.inc_value(CLEANING + kind, count)
        return item

    def _leftovers(self, changes: Counter[str], url: object) -> None:
        self.stats.inc_value(LEFTOVER_ITEMS)
        for kind, count in sorted(changes.items()):
            self.stats.inc_value(LEFTOVER + kind, count)
            if kind not in self.logged:
                self.logged.add(kind)
                logger.warning(
                    "Cleaning leftover after extraction (%s) in %s: cleaned before the feed; "
                    "further ones are only counted as %s%s",
                    kind, url, LEFTOVER, kind,
                )  # fmt: skip

    def clean(self, adapter: ItemAdapter) -> Counter[str]:
        """Clean the configured fields of one item in place; what changed, by kind."""
        changes: Counter[str] = Counter()
        names = set(adapter.field_names())
        base_url = adapter.get("url") if "url" in names else None
        for path in self.fields:
            name, _, sub = path.partition("[].")
            if name not in names:
                continue
            if sub:
                self._clean_elements(adapter, path, changes)
                continue
            lift = {
                target: name == LIFTED_FROM
                and target in names
                and isinstance(adapter.get(target), list | None)
                for target in ("quotes", "read_also")
            }
            value = adapter.get(name)
            url = base_url if isinstance(base_url, str) else None
            if isinstance(value, str):
                cleaned = self._text(value, path, changes, lift, url, adapter)
                if cleaned != value:
                    adapter[name] = cleaned
            elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                texts = [self._text(v, path, changes, lift, url, adapter) for v in value]
                kept = [t for t in texts if t]
                if kept != value:
                    adapter[name] = kept
        return changes

    def _text(
        self,
        value: str,
        path: str,
        changes: Counter[str],
        lift: dict[str, bool],
        base_url: str | None,
        adapter: ItemAdapter,
    ) -> Any:
        cleaned = self.cleaner.clean(
            value,
            one_line=path in ONE_LINE_FIELDS,
            lift_quotes=lift["quotes"],
            lift_read_also=lift["read_also"],
            base_url=base_url,
        )
        changes.update(cleaned.changes)
        for target, found in (("quotes", cleaned.quotes), ("read_also", cleaned.read_also)):
            if found:
                adapter[target] = [*(adapter.get(target) or []), *found]
        if not cleaned.text and value and path != LIFTED_FROM:
            return None
        return cleaned.text

    def _clean_elements(self, adapter: ItemAdapter, path: str, changes: Counter[str]) -> None:
        name, _, sub = path.partition("[].")
        elements = adapter.get(name)
        if not isinstance(elements, list):
            return
        kept = []
        for element in elements:
            if not ItemAdapter.is_item(element):
                kept.append(element)
                continue
            inner = ItemAdapter(element)
            value = inner.get(sub)
            if not isinstance(value, str):
                kept.append(element)
                continue
            cleaned = self.cleaner.clean(value, one_line=path in ONE_LINE_FIELDS)
            changes.update(cleaned.changes)
            if cleaned.text != value:
                inner[sub] = cleaned.text or None
            if cleaned.text or path not in ELEMENT_TEXTS:
                kept.append(element)
            else:
                changes["emptied/" + name] += 1
        if len(kept) != len(elements):
            adapter[name] = kept
