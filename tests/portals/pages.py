"""Page builders for fixture portals: articles, listings, sitemaps, feeds, redirects."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from html import escape

from newscrawler.demo.server import Page, Portal

XML = "application/xml; charset=utf-8"
PARAGRAPH = (
    "The council met on Tuesday evening to discuss the budget for the coming year, and members "
    "spoke at length about the roads, the schools and the library that the town has promised. "
)


@dataclass(frozen=True)
class Story:
    """One fixture article: its path, title and ISO publication date."""

    path: str
    title: str
    published: str
    date_on_page: bool = True
    amp: bool = False  # also served as an AMP page at <path>amp/


def article_page(story: Story, base: str, *, nav: Iterable[str] = ()) -> Page:
    """A news article page: canonical link, og:type=article, JSON-LD NewsArticle, 3 paragraphs."""
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": story.title}
    meta = ""
    if story.date_on_page:
        ld["datePublished"] = story.published
        meta = f'<meta property="article:published_time" content="{story.published}">'
    amp = f'<link rel="amphtml" href="{base}{story.path}amp/">' if story.amp else ""
    links = "".join(f'<a href="{escape(href)}">more</a>' for href in nav)
    html = f"""<!doctype html><html lang="en"><head><title>{escape(story.title)} | Fixture</title>
<link rel="canonical" href="{base}{story.path}">{amp}
<meta property="og:type" content="article">{meta}
<script type="application/ld+json">{json.dumps(ld)}</script></head>
<body class="single single-post"><nav>{links}</nav><article><h1>{escape(story.title)}</h1>
<div class="entry-content"><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></div>
</article></body></html>"""
    return Page(html.encode("utf-8"))


def amp_page(story: Story, base: str) -> Page:
    """The AMP version of a story: <html amp>, canonical pointing at the regular page."""
    html = f"""<!doctype html><html amp lang="en"><head><title>{escape(story.title)}</title>
<link rel="canonical" href="{base}{story.path}"></head>
<body><article><h1>{escape(story.title)}</h1><p>{PARAGRAPH}</p></article></body></html>"""
    return Page(html.encode("utf-8"))


def listing_page(
    links: Iterable[str],
    *,
    next_page: str | None = None,
    feeds: Iterable[tuple[str, str]] = (),
) -> Page:
    """A home/section page: og:type=website, links, optional rel=next and (type, href) feeds."""
    head = "".join(
        f'<link rel="alternate" type="{kind}" href="{escape(href)}">' for kind, href in feeds
    )
    if next_page:
        head += f'<link rel="next" href="{escape(next_page)}">'
    items = "".join(f'<li><a href="{escape(href)}">Story</a></li>' for href in links)
    html = f"""<!doctype html><html lang="en"><head><title>Fixture portal</title>
<meta property="og:type" content="website">{head}</head>
<body class="home blog"><ul>{items}</ul></body></html>"""
    return Page(html.encode("utf-8"))


def plain_page(title: str, *, body_class: str = "page") -> Page:
    """A long non-article page (about, contact, privacy)."""
    html = f"""<!doctype html><html lang="en"><head><title>{title}</title></head>
<body class="{body_class}"><main><h1>{title}</h1><p>{PARAGRAPH * 3}</p></main></body></html>"""
    return Page(html.encode("utf-8"))


def urlset(entries: Iterable[tuple[str, str | None]], base: str) -> str:
    """A plain sitemap: (path, lastmod or None) pairs."""
    urls = "".join(
        f"<url><loc>{base}{path}</loc>{f'<lastmod>{lastmod}</lastmod>' if lastmod else ''}</url>"
        for path, lastmod in entries
    )
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'


def news_sitemap(stories: Iterable[Story], base: str, keywords: str = "") -> str:
    """A Google News sitemap with publication date, title, language and keywords."""
    urls = "".join(
        f"<url><loc>{base}{s.path}</loc><news:news><news:publication><news:name>Fixture</news:name>"
        f"<news:language>en</news:language></news:publication>"
        f"<news:publication_date>{s.published}</news:publication_date>"
        f"<news:title>{escape(s.title)}</news:title>"
        f"<news:keywords>{escape(keywords)}</news:keywords></news:news></url>"
        for s in stories
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"{urls}</urlset>"
    )


def sitemap_index(children: Iterable[tuple[str, str | None]], base: str) -> str:
    entries = "".join(
        f"<sitemap><loc>{base}{path}</loc>{f'<lastmod>{m}</lastmod>' if m else ''}</sitemap>"
        for path, m in children
    )
    return f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>'


def rss(stories: Iterable[Story], base: str, *, link_suffix: str = "") -> str:
    """RSS 2.0 with RFC 822 dates (`link_suffix` e.g. a utm query string)."""
    items = "".join(
        f"<item><title>{escape(s.title)}</title><link>{base}{s.path}{escape(link_suffix)}</link>"
        f"<pubDate>{format_datetime(datetime.fromisoformat(s.published))}</pubDate>"
        f"<category>News</category></item>"
        for s in stories
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{items}</channel></rss>'
    )


def atom(stories: Iterable[Story], base: str) -> str:
    entries = "".join(
        f'<entry><title>{escape(s.title)}</title><link rel="alternate" href="{base}{s.path}"/>'
        f"<published>{s.published}</published><updated>{s.published}</updated></entry>"
        for s in stories
    )
    return f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>{entries}</feed>'


def rdf(stories: Iterable[Story], base: str) -> str:
    """RSS 1.0 (RDF) with Dublin Core dates."""
    items = "".join(
        f'<item rdf:about="{base}{s.path}"><title>{escape(s.title)}</title>'
        f"<link>{base}{s.path}</link><dc:date>{s.published}</dc:date></item>"
        for s in stories
    )
    return (
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<channel><title>F</title></channel>{items}</rdf:RDF>"
    )


def xml(text: str) -> Page:
    return Page(text.encode("utf-8"), content_type=XML)


def gz(text: str) -> Page:
    return Page(gzip.compress(text.encode("utf-8")), content_type="application/x-gzip")


def robots(text: str) -> Page:
    return Page(text.encode("utf-8"), content_type="text/plain")


def redirect(location: str, status: int = 301) -> Page:
    return Page(b"", status=status, headers={"Location": location})


Route = Callable[[str], Page | None]


@dataclass
class FixturePortal:
    """A portal from a route table: path (with query) -> builder taking the base URL."""

    routes: Mapping[str, Callable[[str], Page]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    user_agents: list[str] = field(default_factory=list)

    def __call__(self, path: str, base: str) -> Page | None:
        self.requests.append(path)
        builder = self.routes.get(path)
        return builder(base) if builder else None

    @property
    def portal(self) -> Portal:
        return self
