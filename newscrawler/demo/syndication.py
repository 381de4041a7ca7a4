"""robots.txt, the Yoast-style sitemaps (index, posts, taxonomies, Google News), the RSS 2.0 feed.

Every URL is absolute, built on the base URL the request came in on, because sitemap and feed
consumers resolve nothing relative. Dates are the posts' own fixed dates, so output is reproducible.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape

from newscrawler.demo.data import Post, Site
from newscrawler.demo.pages import expand_links

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
IMAGE_NS = "http://www.google.com/schemas/sitemap-image/1.1"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>'
# Sub-sitemaps listed by the index, in Yoast's order.
SITEMAPS = ("post", "category", "post_tag", "author", "news")


def robots_txt(base: str) -> str:
    """WordPress's virtual robots.txt with the Yoast sitemap line."""
    return (
        "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n\n"
        f"Sitemap: {base}/sitemap_index.xml\n"
    )


def _stylesheet(base: str) -> str:
    return f'<?xml-stylesheet type="text/xsl" href="{base}/main-sitemap.xsl"?>'


def _latest(posts: Iterable[Post]) -> datetime:
    return max((p.modified or p.published) for p in posts)


def sitemap_index(site: Site, base: str) -> str:
    """The sitemap index: one entry per sub-sitemap, with the newest post date as lastmod."""
    lastmod = _latest(site.posts).isoformat()
    entries = "".join(
        f"\n\t<sitemap>\n\t\t<loc>{base}/{name}-sitemap.xml</loc>\n"
        f"\t\t<lastmod>{lastmod}</lastmod>\n\t</sitemap>"
        for name in SITEMAPS
    )
    index = f'<sitemapindex xmlns="{SITEMAP_NS}">{entries}\n</sitemapindex>\n'
    return f"{XML_HEAD}{_stylesheet(base)}\n{index}"


def _urlset(entries: Iterable[str], base: str, extra_ns: str = "") -> str:
    body = "".join(entries)
    urlset = f'<urlset xmlns="{SITEMAP_NS}"{extra_ns}>{body}\n</urlset>\n'
    return f"{XML_HEAD}{_stylesheet(base)}\n{urlset}"


def post_sitemap(site: Site, base: str) -> str:
    """Every post, oldest first as Yoast lists them, with lastmod and its featured image."""
    entries = (
        f"\n\t<url>\n\t\t<loc>{base}{p.path}</loc>\n"
        f"\t\t<lastmod>{(p.modified or p.published).isoformat()}</lastmod>\n"
        f"\t\t<image:image>\n\t\t\t<image:loc>{base}/wp-content/uploads/"
        f"{p.published:%Y/%m}/{p.image}</image:loc>\n\t\t</image:image>\n\t</url>"
        for p in reversed(site.posts)
    )
    return _urlset(entries, base, f' xmlns:image="{IMAGE_NS}"')


def term_sitemap(site: Site, base: str, kind: str) -> str:
    """Category, tag or author archive URLs with the date of their newest post."""
    groups: dict[str, list[Post]] = {}
    prefix = {"category": "category", "post_tag": "tag", "author": "author"}[kind]
    for post in site.posts:
        if kind == "category":
            keys = [post.category.slug]
        elif kind == "post_tag":
            keys = [t.slug for t in post.tags]
        else:
            keys = [post.author.slug]
        for key in keys:
            groups.setdefault(key, []).append(post)
    entries = (
        f"\n\t<url>\n\t\t<loc>{base}/{prefix}/{slug}/</loc>\n"
        f"\t\t<lastmod>{_latest(posts).isoformat()}</lastmod>\n\t</url>"
        for slug, posts in sorted(groups.items())
    )
    return _urlset(entries, base)


