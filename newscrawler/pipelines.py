"""Item pipelines: the last checks before an article reaches a feed. Writing is left to FEEDS."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from newscrawler.schema import is_valid, validation_errors
from newscrawler.seen import SeenKeys

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


class SchemaValidationPipeline:
    """Drop (and count, and log why) any article that does not validate against schema v1.

    Downstream datasets trust the schema; a line that breaks it must never be written.
    """

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SchemaValidationPipeline:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        article = ItemAdapter(item).asdict()
        if is_valid(article):  # errors are listed only for the rare invalid article
            return item
        errors = validation_errors(article)
        self.stats.inc_value("newscrawler/dropped/schema_invalid")
        raise DropItem(f"article {article.get('url')} fails schema v1: {'; '.join(errors[:3])}")


class DuplicateArticlePipeline:
    """Emit each article id once per run, whichever URL (AMP, utm-tagged, alias...) reached it."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats
        self.seen = SeenKeys()  # compact: a run may emit hundreds of thousands of ids

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DuplicateArticlePipeline:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        article_id = str(adapter.get("id"))
        if article_id in self.seen:
            self.stats.inc_value("newscrawler/dropped/duplicate")
            raise DropItem(f"duplicate article {article_id} ({adapter.get('url')})")
        self.seen.add(article_id)
        self.stats.inc_value("newscrawler/articles/emitted")
        return item
