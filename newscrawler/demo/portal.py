"""The embedded demo portal: a small French WordPress news site (Penci/Soledad theme), in memory.

`demo_portal()` returns a Portal for `newscrawler.demo.server.serve`. It routes WordPress URLs:
home and archives with /page/N/, /yyyy/mm/dd/slug/ permalinks, /?p=ID shortlinks (301), robots.txt,
the Yoast sitemaps, the RSS feed. Like WordPress it redirects a path missing its trailing slash and
/page/1/ to the canonical URL, ignores unknown query strings, and answers 404 past the last page.
Content comes from `content/` (see `newscrawler.demo.data`); nothing here knows any article.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from urllib.parse import parse_qs, urlsplit

from newscrawler.demo.article_page import article_page
from newscrawler.demo.data import Post, Site, load_site
from newscrawler.demo.pages import listing_page, static_page
from newscrawler.demo.server import Page, Portal
from newscrawler.demo.syndication import (
    comments_feed,
    news_sitemap,
    post_sitemap,
    robots_txt,
    rss_feed,
    sitemap_index,
    term_sitemap,
)

HTML = "text/html; charset=UTF-8"
XML = "application/xml; charset=UTF-8"
TEXT = "text/plain; charset=utf-8"
RSS = "application/rss+xml; charset=UTF-8"
ARCHIVE = re.compile(r"^/(?:(category|tag|author)/([a-z0-9-]+)/)?(?:page/(\d+)/)?$")
STATIC = re.compile(r"^/([a-z0-9-]+)/$")
PERMALINK = re.compile(r"^/(\d{4})/(\d{2})/(\d{2})/([a-z0-9-]+)/$")
ARCHIVE_LABELS = {"category": "Catégorie", "tag": "Étiquette", "author": "Auteur"}


def redirect(location: str) -> Page:
    """A WordPress-style permanent redirect."""
    return Page(b"", content_type=HTML, status=301, headers={"Location": location})


def html_page(text: str, encoding: str = "utf-8") -> Page:
    """An HTML page; windows-1252 pages go out with a bare `text/html`, declaring no charset."""
    if encoding == "utf-8":
        return Page(text.encode("utf-8"), content_type=HTML)
    return Page(text.encode(encoding, errors="xmlcharrefreplace"), content_type="text/html")


def archive(site: Site, base: str, kind: str | None, slug: str | None, page: int) -> Page | None:
    """Home (kind None) or a category/tag/author archive, page `page`."""
    posts: Sequence[Post] = site.posts
    heading: str | None = None
    root = "/" if kind is None else f"/{kind}/{slug}/"
    if kind == "category" and slug in site.categories:
        heading = site.categories[slug].name
        posts = [p for p in site.posts if p.category.slug == slug]
    elif kind == "tag" and slug in site.tags:
        heading = site.tags[slug].name
        posts = [p for p in site.posts if site.tags[slug] in p.tags]
    elif kind == "author" and slug in site.authors:
        heading = site.authors[slug].name
        posts = [p for p in site.posts if p.author.slug == slug]
    elif kind is not None:
        return None
    label = ARCHIVE_LABELS.get(kind or "", "")
    text = listing_page(site, base, root=root, posts=posts, page=page, heading=heading, kind=label)
    return None if text is None else html_page(text)


def route(site: Site, path: str, query: str, base: str) -> Page | None:
    """The page for a path (query string split off), or None for 404."""
    if path == "/" and "p" in parse_qs(query):
        ids = {str(p.post_id): p for p in site.posts}
        post = ids.get(parse_qs(query)["p"][0])
        return redirect(base + post.path) if post else None
    fixed: dict[str, Callable[[], str]] = {
        "/robots.txt": lambda: robots_txt(base),
        "/sitemap_index.xml": lambda: sitemap_index(site, base),
        "/post-sitemap.xml": lambda: post_sitemap(site, base),
        "/category-sitemap.xml": lambda: term_sitemap(site, base, "category"),
        "/post_tag-sitemap.xml": lambda: term_sitemap(site, base, "post_tag"),
        "/author-sitemap.xml": lambda: term_sitemap(site, base, "author"),
        "/news-sitemap.xml": lambda: news_sitemap(site, base),
        "/feed/": lambda: rss_feed(site, base),
        "/comments/feed/": lambda: comments_feed(site, base),
    }
    if path in fixed:
        kind = TEXT if path == "/robots.txt" else RSS if path.endswith("/feed/") else XML
        return Page(fixed[path]().encode("utf-8"), content_type=kind)
    if match := PERMALINK.match(path):
        post = next((p for p in site.posts if p.path == path), None)
        return None if post is None else html_page(article_page(site, post, base), post.encoding)
    if match := STATIC.match(path):
        text = static_page(site, base, match.group(1))
        if text is not None:
            return html_page(text)
    if match := ARCHIVE.match(path):
        kind, slug, number = match.groups()
        if number == "1":
            return redirect(base + path.removesuffix("page/1/"))
        return archive(site, base, kind, slug, int(number or 1))
    if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
        target = route(site, path + "/", query, base)
        if target is not None and target.status == 200:
            return redirect(base + path + "/" + (f"?{query}" if query else ""))
    return None


def demo_portal() -> Portal:
    """The demo portal: content loaded (and validated) once, pages rendered per request."""
    site = load_site()

    def portal(path_with_query: str, base: str) -> Page | None:
        parts = urlsplit(path_with_query)
        return route(site, parts.path, parts.query, base)

    return portal
