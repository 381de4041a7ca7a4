"""IncrementalPipeline in-process: a real crawler and its StateExtension, a real sqlite state.

Which delivered article an item is compared with (its canonical URL first, then the URL it was
fetched at), what it is counted as, and how an unchanged one is dropped.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from itemadapter import ItemAdapter
from scrapy import Spider
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from newscrawler.items import Article
from newscrawler.state import SqliteStateStore, Staged, content_hash
from newscrawler.state.delivery import StateExtension
from newscrawler.state.pipeline import IncrementalPipeline, UnchangedArticle

A = "https://news.example/2026/11/a/"
B = "https://news.example/2026/11/b/"


def article(canonical: str | None = A, url: str | None = None, **fields: Any) -> Article:
    values: dict[str, Any] = {"headline": "A story", "body": "Text.", "site": "news.example"}
    if canonical is not None:
        values["canonical_url"] = canonical
    if url is not None:
        values["url"] = url
    return Article(**{**values, **fields})


def delivered(store: SqliteStateStore, item: Article, revision: int = 1) -> None:
    """The item as an earlier run delivered it (under its canonical URL and its fetched URL)."""
    fields = ItemAdapter(item).asdict()
    canonical = str(fields["canonical_url"] or fields["url"])
    store.begin_run(canonical, None, "t")
    store.stage(
        canonical,
        Staged(canonical, fields["url"], fields["id"], content_hash(fields), revision, "t"),
    )
    store.commit_run(canonical)


def counts(stats: Any) -> dict[str, int]:
    return {
        verdict: stats.get_value(f"newscrawler/articles/{verdict}") or 0
        for verdict in ("new", "updated", "unchanged")
    }


def test_from_crawler_compares_with_the_runs_state_and_honours_full(state_crawler: Any) -> None:
    crawler = state_crawler()
    extension = crawler.get_extension(StateExtension)
    delivered(extension.store, article())
    pipeline = IncrementalPipeline.from_crawler(crawler)
    with pytest.raises(UnchangedArticle):
        pipeline.process_item(article())
    assert crawler.stats.get_value("newscrawler/articles/unchanged") == 1

    full_crawler = state_crawler(NEWSCRAWLER_FULL=True)
    delivered(full_crawler.get_extension(StateExtension).store, article())
    assert IncrementalPipeline.from_crawler(full_crawler).process_item(article()).revision == 1
    assert full_crawler.stats.get_value("newscrawler/articles/unchanged") == 1


def test_from_crawler_without_state_is_not_configured() -> None:
    with pytest.raises(NotConfigured):
        IncrementalPipeline.from_crawler(get_crawler())


def test_an_article_without_canonical_url_is_known_by_its_url(
    store: SqliteStateStore, stats: Any
) -> None:
    delivered(store, article(None, url=A))
    pipeline = IncrementalPipeline(store, stats)
    with pytest.raises(UnchangedArticle, match=f"unchanged since revision 1: {A}$"):
        pipeline.process_item(article(None, url=A))
    assert pipeline.process_item(article(None, url=A, body="New.")).revision == 2


def test_an_article_whose_canonical_url_changed_is_known_by_the_url_it_was_fetched_at(
    store: SqliteStateStore, stats: Any
) -> None:
    delivered(store, article(A, url=A), revision=3)
    moved = article(B, url=A + "?utm_source=rss", body="Text, moved.")
    assert IncrementalPipeline(store, stats).process_item(moved).revision == 4
    assert counts(stats) == {"new": 0, "updated": 1, "unchanged": 0}


def test_the_canonical_url_decides_over_the_fetched_url(
    store: SqliteStateStore, stats: Any
) -> None:
    delivered(store, article(A, url=A), revision=1)
    delivered(store, article(B, url=B, body="Other."), revision=5)
    # canonical A, fetched at B (a redirect, a syndicated copy): compared with A, unchanged
    with pytest.raises(UnchangedArticle, match="unchanged since revision 1"):
        IncrementalPipeline(store, stats).process_item(article(A, url=B))


def test_articles_without_id_are_counted_by_url(store: SqliteStateStore, stats: Any) -> None:
    pipeline = IncrementalPipeline(store, stats)
    for item in (article(A), article(B), article(A, url=A + "amp/")):
        assert pipeline.process_item(item).revision == 1
    assert counts(stats) == {"new": 2, "updated": 0, "unchanged": 0}


def test_articles_with_an_id_are_counted_by_id(store: SqliteStateStore, stats: Any) -> None:
    pipeline = IncrementalPipeline(store, stats)
    pipeline.process_item(article(A, id="1"))
    pipeline.process_item(article(B, id="1"))  # an alias of the same article
    assert counts(stats) == {"new": 1, "updated": 0, "unchanged": 0}
    pipeline.process_item(article(B, id="2", body="Other."))
    assert counts(stats) == {"new": 2, "updated": 0, "unchanged": 0}


def test_each_verdict_is_counted_under_its_name(store: SqliteStateStore, stats: Any) -> None:
    delivered(store, article(A))
    delivered(store, article(B))
    pipeline = IncrementalPipeline(store, stats)
    pipeline.process_item(article("https://news.example/c/"))
    pipeline.process_item(article(A, body="Changed."))
    with pytest.raises(UnchangedArticle):
        pipeline.process_item(article(B))
    assert counts(stats) == {"new": 1, "updated": 1, "unchanged": 1}


def test_an_unchanged_article_is_dropped_quietly(store: SqliteStateStore) -> None:
    """Scrapy logs a dropped item at the exception's level: DEBUG, not the default WARNING."""
    crawler = get_crawler(Spider)
    spider = Spider.from_crawler(crawler, name="news")
    delivered(store, article())
    with pytest.raises(UnchangedArticle) as dropped:
        IncrementalPipeline(store, crawler.stats).process_item(article())
    logged = crawler.logformatter.dropped(article(), dropped.value, None, spider)
    assert logged["level"] == logging.DEBUG
