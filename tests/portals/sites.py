"""The fixture portals of the crawl tests, each with the article paths a crawl must emit.

Dates: "new" stories are from May 2024, "old" ones from March 2024, so `since=2024-05-01`
separates them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from newscrawler.demo.server import Page
from tests.portals.pages import (
    FixturePortal,
    Story,
    amp_page,
    article_page,
    atom,
    gz,
    listing_page,
    news_sitemap,
    plain_page,
    rdf,
    redirect,
    robots,
    rss,
    sitemap_index,
    urlset,
    xml,
)

SINCE = "2024-05-01"
RSS_TYPE, ATOM_TYPE, RDF_TYPE = "application/rss+xml", "application/atom+xml", "application/rdf+xml"


def new(path: str, title: str, day: int = 2, **kw: bool) -> Story:
    return Story(path, title, f"2024-05-{day:02d}T09:30:00+00:00", **kw)


def old(path: str, title: str, day: int = 2, **kw: bool) -> Story:
    return Story(path, title, f"2024-03-{day:02d}T09:30:00+00:00", **kw)


@dataclass
class Fixture:
    """A portal and what crawling it must emit (all, and with since=SINCE)."""

    portal: FixturePortal
    stories: tuple[Story, ...]

    @property
    def expected(self) -> set[str]:
        return {s.path for s in self.stories}

    @property
    def expected_since(self) -> set[str]:
        return {s.path for s in self.stories if s.published >= SINCE}


def _articles(stories: tuple[Story, ...]) -> dict[str, Callable[[str], Page]]:
    routes: dict[str, Callable[[str], Page]] = {}
    for story in stories:
        routes[story.path] = lambda base, s=story: article_page(s, base)
        if story.amp:
            routes[f"{story.path}amp/"] = lambda base, s=story: amp_page(s, base)
    return routes


def sitemap_only() -> Fixture:
    """robots.txt -> sitemap index -> gzip url set, an old url set (lastmod), a Google News map."""
    a = new("/2024/05/02/council-votes-budget/", "Council votes budget", 2)
    b = new("/2024/05/03/bridge-reopens/", "Bridge reopens", 3)
    c = old("/2024/03/04/snow-closes-schools/", "Snow closes schools", 4)
    d = old("/2024/03/05/mayor-visits-market/", "Mayor visits market", 5)
    e = new("/news/library-extends-hours/", "Library extends hours", 6, date_on_page=False)
    stories = (a, b, c, d, e)
    routes = _articles(stories)
    routes |= {
        "/robots.txt": lambda base: robots(
            f"User-agent: *\nDisallow:\nSitemap: {base}/sitemaps.xml\n"
        ),
        "/sitemaps.xml": lambda base: xml(
            sitemap_index(
                [
                    ("/posts.xml.gz", "2024-05-10"),
                    ("/old-posts.xml", "2024-03-31"),
                    ("/news.xml", None),
                ],
                base,
            )
        ),
        "/posts.xml.gz": lambda base: gz(
            urlset(
                [
                    (a.path, "2024-05-02"),
                    (b.path, "2024-05-03"),
                    ("/category/town/", None),
                    ("/tag/budget/", None),
                    ("/about/", None),
                ],
                base,
            )
        ),
        "/old-posts.xml": lambda base: xml(urlset([(c.path, "2024-03-04"), (d.path, None)], base)),
        "/news.xml": lambda base: xml(
            news_sitemap([e, a], base, keywords="library, opening hours")
        ),
        "/": lambda base: listing_page([]),
        "/category/town/": lambda base: listing_page([]),
        "/about/": lambda base: plain_page("About us"),
    }
    return Fixture(FixturePortal(routes), stories)


def feed_only() -> Fixture:
    """No robots.txt, no sitemap, no article links: only RSS (utm-tagged links), Atom and RDF."""
    a = new("/news/council-votes-budget-1001", "Council votes budget", 2)
    b = old("/news/snow-closes-schools-1002", "Snow closes schools", 4)
    c = new("/news/bridge-reopens-1003", "Bridge reopens", 3)
    d = new("/news/library-extends-hours-1004", "Library extends hours", 6)
    stories = (a, b, c, d)
    routes = _articles(stories)
    feeds = [(RSS_TYPE, "/feed/"), (ATOM_TYPE, "/atom.xml"), (RDF_TYPE, "/index.rdf")]
    routes |= {
        "/": lambda base: listing_page([], feeds=feeds),
        "/feed/": lambda base: Page(
            rss([a, b], base, link_suffix="?utm_source=rss&utm_medium=feed").encode(),
            content_type="application/rss+xml",
        ),
        "/atom.xml": lambda base: xml(atom([b, c], base)),
        "/index.rdf": lambda base: xml(rdf([d, a], base)),
    }
    return Fixture(FixturePortal(routes), stories)


def links_only() -> Fixture:
    """Home -> sections -> articles; rel=next and ?page=N pagination; pages never to emit."""
    p = [new(f"/politics/minister-story-number-{i}/", f"Minister story {i}", i) for i in (1, 2, 3)]
    p.append(old("/politics/minister-story-number-4/", "Minister story 4", 9))
    s = [new(f"/sport/match-report-number-{i}/", f"Match report {i}", 10 + i) for i in (1, 2, 3)]
    stories = (*p, *s)
    routes = _articles(stories)
    routes |= {
        "/robots.txt": lambda base: robots("User-agent: *\nDisallow:\n"),
        "/": lambda base: listing_page(
            [
                "/politics/",
                "/sport/",
                p[0].path,
                "/about/",
                "/contact/",
                "/privacy-policy/",
                "/tag/minister/",
                "/author/jane-doe/",
                "/search/?q=minister",
                "/our-newsroom/",
                "mailto:desk@example.invalid",
                "javascript:void(0)",
            ]
        ),
        "/politics/": lambda base: listing_page(
            [p[0].path, p[1].path], next_page="/politics/page/2/"
        ),
        "/politics/page/2/": lambda base: listing_page([p[2].path], next_page="/politics/page/3/"),
        "/politics/page/3/": lambda base: listing_page([p[3].path]),
        "/sport/": lambda base: listing_page([s[0].path, "/sport/?page=2"]),
        "/sport/?page=2": lambda base: listing_page([s[1].path, s[2].path, "/sport/?page=3"]),
        "/our-newsroom/": lambda base: plain_page("Our newsroom"),
    }
    for path in ("/about/", "/contact/", "/privacy-policy/", "/tag/minister/", "/author/jane-doe/"):
        routes[path] = lambda base, t=path: plain_page(t)
    return Fixture(FixturePortal(routes), stories)


def mixed() -> Fixture:
    """Sitemap + links with AMP twins, utm tags, fragments, slash variants and redirects."""
    a = new("/2024/05/02/council-votes-budget/", "Council votes budget", 2, amp=True)
    b = new("/2024/05/03/bridge-reopens/", "Bridge reopens", 3, amp=True)
    c = new("/2024/05/04/museum-reopens/", "Museum reopens", 4)
    e = new("/2024/05/05/festival-dates-announced/", "Festival dates announced", 5)
    stories = (a, b, c, e)
    routes = _articles(stories)
    routes |= {
        "/robots.txt": lambda base: robots(f"Sitemap: {base}/sitemap.xml\n"),
        "/sitemap.xml": lambda base: xml(urlset([(a.path, None), (f"{b.path}amp/", None)], base)),
        "/": lambda base: listing_page(
            [
                f"{a.path}?utm_source=home&utm_campaign=x",
                f"{a.path}#comments",
                a.path.rstrip("/"),
                f"{base}{a.path}amp/",
                f"{b.path}?fbclid=123",
                "/go/museum",
                "/go/elsewhere",
                "/m/festival",
            ]
        ),
        a.path.rstrip("/"): lambda base: article_page(a, base),  # same page without the slash
        "/go/museum": lambda base: redirect(f"{base}{c.path}"),
        "/go/elsewhere": lambda base: redirect("http://elsewhere.invalid/2024/05/06/story/"),
        "/m/festival": lambda base: amp_page(e, base),  # AMP page at a URL of no AMP shape
    }
    return Fixture(FixturePortal(routes), stories)


def offsite_sitemap() -> Fixture:
    """robots.txt names a sitemap on another host (a CDN); it lists on-site and off-site pages."""
    a = new("/2024/05/02/council-votes-budget/", "Council votes budget", 2)
    b = new("/2024/05/03/bridge-reopens/", "Bridge reopens", 3)
    routes = _articles((a, b))

    def cdn(base: str) -> str:  # the same server under another host name
        return base.replace("127.0.0.1", "localhost")

    routes |= {
        "/robots.txt": lambda base: robots(f"Sitemap: {cdn(base)}/cdn/sitemap.xml\n"),
        "/cdn/sitemap.xml": lambda base: xml(
            urlset([(a.path, None)], base.replace("localhost", "127.0.0.1")).replace(
                "</urlset>", f"<url><loc>{base}{b.path}</loc></url></urlset>"
            )
        ),
        "/": lambda base: listing_page([]),
    }
    return Fixture(FixturePortal(routes), (a,))


def robots_disallow() -> Fixture:
    """robots.txt disallows /members/: its articles are listed and linked but never fetched."""
    a = new("/2024/05/02/council-votes-budget/", "Council votes budget", 2)
    b = new("/2024/05/03/bridge-reopens/", "Bridge reopens", 3)
    m1 = new("/members/2024/05/04/insider-briefing/", "Insider briefing", 4)
    m2 = new("/members/2024/05/05/insider-column/", "Insider column", 5)
    routes = _articles((a, b, m1, m2))
    routes |= {
        "/robots.txt": lambda base: robots(
            f"User-agent: *\nDisallow: /members/\n\nSitemap: {base}/sitemap.xml\n"
        ),
        "/sitemap.xml": lambda base: xml(urlset([(a.path, None), (m1.path, None)], base)),
        "/": lambda base: listing_page([b.path, m2.path, "/members/"]),
        "/members/": lambda base: listing_page([m1.path, m2.path]),
    }
    return Fixture(FixturePortal(routes), (a, b))


def many_sitemaps() -> Fixture:
    """An index of child sitemaps, walked a few at a time through the sitemap gate: one is
    missing (404), one is disallowed by robots.txt, one is listed twice, one is a nested index,
    and robots.txt names a child the index lists too. None of them may stall the walk."""
    stories = tuple(
        new(f"/2024/05/{day:02d}/story-{n}/", f"Story number {n} of the day", day)
        for n, day in enumerate(range(2, 10), start=1)
    )
    routes = _articles(stories)
    child = {f"/sitemap-{n}.xml": story for n, story in enumerate(stories, start=1)}
    for path, story in child.items():
        routes[path] = lambda base, s=story: xml(urlset([(s.path, s.published[:10])], base))
    routes |= {
        "/robots.txt": lambda base: robots(
            f"User-agent: *\nDisallow: /private/\n\n"
            f"Sitemap: {base}/sitemap-index.xml\nSitemap: {base}/sitemap-1.xml\n"
        ),
        "/sitemap-index.xml": lambda base: xml(
            sitemap_index(
                [
                    ("/missing-sitemap.xml", None),
                    ("/private/sitemap.xml", None),
                    ("/sitemap-1.xml", None),
                    ("/sitemap-2.xml", None),
                    ("/sitemap-2.xml", None),
                    ("/nested-index.xml", None),
                    *((f"/sitemap-{n}.xml", None) for n in range(5, 9)),
                ],
                base,
            )
        ),
        "/nested-index.xml": lambda base: xml(
            sitemap_index([("/sitemap-3.xml", None), ("/sitemap-4.xml", None)], base)
        ),
        "/private/sitemap.xml": lambda base: xml(urlset([("/private/secret/", None)], base)),
        "/": lambda base: listing_page([]),
    }
    return Fixture(FixturePortal(routes), stories)