def news_sitemap(site: Site, base: str) -> str:
    """The Google News sitemap (Yoast News SEO): every post with news:* fields."""
    entries = (
        f"\n\t<url>\n\t\t<loc>{base}{p.path}</loc>\n\t\t<news:news>\n"
        f"\t\t\t<news:publication>\n\t\t\t\t<news:name>{escape(site.name)}</news:name>\n"
        "\t\t\t\t<news:language>fr</news:language>\n\t\t\t</news:publication>\n"
        f"\t\t\t<news:publication_date>{p.published.isoformat()}</news:publication_date>\n"
        f"\t\t\t<news:title>{escape(p.title)}</news:title>\n"
        f"\t\t\t<news:keywords>{escape(', '.join(t.name for t in p.tags))}</news:keywords>\n"
        "\t\t</news:news>\n\t</url>"
        for p in site.posts
    )
    return _urlset(entries, base, f' xmlns:news="{NEWS_NS}"')


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _rss(site: Site, base: str, *, title: str, self_path: str, items: list[str]) -> str:
    build = format_datetime(_latest(site.posts).astimezone(UTC))
    return (
        f'{XML_HEAD}<rss version="2.0"\n'
        '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
        '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
        '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '\txmlns:atom="http://www.w3.org/2005/Atom"\n'
        '\txmlns:sy="http://purl.org/rss/1.0/modules/syndication/"\n'
        '\txmlns:slash="http://purl.org/rss/1.0/modules/slash/"\n\t>\n\n<channel>\n'
        f"\t<title>{escape(title)}</title>\n"
        f'\t<atom:link href="{base}{self_path}" rel="self" type="application/rss+xml" />\n'
        f"\t<link>{base}</link>\n\t<description>{escape(site.tagline)}</description>\n"
        f"\t<lastBuildDate>{build}</lastBuildDate>\n\t<language>fr-FR</language>\n"
        "\t<sy:updatePeriod>\n\thourly\t</sy:updatePeriod>\n"
        "\t<sy:updateFrequency>\n\t1\t</sy:updateFrequency>\n"
        "\t<generator>https://wordpress.org/?v=5.8.2</generator>"
        + "".join(items)
        + "\n</channel>\n</rss>\n"
    )


def comments_feed(site: Site, base: str) -> str:
    """WordPress's comments feed: items link to post#comment-N, which are not articles."""
    items = []
    for p in site.posts:
        for c in site.comments_of(p):
            link = f"{base}{p.path}#comment-{c.comment_id}"
            items.append(
                f"\n\t<item>\n\t\t<title>Commentaires sur {escape(p.title)} par "
                f"{escape(c.comment.author)}</title>\n\t\t<link>{link}</link>\n"
                f"\t\t<dc:creator>{_cdata(c.comment.author)}</dc:creator>\n"
                f"\t\t<pubDate>{format_datetime(c.date.astimezone(UTC))}</pubDate>\n"
                f'\t\t<guid isPermaLink="false">{link}</guid>\n'
                f"\t\t<description>{_cdata(c.comment.text)}</description>\n"
                f"\t\t<content:encoded>{_cdata(f'<p>{escape(c.comment.text)}</p>')}"
                "</content:encoded>\n\t</item>"
            )
    title = f"Commentaires pour {site.name}"
    return _rss(site, base, title=title, self_path="/comments/feed/", items=items)


def rss_feed(site: Site, base: str) -> str:
    """WordPress's RSS 2.0 feed with every post, newest first, full content included."""
    items = []
    for p in site.posts:
        url = base + p.path
        categories = "".join(
            f"\n\t\t<category>{_cdata(name)}</category>"
            for name in [p.category.name, *(t.name for t in p.tags)]
        )
        items.append(
            f"\n\t<item>\n\t\t<title>{escape(p.title)}</title>\n\t\t<link>{url}</link>\n"
            f"\t\t<comments>{url}#respond</comments>\n"
            f"\t\t<dc:creator>{_cdata(p.author.name)}</dc:creator>\n"
            f"\t\t<pubDate>{format_datetime(p.published.astimezone(UTC))}</pubDate>"
            f'{categories}\n\t\t<guid isPermaLink="false">{base}/?p={p.post_id}</guid>\n'
            f"\t\t<description>{_cdata(p.excerpt + ' [&#8230;]')}</description>\n"
            f"\t\t<content:encoded>{_cdata(expand_links(p.body, site, base))}</content:encoded>\n"
            f"\t\t<wfw:commentRss>{url}feed/</wfw:commentRss>\n"
            "\t\t<slash:comments>2</slash:comments>\n\t</item>"
        )
    return _rss(site, base, title=site.name, self_path="/feed/", items=items)
