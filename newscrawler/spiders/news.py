"""The `news` spider: find every recent article of a portal through every channel it offers.

Channels, used together: robots.txt `Sitemap:` lines, sitemaps (indexes, gzip, Google News),
RSS/Atom/RDF feeds, and the home and section pages with their pagination. Every URL is cleaned
(tracking parameters, fragments, AMP) and deduplicated on its canonical form before it is fetched;
every page is classified (profile patterns, URL rules, page signals, body length) and only articles
are emitted, each once.

    scrapy crawl news -a url=https://portal.example/ -O out.jsonl
    scrapy crawl news -a site=demo -a url=http://127.0.0.1:8000/ -a max_articles=50
    scrapy crawl news -a url=https://portal.example/ -a since=2024-05-01
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Generator, Iterator
from datetime import datetime
from typing import Any, Self, TypeVar
from urllib.parse import urljoin, urlsplit

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DontCloseSpider
from scrapy.http import Response, TextResponse
from scrapy.settings import BaseSettings

from newscrawler.discovery.classify import Kind, article_shaped, classify_candidate
from newscrawler.discovery.dates import iso, parse_date, parse_since
from newscrawler.discovery.links import (
    COMMON_FEED_PATHS,
    COMMON_SITEMAP_PATHS,
    anchors,
    canonical_link,
    feed_links,
    is_amp_page,
    next_pages,
)
from newscrawler.discovery.pagination import listing_key
from newscrawler.discovery.sitemaps import iter_sitemap, robots_sitemaps
from newscrawler.discovery.syndication import parse_feed
from newscrawler.discovery.templates import TemplateBook
from newscrawler.extensions.context import KIND_META, LASTMOD_META, NEW_LISTED_META
from newscrawler.items import Article
from newscrawler.profiles.loader import host_of
from newscrawler.seen import SeenKeys
from newscrawler.signals import page_not_article
from newscrawler.spiders.common import (
    apply_contact_user_agent,
    parse_arg_int,
    recency_bonus,
    resolve_profile,
    settle_identity,
    start_url,
)
from newscrawler.spiders.coverage import CrawlCoverage
from newscrawler.spiders.gate import SitemapGate
from newscrawler.spiders.judge import ARTICLE, LISTING, OTHER, judge
from newscrawler.spiders.middlewares import host_allowed
from newscrawler.urls import (
    amp_to_canonical,
    canonical_form,
    clean_url,
    is_amp_url,
    web_url_problem,
)

logger = logging.getLogger(__name__)
T = TypeVar("T")

PRIORITY_ROBOTS, PRIORITY_SITEMAP, PRIORITY_FEED, PRIORITY_ARTICLE = 40, 30, 30, 10
PRIORITY_UNKNOWN, PRIORITY_LISTING = 5, 0  # article shapes (rules, learned templates) go first
MAX_SITEMAP_NESTING = 4


class NewsSpider(Spider):
    """Discover and emit the articles of one portal (see module docstring)."""

    name = "news"

    def __init__(
        self,
        url: str | None = None,
        site: str | None = None,
        since: str | None = None,
        max_articles: str | int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if not url and not site:
            raise ValueError("the news spider needs -a url=https://portal.example/ or -a site=NAME")
        if url and web_url_problem(url):
            raise ValueError(f"url: {web_url_problem(url)}")
        self.profile = resolve_profile(site, url)
        start = start_url(self.profile, url)
        self.base_url = self.url = start
        # the `site` of every article (extraction's rule), read by the run report and state
        self.site_name = self.profile.name if self.profile else host_of(start)
        domains = list(self.profile.domains if self.profile else ())
        self.allowed_domains = list(dict.fromkeys([*domains, host_of(start)]))
        self.since: datetime | None = parse_since(since) if since else None
        self.max_articles = parse_arg_int("max_articles", max_articles)
        self.max_listing_pages = 500
        self.max_pagination = 20
        self.max_link_depth = 3
        self.common_paths = True
        self.emitted = 0
        self.listing_pages = 0
        self.queued = SeenKeys()  # canonical forms of pages requested (flag: with a lastmod/date)
        self.done = SeenKeys()  # canonical forms of articles emitted
        self.caps_logged: set[str] = set()  # caps whose first cut was logged
        # URLs of pages fetched (2xx) for parse_page whose callback has not run yet: any left at
        # the end were fetched and never judged, which the log must say (never a silent loss)
        self.unjudged: dict[str, str] = {}
        self.sitemap_gate = SitemapGate(2)
        self.coverage = CrawlCoverage(self._stats)  # counts into the crawler's stats
        self.templates = TemplateBook()  # the site's URL shapes and how their pages were judged
        self.known_article: Callable[[str], bool] | None = None  # cron runs: TemplateMemory
        # robots.txt: read from Scrapy's RobotsTxtMiddleware when it fetches it (ROBOTSTXT_OBEY),
        # so the file is downloaded once; None until the start host's robots.txt is known
        self.robots_from_middleware = False
        self.robots_done: bool | None = None

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        apply_contact_user_agent(settings)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.max_listing_pages = settings.getint("NEWSCRAWLER_MAX_LISTING_PAGES", 500)
        spider.max_pagination = settings.getint("NEWSCRAWLER_MAX_PAGINATION", 20)
        spider.max_link_depth = settings.getint("NEWSCRAWLER_MAX_LINK_DEPTH", 3)
        spider.common_paths = settings.getbool("NEWSCRAWLER_PROBE_COMMON_PATHS", True)
        spider.sitemap_gate = SitemapGate(settings.getint("NEWSCRAWLER_SITEMAPS_IN_FLIGHT", 2))
        crawler.signals.connect(spider.response_received, signal=signals.response_received)
        crawler.signals.connect(spider.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.request_dropped, signal=signals.request_dropped)
        if settings.getbool("ROBOTSTXT_OBEY"):
            spider.robots_from_middleware = True
            crawler.signals.connect(spider.robots_parsed, signal=signals.robots_parsed)
        return spider

    # --- accounting: every fetched page ends emitted, or with a log line and a counter ---------

    def response_received(self, response: Response, request: Request) -> None:
        """Remember pages fetched for parse_page, until their callback judges them."""
        if request.callback == self.parse_page and 200 <= response.status < 300:
            self.unjudged[response.url] = str(request.meta.get(KIND_META, "page"))

    def closed(self, reason: str) -> None:
        """Name the fetched pages that never reached their callback (run cut short, a middleware
        dropping a response): counted and logged, so no page vanishes without a trace."""
        if not self.unjudged:
            return
        self._stats().set_value("newscrawler/not_emitted/never_judged", len(self.unjudged))
        sample = sorted(self.unjudged)[:20]
        logger.warning(
            "%d fetched pages were never judged (run ended: %s): %s%s",
            len(self.unjudged),
            reason,
            " ".join(sample),
            " ..." if len(self.unjudged) > len(sample) else "",
        )

    def _not_emitted(self, reason: str, response: Response, why: str) -> None:
        """A fetched page that gives no article: one counter and one INFO line saying why."""
        self._stats().inc_value(f"newscrawler/not_emitted/{reason}")
        logger.info("Not emitted (%s): %s", why, response.url)

    def _cap_cut(self, cap: str, setting: str, value: int, url: str) -> None:
        """A discovery cap cut a chain: counted each time, logged the first time per run."""
        self._stats().inc_value(f"newscrawler/discovery/{cap}_cap_reached")
        if cap in self.caps_logged:
            return
        self.caps_logged.add(cap)
        logger.info(
            "%s cap reached (%s=%d) at %s: links beyond it are not followed; further cuts are "
            "counted in newscrawler/discovery/%s_cap_reached",
            cap.replace("_", " ").capitalize(),
            setting,
            value,
            url,
            cap,
        )

    # --- start ----------------------------------------------------------------------------------

    def _absolute(self, path_or_url: str) -> str:
        return urljoin(self.base_url, path_or_url)

    async def start(self) -> AsyncIterator[Any]:
        """robots.txt, sitemaps and feeds first (cheap, dated), then the home/start pages.

        Common sitemap/feed paths are probed only when robots.txt and the home page announce none
        (probes that 404 count as errors in the run report).
        """
        if not self.robots_from_middleware:
            yield self._robots_request()
        for sitemap in dict.fromkeys(self.profile.sitemaps if self.profile else ()):
            for request in self.sitemap_gate.admit(self._sitemap_request(self._absolute(sitemap))):
                yield request
        for feed in dict.fromkeys(self.profile.feeds if self.profile else ()):
            yield self._feed_request(self._absolute(feed))
        starts = list(self.profile.start_urls if self.profile else ()) or ["/"]
        if self.base_url not in starts:
            starts.insert(0, self.base_url)
        for start in dict.fromkeys(self._absolute(s) for s in starts):
            self.queued.add(canonical_form(start))
            meta = {"link_depth": 0, "home": True, KIND_META: "listing"}
            yield Request(start, self.parse_page, priority=PRIORITY_LISTING, meta=meta)

    # --- sitemaps and feeds ---------------------------------------------------------------------

    def _robots_request(self) -> Request:
        meta = {KIND_META: "robots", "dont_obey_robotstxt": True}
        return Request(
            self._absolute("/robots.txt"),
            self.parse_robots,
            errback=self.robots_failed,
            priority=PRIORITY_ROBOTS,
            meta=meta,
        )

    def _sitemap_request(self, url: str, nesting: int = 0) -> Request:
        """A sitemap request, to go through the sitemap gate (which also deduplicates them)."""
        # sitemaps may live on another host (a CDN); the pages they list must still be on-site
        meta = {"nesting": nesting, KIND_META: "sitemap", "allow_offsite": True}
        return Request(
            url,
            self.parse_sitemap,
            errback=self.sitemap_failed,
            priority=PRIORITY_SITEMAP,
            meta=meta,
        )

    def _feed_request(self, url: str) -> Request:
        return Request(url, self.parse_feed, priority=PRIORITY_FEED, meta={KIND_META: "feed"})

    def parse_robots(self, response: Response) -> Iterator[Request]:
        """Follow the `Sitemap:` lines of robots.txt; probe /sitemap.xml when there are none."""
        found = (
            robots_sitemaps(response.text, response.url)
            if isinstance(response, TextResponse)
            else []
        )
        for url in found:
            yield from self.sitemap_gate.admit(self._sitemap_request(url))
        if not found and not (self.profile and self.profile.sitemaps):
            yield from self._probe(COMMON_SITEMAP_PATHS, "sitemap")

    def robots_parsed(self, robotparser: Any, request: Request) -> None:
        """Scrapy's robots.txt middleware parsed a host's robots.txt: follow its `Sitemap:` lines
        (start host only), as parse_robots would, without fetching the file a second time."""
        if self.robots_done or urlsplit(request.url).netloc != urlsplit(self.base_url).netloc:
            return
        self.robots_done = True
        sitemaps = getattr(getattr(robotparser, "rp", None), "sitemaps", None)  # Protego's
        if sitemaps is None:  # another ROBOTSTXT_PARSER: read the file ourselves after all
            self._schedule(self._robots_request())
            return
        robots_url = self._absolute("/robots.txt")
        found = list(dict.fromkeys(urljoin(robots_url, str(url).strip()) for url in sitemaps))
        for url in found:
            for admitted in self.sitemap_gate.admit(self._sitemap_request(url)):
                self._schedule(admitted)
        if not found and not (self.profile and self.profile.sitemaps):
            for probe in self._probe(COMMON_SITEMAP_PATHS, "sitemap"):
                self._schedule(probe)

    def spider_idle(self) -> None:
        """Sitemaps still waiting at the gate go next. And when robots.txt could not be fetched
        at all (no robots_parsed): probe the common sitemap path once, as robots_failed does."""
        waiting = list(self.sitemap_gate.release())
        for request in waiting:
            self._schedule(request)
        if waiting:
            raise DontCloseSpider
        if not self.robots_from_middleware or self.robots_done is not None:
            return
        self.robots_done = False
        scheduled = False
        if not (self.profile and self.profile.sitemaps):
            for probe in self._probe(COMMON_SITEMAP_PATHS, "sitemap"):
                self._schedule(probe)
                scheduled = True
        if scheduled:
            raise DontCloseSpider

    def _schedule(self, request: Request) -> None:
        """Queue a request from a signal handler (no callback output to yield it from)."""
        assert self.crawler.engine is not None
        self.crawler.engine.crawl(request)

    def robots_failed(self, failure: Any) -> Iterator[Request]:
        """No robots.txt (404, error): probe the common sitemap path instead."""
        if not (self.profile and self.profile.sitemaps):
            yield from self._probe(COMMON_SITEMAP_PATHS, "sitemap")

    def _probe(self, paths: tuple[str, ...], kind: str) -> Iterator[Request]:
        """Requests for common sitemap/feed paths (setting NEWSCRAWLER_PROBE_COMMON_PATHS)."""
        if not self.common_paths:
            return
        for path in paths:
            url = self._absolute(path)
            request = self._sitemap_request(url) if kind == "sitemap" else self._feed_request(url)
            request.meta["probe"] = True
            yield from self.sitemap_gate.admit(request) if kind == "sitemap" else (request,)

    def _parsed(
        self, response: Response, parse: Callable[[bytes, str], T | None], what: str
    ) -> T | None:
        """Run a discovery parser; a bad document is logged and counted, never raised."""
        try:
            parsed = parse(response.body, response.url)
        except ValueError as exc:
            parsed = None
            logger.warning("unusable %s %s: %s", what, response.url, exc)
        outcome = f"{what}s" if parsed is not None else f"{what}_invalid"
        self._stats().inc_value(f"newscrawler/discovery/{outcome}")
        return parsed

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        """Sitemap index: follow children (skipping ones not modified since `since`).
        Url set: queue each page, with Google News fields as hints. Then the next sitemap
        waiting at the gate."""
        yield from self._sitemap_entries(response)
        yield from self.sitemap_gate.finished()

    def request_dropped(self, request: Request) -> None:
        """The scheduler refused a request as a duplicate (another worker's frontier, or the same
        URL reached another way): if it was a sitemap, it is no longer in flight."""
        if request.callback == self.parse_sitemap:
            for admitted in self.sitemap_gate.finished():
                self._schedule(admitted)

    def sitemap_failed(self, failure: Any) -> Iterator[Request]:
        """A sitemap that could not be fetched (logged by Scrapy) lets the next one in."""
        yield from self.sitemap_gate.finished()

    def _sitemap_entries(self, response: Response) -> Iterator[Request]:
        stats = self._stats()
        sitemap = self._parsed(response, iter_sitemap, "sitemap")
        if sitemap is None:
            return
        is_index, entries = sitemap
        nesting = int(response.meta.get("nesting", 0))
        for entry in entries:  # streamed: each entry is queued before the next is read
            if is_index:
                if self._too_old(entry.lastmod):
                    stats.inc_value("newscrawler/discovery/skipped_old")
                elif nesting < MAX_SITEMAP_NESTING:
                    child = self._sitemap_request(entry.loc, nesting + 1)
                    yield from self.sitemap_gate.admit(child)
                continue
            yield from self._candidate(
                entry.loc, "sitemap", 1, date=entry.date, hints=entry.hints(), lastmod=entry.lastmod
            )

    def parse_feed(self, response: Response) -> Iterator[Request]:
        """Queue each feed entry (skipping ones published before `since`)."""
        entries = self._parsed(response, parse_feed, "feed")
        if entries is None:
            return
        for entry in entries:
            yield from self._candidate(
                entry.link,
                "feed",
                1,
                date=entry.published,
                hints=entry.hints(),
                lastmod=entry.updated or entry.published,
            )

    # --- pages ----------------------------------------------------------------------------------

    def parse_page(self, response: Response) -> Iterator[Any]:
        """Judge a fetched page: emit it if it is an article; follow its links either way, so a
        misjudged page never cuts off a section. Its verdict teaches the site's URL templates."""
        kind = self.unjudged.pop(response.url, response.meta.get(KIND_META))
        if not isinstance(response, TextResponse):
            self._not_emitted("not_html", response, "not an HTML page")
            return
        selector = response.selector
        if is_amp_page(selector):
            canonical = canonical_link(selector, response.url)
            if canonical and canonical_form(canonical) != canonical_form(response.url):
                self._stats().inc_value("newscrawler/discovery/amp_to_canonical")
                yield from self._candidate(canonical, "amp", response.meta.get("link_depth", 1))
                return
        hints = response.meta.get("hints")
        judged = judge(response, self.profile, hints=hints, stats=self.crawler.stats)
        self.coverage.judged(canonical_form(response.url), judged.kind)
        if judged.item is not None:
            yield from self._emit(judged.item, response)
        fresh = yield from self._follow(response, judged.kind)
        led = judged.kind == OTHER and fresh >= 3  # neither article nor listing, but led on
        if judged.code == "article_too_short":
            self._not_emitted(judged.code, response, judged.reason)
        elif judged.item is None and kind == "article":  # listed or linked as an article
            self._not_emitted(judged.code, response, judged.reason)
            self._unlist(response)
            listed = response.meta.keys() & {LASTMOD_META, "hints"}  # by a sitemap or feed
            if judged.code == "not_article" and listed and not led:
                self._judged_not_article(response)
        self.templates.learn(response.url, LISTING if led else judged.kind)

    def _judged_not_article(self, response: Response) -> None:
        """Tell the state (if any) that this page a sitemap/feed listed is no article, under every
        URL it was requested with, so the next runs need not fetch it again."""
        urls = [*response.meta.get("redirect_urls", ()), response.url]
        lastmod = response.meta.get(LASTMOD_META)
        self.crawler.signals.send_catch_log(
            signal=page_not_article, urls=urls, lastmod=lastmod, spider=self
        )

    def _unlist(self, response: Response) -> None:
        """A page a source listed as new is no article: it does not count as a new article."""
        if response.meta.get(NEW_LISTED_META):
            self._stats().inc_value("newscrawler/sources/new_listed", -1)
            self._stats().inc_value("newscrawler/sources/listed_not_article")

    def _follow(self, response: TextResponse, kind: str) -> Generator[Request, None, int]:
        """Links of every page within the caps (articles too: related, authors, sections); feeds
        and pagination of the pages that are not articles. Returns how many new pages it queued."""
        queued_before, depth = len(self.queued), int(response.meta.get("link_depth", 0))
        links = anchors(response.selector, response.url)
        if kind != ARTICLE:
            self._stats().inc_value("newscrawler/discovery/listings_parsed")
            feeds = feed_links(response.selector, response.url)
            for feed in feeds:
                yield self._feed_request(feed)
            if response.meta.get("home") and not (feeds or getattr(self.profile, "feeds", [])):
                yield from self._probe(COMMON_FEED_PATHS, "feed")
            if self.listing_pages >= self.max_listing_pages:
                self._cut(links, "listing", "NEWSCRAWLER_MAX_LISTING_PAGES", self.max_listing_pages)
                return 0
            self.listing_pages += 1
            if self._brings_new(links):
                yield from self._paginate(response, depth)
            else:  # nor through its numbered links
                links = [u for u in links if listing_key(u) != listing_key(response.url)]
        if depth >= self.max_link_depth:
            self._cut(links, "link_depth", "NEWSCRAWLER_MAX_LINK_DEPTH", self.max_link_depth)
        else:
            for url in links:
                yield from self._candidate(url, "link", depth + 1)
        return len(self.queued) - queued_before

    def _paginate(self, response: TextResponse, depth: int) -> Iterator[Request]:
        """The next page(s) of a listing, along one chain of at most NEWSCRAWLER_MAX_PAGINATION."""
        pagination = int(response.meta.get("pagination", 0))
        for url in next_pages(response.selector, response.url):
            key = canonical_form(url)
            if key in self.queued or not self._allowed(url):
                continue
            if pagination >= self.max_pagination:
                self._cap_cut("pagination", "NEWSCRAWLER_MAX_PAGINATION", self.max_pagination, url)
                break
            self.queued.add(key)
            meta = {"link_depth": depth, "pagination": pagination + 1, KIND_META: "listing"}
            yield Request(url, self.parse_page, priority=PRIORITY_LISTING, meta=meta)

    def _brings_new(self, links: list[str]) -> bool:
        """Cron runs (a state): whether this listing links an article-shaped URL not delivered
        before; if not, going further back through its pagination would find nothing new."""
        if self.known_article is None:
            return True
        shaped = article_shaped(links, self.profile, self.templates)
        if not shaped or any(not self.known_article(url) for url in shaped):
            return True
        self._stats().inc_value("newscrawler/discovery/pagination_stopped_nothing_new")
        return False

    def _cut(self, links: list[str], cap: str, setting: str, value: int) -> None:
        """A cap cut a page's links: article-shaped ones not queued count as seen, not fetched."""
        dropped = [u for u in links if canonical_form(u) not in self.queued and self._allowed(u)]
        for url in article_shaped(dropped, self.profile, self.templates):
            self.coverage.saw(canonical_form(url))
        if dropped:
            self._cap_cut(cap, setting, value, dropped[0])

    def _emit(self, item: Article, response: TextResponse) -> Iterator[Article]:
        stats = self._stats()
        settle_identity(item, response)
        keys = {canonical_form(response.url)}
        if item.canonical_url and item.canonical_url != response.url:
            keys.add(canonical_form(item.canonical_url))
        if any(key in self.done for key in keys):
            why = f"duplicate of an article already emitted, {item.canonical_url}"
            self._not_emitted("duplicate", response, why)
            return
        published = parse_date(item.date_published)
        if self._too_old(published):
            why = f"published {item.date_published}, before since {self.since:%Y-%m-%d}"
            self._not_emitted("too_old", response, why)
            return
        if self.since is not None and published is None:  # kept: no date to judge it by
            stats.inc_value("newscrawler/articles/undated_kept")
        if self.max_articles is not None and self.emitted >= self.max_articles:
            why = f"max_articles={self.max_articles} already emitted"
            self._not_emitted("over_max_articles", response, why)
            return
        for key in keys:
            self.done.add(key)
        self.emitted += 1
        stats.inc_value("newscrawler/articles/found")
        yield item
        if self.max_articles is not None and self.emitted >= self.max_articles:
            raise CloseSpider("max_articles")

    # --- helpers --------------------------------------------------------------------------------

    def _candidate(
        self,
        url: str,
        source: str,
        depth: int,
        *,
        date: datetime | None = None,
        hints: dict[str, Any] | None = None,
        lastmod: datetime | None = None,
    ) -> Iterator[Request]:
        """Queue a page found in a sitemap, feed or listing, unless it is known, old or unwanted."""
        stats = self._stats()
        url = clean_url(url)
        if is_amp_url(url):
            url = amp_to_canonical(url)
        if not self._allowed(url):
            stats.inc_value("newscrawler/discovery/offsite")
            return
        kind = classify_candidate(url, self.profile, self.templates, probe=True)
        if kind is Kind.SKIP:
            stats.inc_value("newscrawler/discovery/skipped_url")
            return
        if self._too_old(date):
            stats.inc_value("newscrawler/discovery/skipped_old")
            return
        key = canonical_form(url)
        if kind is Kind.ARTICLE:
            self.coverage.saw(key)
        dated = lastmod is not None or date is not None
        if key in self.queued and (not dated or self.queued.flagged(key)):
            return
        # Queued again once when a sitemap/feed date turns up after an undated link: the state
        # middleware may have dropped the undated request as a known article, and only the date
        # says whether it changed (if the first request was scheduled, the dupefilter drops this).
        if key not in self.queued:
            stats.inc_value(f"newscrawler/discovery/from_{source}")
        self.queued.add(key, flag=dated)
        listing = kind is Kind.LISTING
        meta: dict[str, Any] = {"link_depth": depth, KIND_META: "listing" if listing else "article"}
        if hints:
            meta["hints"] = hints
        if lastmod is not None or date is not None:
            meta[LASTMOD_META] = iso(lastmod or date)  # type: ignore[arg-type]
        bonus = recency_bonus(date)
        priority = PRIORITY_ARTICLE + bonus if kind is Kind.ARTICLE else PRIORITY_UNKNOWN
        priority = PRIORITY_LISTING if listing else priority
        yield Request(url, self.parse_page, priority=priority, meta=meta)

    def _allowed(self, url: str) -> bool:
        return host_allowed(url, self.allowed_domains)

    def _too_old(self, date: datetime | None) -> bool:
        return self.since is not None and date is not None and date < self.since

    def _stats(self) -> Any:
        return self.crawler.stats
