"""IncrementalPipeline: emit only new or changed articles, with the revision they deserve."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from newscrawler.state.store import StateStore, Verdict, classify, content_hash

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector


class UnchangedArticle(DropItem):
    """The article was delivered before with the same content: not emitted again."""


class IncrementalPipeline:
    """Compare each article with its delivered state: new -> revision 1, changed -> revision + 1,
    unchanged -> dropped (quietly, counted), unless the run is --full.

    Read-only on the store: recording deliveries is the StateExtension's job, after the file holding
    them is finalized.
    """

    def __init__(self, store: StateStore, stats: StatsCollector, *, full: bool = False) -> None:
        self.store = store
        self.stats = stats
        self.full = full
        self.counted: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalPipeline:
        from newscrawler.state.delivery import attached_state

        store, stats, full = attached_state(crawler)
        return cls(store, stats, full=full)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        fetched = adapter.get("url")
        url = adapter.get("canonical_url") or fetched
        # no URL at all is looked up as "None", which no state holds: `if url` only spares the query
        previous = self.store.get(str(url)) if url else None  # pragma: no mutate
        if previous is None and fetched:  # its canonical URL changed since: known by the fetched
            previous = self.store.get(str(fetched))
        verdict, revision = classify(previous, content_hash(adapter.asdict()))
        adapter["revision"] = revision
        key = str(adapter.get("id") or url)
        if key not in self.counted:  # a second copy (AMP, alias) is the duplicate filter's job
            self.counted.add(key)
            self.stats.inc_value(f"newscrawler/articles/{verdict.value}")
        if verdict is Verdict.UNCHANGED and not self.full:
            raise UnchangedArticle(f"unchanged since revision {revision}: {url}", log_level="DEBUG")
        return item
