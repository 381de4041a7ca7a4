"""A synthetic news portal of N small articles, generated on request: for scale tests and benches.

Nothing is stored: every page is a pure function of its path, so a 2,000-article portal costs no
memory or disk and is identical in every process. It is discoverable the usual ways: robots.txt
names a sitemap index, the home page links sections, sections paginate to every article.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

from newscrawler.demo.server import Page, Portal

SECTIONS = ("politique", "economie", "sport", "culture")
PER_SITEMAP = 500
PER_LISTING = 50
_ARTICLE = re.compile(r"^/(?P<section>[a-z]+)/article-(?P<n>\d+)\.html$")
_SITEMAP = re.compile(r"^/sitemap-(?P<k>\d+)\.xml$")
_LISTING = re.compile(r"^/(?P<section>[a-z]+)/(?:page/(?P<page>\d+)/)?$")
EPOCH = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)


def article_path(n: int) -> str:
    """Where article `n` lives: sections take turns, so each section holds N/4 articles."""
    return f"/{SECTIONS[n % len(SECTIONS)]}/article-{n:05d}.html"


def published(n: int) -> str:
    return (EPOCH + timedelta(hours=n)).isoformat()


def _xml(body: str) -> Page:
    return Page(body.encode("utf-8"), content_type="application/xml; charset=utf-8")


def _html(title: str, body: str) -> Page:
    doc = f'<!DOCTYPE html><html lang="fr"><head><title>{title}</title>{body}</html>'
    return Page(doc.encode("utf-8"))


class SyntheticPortal:
    """The portal callable: `SyntheticPortal(2000)(path, base_url) -> Page | None`."""

    def __init__(self, articles: int, name: str = "Le Quotidien Synthétique") -> None:
        self.articles = articles
        self.name = name

    def __call__(self, path: str, base: str) -> Page | None:
        path = path.split("?", 1)[0]
        if path == "/robots.txt":
            text = f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n"
            return Page(text.encode(), content_type="text/plain; charset=utf-8")
        if path == "/sitemap.xml":
            return self.sitemap_index(base)
        if match := _SITEMAP.match(path):
            return self.sitemap(base, int(match["k"]))
        if match := _ARTICLE.match(path):
            return self.article(base, match["section"], int(match["n"]))
        if path == "/":
            return self.home(base)
        if (match := _LISTING.match(path)) and match["section"] in SECTIONS:
            return self.listing(base, match["section"], int(match["page"] or 1))
        return None

    def article_urls(self, base: str) -> list[str]:
        """Every article URL: what a complete crawl must deliver."""
        return [base + article_path(n) for n in range(self.articles)]

    def sitemap_index(self, base: str) -> Page:
        count = -(-self.articles // PER_SITEMAP)
        entries = "".join(
            f"<sitemap><loc>{base}/sitemap-{k}.xml</loc></sitemap>" for k in range(count)
        )
        return _xml(
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}'
            "</sitemapindex>"
        )

    def sitemap(self, base: str, k: int) -> Page | None:
        numbers = range(k * PER_SITEMAP, min((k + 1) * PER_SITEMAP, self.articles))
        if not numbers:
            return None
        entries = "".join(
            f"<url><loc>{base}{article_path(n)}</loc><lastmod>{published(n)}</lastmod></url>"
            for n in numbers
        )
        return _xml(
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
        )

    def home(self, base: str) -> Page:
        links = "".join(f'<li><a href="/{s}/">{s.title()}</a></li>' for s in SECTIONS)
        latest = "".join(
            f'<li><a href="{article_path(n)}">Article {n}</a></li>'
            for n in range(max(self.articles - 10, 0), self.articles)
        )
        return _html(self.name, f"</head><body><nav><ul>{links}</ul></nav><ul>{latest}</ul></body>")

    def listing(self, base: str, section: str, page: int) -> Page | None:
        numbers = [n for n in range(self.articles) if SECTIONS[n % len(SECTIONS)] == section]
        chunk = numbers[(page - 1) * PER_LISTING : page * PER_LISTING]
        if not chunk:
            return None
        items = "".join(f'<li><a href="{article_path(n)}">Article {n}</a></li>' for n in chunk)
        more = len(numbers) > page * PER_LISTING
        nav = f'<a rel="next" href="/{section}/page/{page + 1}/">Suivant</a>' if more else ""
        return _html(f"{section} – {self.name}", f"</head><body><ul>{items}</ul>{nav}</body>")

    def article(self, base: str, section: str, n: int) -> Page | None:
        if n >= self.articles or SECTIONS[n % len(SECTIONS)] != section:
            return None
        url = base + article_path(n)
        headline = f"Le conseil municipal adopte la délibération numéro {n}"
        ld = (
            '{"@context":"https://schema.org","@type":"NewsArticle",'
            f'"headline":"{headline}","datePublished":"{published(n)}",'
            f'"author":{{"@type":"Person","name":"Camille Martin"}},"articleSection":"{section}"}}'
        )
        paragraphs = "".join(
            f"<p>Paragraphe {i} de l’article {n} : la séance a duré plus de trois heures et "
            f"les élus ont débattu longuement du budget de la commune pour l’année.</p>"
            for i in range(1, 5)
        )
        head = (
            f'<link rel="canonical" href="{url}">'
            f'<meta property="og:title" content="{html.escape(headline)}">'
            f'<script type="application/ld+json">{ld}</script></head>'
        )
        body = (
            f'<body><article><h1>{headline}</h1><time datetime="{published(n)}"></time>'
            f'<div class="entry-content">{paragraphs}</div></article></body>'
        )
        return _html(headline, head + body)


def synthetic_portal(articles: int = 2000) -> Portal:
    return SyntheticPortal(articles)
