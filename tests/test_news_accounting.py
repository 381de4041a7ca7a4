"""The news spider accounts for every page it fetched: emitted, or a log line and a counter.

Also: a discovery cap that cuts a chain says so once per run and counts every cut.
Spider callbacks are driven directly with built responses (no network needed for this logic).
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from scrapy import Request
from scrapy.exceptions import DontCloseSpider
from scrapy.http import HtmlResponse
from scrapy.robotstxt import ProtegoRobotParser
from scrapy.utils.test import get_crawler

from newscrawler.extensions.context import KIND_META
from newscrawler.items import Article
from newscrawler.spiders.news import NewsSpider

BASE = "http://portal.example/"
BODY = "".join(
    f"<p>Un paragraphe assez long pour faire un article, numéro {i}.</p>" for i in range(8)
)


def article_page(title: str, canonical: str | None = None) -> str:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (
        f"<html lang='fr'><head><title>{title}</title>{link}"
        f"<meta property='og:type' content='article'></head>"
        f"<body><article><h1>{title}</h1>{BODY}</article></body></html>"
    )


def listing_page(title: str, links: list[str], head: str = "") -> str:
    anchors = "".join(f'<a href="{link}">{link}</a> ' for link in links)
    return (
        f"<html><head><title>{title}</title><meta property='og:type' content='website'>{head}"
        f"</head><body><h1>{title}</h1>{anchors}</body></html>"
    )


def spider(**settings: Any) -> NewsSpider:
    crawler = get_crawler(NewsSpider, settings_dict=settings)
    crawler._apply_settings()  # type: ignore[attr-defined]
    news: NewsSpider = crawler._create_spider(url=BASE)  # type: ignore[attr-defined,assignment]
    crawler.spider = news
    return news


def fetch(news: NewsSpider, path: str, html: str, **meta: Any) -> list[Any]:
    """Pass a fetched page through the spider as the engine would: signal, then callback."""
    request = Request(BASE.rstrip("/") + path, news.parse_page, meta=meta)
    response = HtmlResponse(request.url, body=html.encode(), request=request, encoding="utf-8")
    news.response_received(response, request)
    return list(news.parse_page(response))


def stat(news: NewsSpider, key: str) -> Any:
    return news.crawler.stats.get_value(f"newscrawler/{key}")  # type: ignore[union-attr]


def test_a_duplicate_article_is_logged_and_counted(caplog: pytest.LogCaptureFixture) -> None:
    news = spider()
    caplog.set_level(logging.INFO, logger="newscrawler.spiders.news")
    canonical = f"{BASE}2026/11/28/l-article/"
    first = fetch(news, "/2026/11/28/l-article/", article_page("Titre", canonical))
    second = fetch(news, "/2026/11/28/l-article/?variante=1", article_page("Titre", canonical))
    assert [type(x) for x in first] == [Article] and second == []
    assert stat(news, "not_emitted/duplicate") == 1
    assert "Not emitted (duplicate of an article already emitted" in caplog.text
    assert "/2026/11/28/l-article/?variante=1" in caplog.text


def test_an_article_candidate_that_is_a_listing_is_logged_and_counted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    news = spider()
    caplog.set_level(logging.INFO, logger="newscrawler.spiders.news")
    page = listing_page("Rubrique", ["/2026/11/28/a/"])
    fetch(news, "/2026/11/28/rubrique/", page, **{KIND_META: "article"})
    assert stat(news, "not_emitted/listing") == 1
    assert "Not emitted (a listing: URL " in caplog.text and "/2026/11/28/rubrique/" in caplog.text


def test_articles_beyond_max_articles_are_logged_and_counted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    news = spider()
    news.max_articles = 1
    news.emitted = 1  # the limit was reached by an earlier page still in flight
    caplog.set_level(logging.INFO, logger="newscrawler.spiders.news")
    assert fetch(news, "/2026/11/28/en-trop/", article_page("En trop")) == []
    assert stat(news, "not_emitted/over_max_articles") == 1
    assert "Not emitted (max_articles=1 already emitted): " in caplog.text


def test_a_page_fetched_but_never_judged_is_named_at_the_end(
    caplog: pytest.LogCaptureFixture,
) -> None:
    news = spider()
    request = Request(f"{BASE}2026/11/28/perdu/", news.parse_page, meta={KIND_META: "article"})
    response = HtmlResponse(request.url, body=b"<html></html>", request=request)
    news.response_received(response, request)  # fetched; the callback never runs
    judged = Request(f"{BASE}2026/11/28/vu/", news.parse_page)
    news.response_received(HtmlResponse(judged.url, body=b"", request=judged), judged)
    list(news.parse_page(HtmlResponse(judged.url, body=b"<p>x</p>", request=judged)))
    news.closed("shutdown")
    assert stat(news, "not_emitted/never_judged") == 1
    assert "1 fetched pages were never judged (run ended: shutdown)" in caplog.text
    assert "/2026/11/28/perdu/" in caplog.text and "/2026/11/28/vu/" not in caplog.text


def test_the_listing_cap_is_logged_once_and_counted_each_time(
    caplog: pytest.LogCaptureFixture,
) -> None:
    news = spider(NEWSCRAWLER_MAX_LISTING_PAGES=1)
    news.max_listing_pages = 1
    caplog.set_level(logging.INFO, logger="newscrawler.spiders.news")
    for n in range(4):
        fetch(news, f"/rubrique-{n}/", listing_page(f"Rubrique {n}", [f"/autre-{n}/"]))
    assert stat(news, "discovery/listing_cap_reached") == 3
    lines = [r for r in caplog.records if "cap reached" in r.getMessage()]
    assert len(lines) == 1
    assert "Listing cap reached (NEWSCRAWLER_MAX_LISTING_PAGES=1)" in lines[0].getMessage()


def test_pagination_and_depth_caps_are_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    news = spider()
    news.max_pagination, news.max_link_depth = 2, 1
    caplog.set_level(logging.INFO, logger="newscrawler.spiders.news")
    for n in range(3):
        head = f'<link rel="next" href="/archives/{n + 1}/">'
        page = listing_page(f"Archives {n}", [f"/tag/x{n}/"], head)
        fetch(news, f"/archives/{n}/", page, pagination=2, link_depth=1)
    assert stat(news, "discovery/pagination_cap_reached") == 3
    assert stat(news, "discovery/link_depth_cap_reached") == 3
    messages = [r.getMessage() for r in caplog.records if "cap reached" in r.getMessage()]
    assert len(messages) == 2
    assert messages[0].startswith("Pagination cap reached (NEWSCRAWLER_MAX_PAGINATION=2) at ")
    assert messages[1].startswith("Link depth cap reached (NEWSCRAWLER_MAX_LINK_DEPTH=1) at ")


# --- robots.txt read once, from Scrapy's robots.txt middleware ----------------------------------
def scheduled(news: NewsSpider, monkeypatch: pytest.MonkeyPatch) -> list[Request]:
    queue: list[Request] = []
    monkeypatch.setattr(news, "_schedule", queue.append)
    return queue


def test_sitemaps_come_from_the_robots_txt_the_middleware_parsed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    news = spider(ROBOTSTXT_OBEY=True)
    queue = scheduled(news, monkeypatch)
    parser = ProtegoRobotParser(b"User-agent: *\nSitemap: /carte.xml\nSitemap: /carte.xml\n", None)
    news.robots_parsed(parser, Request("http://cdn.example/x.xml"))  # another host: ignored
    assert queue == []
    news.robots_parsed(parser, Request(f"{BASE}2026/"))
    news.robots_parsed(parser, Request(f"{BASE}autre/"))  # once per run
    assert [r.url for r in queue] == [f"{BASE}carte.xml"]
    assert queue[0].callback == news.parse_sitemap
    news.spider_idle()  # robots.txt was read: nothing more to do when idle
    assert len(queue) == 1


def test_no_robots_txt_at_all_probes_the_common_sitemap_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    news = spider(ROBOTSTXT_OBEY=True)
    queue = scheduled(news, monkeypatch)
    with pytest.raises(DontCloseSpider):
        news.spider_idle()  # robots.txt never parsed (download failed): probe instead
    assert [r.url for r in queue] == [f"{BASE}sitemap.xml", f"{BASE}sitemap_index.xml"]
    news.spider_idle()  # only once
    assert len(queue) == 2
