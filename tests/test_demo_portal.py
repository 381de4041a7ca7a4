"""The embedded demo portal, checked over real HTTP on 127.0.0.1 (port 0).

What a crawler relies on: robots.txt -> sitemap index -> sitemaps -> every article answers 200; the
Google News sitemap and the RSS feed parse with their fields; pagination chains end; the seed
article carries its shortcode byte for byte; one page is windows-1252 with no charset anywhere; and
tests/fixtures/demo_expected.json agrees with what the pages show, field by field.
"""

from __future__ import annotations

import http.client
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from parsel import Selector

from newscrawler.demo.data import load_site
from newscrawler.demo.pages import page_numbers
from newscrawler.demo.portal import demo_portal
from newscrawler.demo.server import serve
from tests.conftest import FIXTURES

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
    "dc": "http://purl.org/dc/elements/1.1/",
}
# Verbatim from the seed article (shared/seed): the raw shortcode paragraph and read-also line.
SEED_SHORTCODE = (
    "[penci_blockquote style= »style-2″ align= »none » author= »Président chinois, Xi Jinping » "
    "font_weight= »bold » font_style= »italic »]La Chine est prête à travailler avec d’autres pays "
    "pour saisir les opportunités historiques offertes par la révolution de l’information, "
    "favoriser de nouveaux moteurs de croissance grâce à l’innovation, innover dans la coopération "
    "numérique, créer un nouveau modèle pour la cybersécurité, construire une communauté de destin "
    "dans le cyberespace, et collaborer afin de créer un avenir meilleur pour "
    "l’humanité[/penci_blockquote]"
)
SEED_READ_ALSO = "A (re) lire : Énurésie : Des astuces pour faire face au pipi au lit"
EXPECTED: dict[str, Any] = json.loads((FIXTURES / "demo_expected.json").read_text(encoding="utf-8"))
ARTICLES: list[dict[str, Any]] = EXPECTED["articles"]
RSS_LINK = 'head link[rel=alternate][type="application/rss+xml"]::attr(href)'
PERMALINK_RE = re.compile(r"^/\d{4}/\d{2}/\d{2}/[a-z0-9-]+/$")
SAME_TEXT = "self::*[normalize-space(.)=$t]"  # elements whose text is exactly $t
BY_CASE = {a["case"]: a for a in ARTICLES if "case" in a}


class Response:
    """Status, headers and raw body of one GET (redirects are not followed)."""

    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with serve(demo_portal()) as url:
        yield url


def get(url: str) -> Response:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.netloc, timeout=10)
    try:
        conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        raw = conn.getresponse()
        headers = {k.lower(): v for k, v in raw.getheaders()}
        return Response(raw.status, headers, raw.read())
    finally:
        conn.close()


def get_ok(url: str) -> Response:
    response = get(url)
    assert response.status == 200, url
    return response


def xml(url: str) -> ET.Element:
    response = get_ok(url)
    assert "xml" in response.headers["content-type"], url
    return ET.fromstring(response.body)


def page(url: str) -> Selector:
    return Selector(text=get_ok(url).text)


def test_robots_txt_points_to_the_sitemap_index(base: str) -> None:
    robots = get_ok(f"{base}/robots.txt").text
    assert "User-agent: *" in robots
    assert f"Sitemap: {base}/sitemap_index.xml" in robots.splitlines()


def test_sitemaps_list_every_article_and_every_article_answers(base: str) -> None:
    index = xml(f"{base}/sitemap_index.xml")
    children = [loc.text or "" for loc in index.iterfind("sm:sitemap/sm:loc", NS)]
    assert f"{base}/post-sitemap.xml" in children and f"{base}/news-sitemap.xml" in children
    for child in children:
        xml(child)  # each parses and answers 200
    posts = xml(f"{base}/post-sitemap.xml").findall("sm:url", NS)
    locs = [u.findtext("sm:loc", namespaces=NS) or "" for u in posts]
    assert sorted(locs) == sorted(base + a["path"] for a in ARTICLES)
    lastmods = [u.findtext("sm:lastmod", namespaces=NS) or "" for u in posts]
    assert all(re.fullmatch(r"2021-\d\d-\d\dT\d\d:\d\d:\d\d\+01:00", d) for d in lastmods)
    for loc in locs:
        response = get_ok(loc)
        assert response.headers["content-type"].startswith("text/html")


def test_taxonomy_sitemaps_lead_to_archive_pages(base: str) -> None:
    for name in ("category", "post_tag", "author"):
        urls = xml(f"{base}/{name}-sitemap.xml").findall("sm:url/sm:loc", NS)
        assert urls
        for loc in urls:
            get_ok(loc.text or "")


def test_google_news_sitemap_has_news_fields(base: str) -> None:
    entries = xml(f"{base}/news-sitemap.xml").findall("sm:url", NS)
    by_url = {e.findtext("sm:loc", namespaces=NS): e for e in entries}
    assert len(by_url) == len(ARTICLES)
    for article in ARTICLES:
        news = by_url[base + article["path"]].find("news:news", NS)
        assert news is not None
        assert news.findtext("news:publication/news:name", namespaces=NS) == EXPECTED["site_name"]
        assert news.findtext("news:publication/news:language", namespaces=NS) == "fr"
        published = news.findtext("news:publication_date", namespaces=NS)
        assert published == article["date_published"]
        assert news.findtext("news:title", namespaces=NS) == article["headline"]
        keywords = news.findtext("news:keywords", namespaces=NS) or ""
        assert keywords.split(", ") == article["tags"]


def test_rss_feed_parses_with_every_article(base: str) -> None:
    response = get_ok(f"{base}/feed/")
    assert response.headers["content-type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.body).find("channel")
    assert channel is not None and channel.findtext("language") == "fr-FR"
    items = channel.findall("item")
    expected = {base + a["path"]: a for a in ARTICLES}
    assert sorted(i.findtext("link") or "" for i in items) == sorted(expected)
    for item in items:
        article = expected[item.findtext("link") or ""]
        assert item.findtext("title") == article["headline"]
        assert item.findtext("dc:creator", namespaces=NS) == article["authors"][0]
        pub = parsedate_to_datetime(item.findtext("pubDate") or "")
        assert pub.isoformat() != "" and pub == _iso(article["date_published"])


def _iso(value: str) -> Any:
    from datetime import datetime

    return datetime.fromisoformat(value)


@pytest.mark.parametrize(
    "path", ["/", "/category/politique/", "/tag/chine/", "/author/aicha-diallo/"]
)
def test_every_page_links_the_feed_in_its_head(base: str, path: str) -> None:
    feeds = page(base + path).css(RSS_LINK)
    assert f"{base}/feed/" in feeds.getall()


def test_article_pages_link_the_feed_in_their_head(base: str) -> None:
    for article in ARTICLES[:5]:
        head = Selector(text=get_ok(base + article["path"]).body.decode(_encoding(article)))
        hrefs = head.css(RSS_LINK)
        assert f"{base}/feed/" in hrefs.getall()


def _encoding(article: dict[str, Any]) -> str:
    return "cp1252" if article["encoding"] == "windows-1252" else "utf-8"


def _walk_pagination(base: str, root: str) -> tuple[int, list[str]]:
    """Follow rel=next from a listing's first page; return page count and article links seen."""
    url: str | None = base + root
    pages, links, seen = 0, [], set()
    while url is not None:
        assert url not in seen, f"pagination loops at {url}"
        seen.add(url)
        sel = page(url)
        pages += 1
        links += sel.css("h2.entry-title a::attr(href)").getall()
        prev = sel.css("head link[rel=prev]::attr(href)").get()
        assert (prev is None) == (pages == 1), url
        url = sel.css("head link[rel=next]::attr(href)").get()
        assert pages < 50
    return pages, links


def test_home_pagination_chain_ends_and_covers_every_article(base: str) -> None:
    pages, links = _walk_pagination(base, "/")
    assert pages > 1
    assert sorted(links) == sorted(base + a["path"] for a in ARTICLES)


def test_category_pagination_chains_end_and_partition_the_articles(base: str) -> None:
    sections = {a["section"] for a in ARTICLES}
    slugs = page(base + "/").css("#menu-menu-principal a::attr(href)").re(r"/category/([\w-]+)/$")
    assert len(slugs) == len(sections) >= 3
    all_links: list[str] = []
    multi_page = 0
    for slug in slugs:
        pages, links = _walk_pagination(base, f"/category/{slug}/")
        multi_page += pages > 1
        all_links += links
        last = f"{base}/category/{slug}/page/{pages}/" if pages > 1 else None
        if last:
            numbers = page(last).css(".penci-pagination .page-numbers::text").getall()
            assert str(pages) in numbers and "1" in numbers
        assert get(f"{base}/category/{slug}/page/{pages + 1}/").status == 404
    assert multi_page >= 3
    assert sorted(all_links) == sorted(base + a["path"] for a in ARTICLES)


def test_page_one_and_missing_slash_redirect_like_wordpress(base: str) -> None:
    response = get(f"{base}/category/sante/page/1/")
    assert (response.status, response.headers["location"]) == (301, f"{base}/category/sante/")
    path = BY_CASE["seed"]["path"]
    response = get(base + path.rstrip("/"))
    assert (response.status, response.headers["location"]) == (301, base + path)


def test_shortlink_redirects_to_the_permalink(base: str) -> None:
    path = BY_CASE["seed"]["path"]
    shortlink = page(base + path).css("head link[rel=shortlink]::attr(href)").get()
    assert shortlink is not None and shortlink.startswith(f"{base}/?p=")
    response = get(shortlink)
    assert (response.status, response.headers["location"]) == (301, base + path)


def test_windows_1252_page_has_no_charset_anywhere(base: str) -> None:
    article = BY_CASE["windows_1252_undeclared"]
    response = get_ok(base + article["path"])
    assert response.headers["content-type"] == "text/html"
    with pytest.raises(UnicodeDecodeError):
        response.body.decode("utf-8")
    assert b"charset" not in response.body.split(b"</head>")[0].lower()
    text = response.body.decode("cp1252")
    for char in "é’«»œ":
        assert char in text
    for snippet in article["body_contains"]:
        assert snippet in text


def test_seed_article_html_has_the_shortcode_and_read_also_verbatim(base: str) -> None:
    seed = BY_CASE["seed"]
    body = get_ok(base + seed["path"]).body
    assert f"<p>{SEED_SHORTCODE}</p>".encode() in body
    sel = Selector(text=body.decode("utf-8"))
    line = sel.xpath("//p[starts-with(normalize-space(.), 'A (re) lire')]")
    assert line.xpath("normalize-space(.)").get() == SEED_READ_ALSO
    target = seed["read_also"][0]
    assert line.css("a::attr(href)").get() == base + target["path"]
    assert get_ok(base + target["path"]) is not None
    for paragraph in seed["body"].split("\n"):
        assert f"<p>{paragraph}</p>".encode() in body


@pytest.mark.parametrize("path", ["/nope/", "/category/nope/", "/2021/11/22/nope/", "/page/99/"])
def test_unknown_paths_are_404(base: str, path: str) -> None:
    assert get(base + path).status == 404


def test_pages_are_deterministic(base: str) -> None:
    for path in ("/", BY_CASE["seed"]["path"], "/feed/", "/news-sitemap.xml"):
        assert get_ok(base + path).body == get_ok(base + path).body


def _article_page(base: str, article: dict[str, Any]) -> Selector:
    return Selector(text=get_ok(base + article["path"]).body.decode(_encoding(article)))


@pytest.mark.parametrize("article", ARTICLES, ids=[a["path"].split("/")[-2] for a in ARTICLES])
def test_expected_fixture_matches_the_page(base: str, article: dict[str, Any]) -> None:
    sel = _article_page(base, article)
    assert sel.css("html::attr(lang)").get() == "fr-FR"
    assert sel.css("h1.entry-title::text").get() == article["headline"]
    byline = sel.css(".post-box-meta-single .author-url::text").getall()
    assert byline == article["authors"]
    published = sel.css(".post-box-meta-single time.entry-date::attr(datetime)").get()
    assert published == article["date_published"]
    assert sel.css('.header-standard a[rel="category tag"]::text').getall() == [article["section"]]
    assert sel.css(".post-tags a[rel=tag]::text").getall() == article["tags"]
    content = " ".join(sel.css("#penci-post-entry-inner").xpath("string()").get("").split())
    for snippet in article["body_contains"]:
        assert snippet in content
    for link in article["read_also"]:
        if link["path"] is None:
            assert link["title"] in content
            assert not sel.css("#penci-post-entry-inner a").xpath(SAME_TEXT, t=link["title"])
        else:
            links = sel.css("#penci-post-entry-inner a").xpath(SAME_TEXT, t=link["title"])
            assert links.xpath("@href").getall() == [base + link["path"]]


@pytest.mark.parametrize("article", ARTICLES, ids=[a["path"].split("/")[-2] for a in ARTICLES])
def test_metadata_is_present_exactly_where_expected(base: str, article: dict[str, Any]) -> None:
    sel = _article_page(base, article)
    ld = sel.css('script[type="application/ld+json"]::text').getall()
    og = sel.css('meta[property^="og:"]')
    if not article["has_metadata"]:
        assert ld == [] and og == []
        return
    graph = json.loads(ld[0])["@graph"]
    news = next(node for node in graph if node["@type"] == "NewsArticle")
    assert news["headline"] == article["headline"]
    assert news["datePublished"] == article["date_published"]
    assert news["dateModified"] == article["date_modified"]
    person = next(node for node in graph if node["@id"] == news["author"]["@id"])
    assert [person["name"]] == article["authors"]
    assert sel.css('meta[name="description"]::attr(content)').get() == article["description"]
    assert sel.css('meta[property="og:image"]::attr(content)').get() == base + article["image_path"]


def test_fixture_covers_the_required_cases() -> None:
    assert len(ARTICLES) >= 30
    assert sum(not a["has_metadata"] for a in ARTICLES) >= 10
    assert {a["language"] for a in ARTICLES} == {"fr"}
    assert len({a["section"] for a in ARTICLES}) >= 3
    required = {
        "seed", "read_also_target", "blockquote_cite", "blockquote_dash", "read_also_strong_prefix",
        "read_also_plain_prefix", "read_also_unlinked", "caption_shortcode", "vc_row_wrapper",
        "split_shortcode", "embedded_tweet", "windows_1252_undeclared",
    }  # fmt: skip
    assert required <= set(BY_CASE)
    seed = BY_CASE["seed"]
    assert seed["read_also"][0]["path"] == BY_CASE["read_also_target"]["path"]
    assert not any(bad in seed["body"] for bad in ("[", "penci", "»style", "A (re) lire"))


def test_every_internal_link_answers(base: str) -> None:
    """Walk every HTML page reachable from the home page: no internal link is broken."""
    queue, seen, articles = [f"{base}/"], {f"{base}/"}, set()
    while queue:
        url = queue.pop()
        response = get(url)
        if response.status == 301:
            response = get(response.headers["location"])
        assert response.status == 200, url
        if not response.headers["content-type"].startswith("text/html"):
            continue
        if PERMALINK_RE.match(urlsplit(url).path):
            articles.add(urlsplit(url).path)
        encoding = "cp1252" if response.headers["content-type"] == "text/html" else "utf-8"
        for href in Selector(text=response.body.decode(encoding)).css("a::attr(href)").getall():
            href = href.split("#")[0]
            internal = href.startswith(base) and "/wp-" not in href and "?" not in href
            if internal and href not in seen:
                seen.add(href)
                queue.append(href)
    assert articles == {a["path"] for a in ARTICLES}
    assert len(seen) > 2 * len(ARTICLES)  # listings, archives and static pages too


def test_static_pages_are_served_but_listed_nowhere_as_posts(base: str) -> None:
    for slug in ("qui-sommes-nous", "mentions-legales", "contact", "newsletter"):
        sel = page(f"{base}/{slug}/")
        article = sel.css("article.type-page")
        assert article.css("h1.entry-title::text").get()
        assert not article.css("time, .author-url, a[rel~=category], a[rel=tag]").getall()
    posts = get_ok(f"{base}/post-sitemap.xml").text + get_ok(f"{base}/feed/").text
    assert "/contact/" not in posts and "/qui-sommes-nous/" not in posts


def test_comments_feed_links_comments_not_new_pages(base: str) -> None:
    channel = ET.fromstring(get_ok(f"{base}/comments/feed/").body).find("channel")
    assert channel is not None
    links = [item.findtext("link") or "" for item in channel.iter("item")]
    paths = {a["path"] for a in ARTICLES}
    assert len(links) == 2 * len(ARTICLES)
    for link in links:
        page_url, _, fragment = link.partition("#")
        assert fragment.startswith("comment-") and urlsplit(page_url).path in paths


SITE_TOML = """
name = "Test"
tagline = "t"
[authors.ann]
name = "Ann"
bio = "b"
[categories]
news = "News"
[tags]
x = "X"
[[comments]]
author = "C"
text = "c"
"""
POST_TOML = """
[[article]]
slug = "a-post"
title = "A post"
author = "{author}"
published = 2021-11-02T10:00:00+01:00
category = "news"
tags = ["x"]
image = "a.jpg"
excerpt = "e"
body = "<p>{{{{link:{target}}}}}</p>"
"""


def _content(tmp_path: Path, *, author: str = "ann", target: str = "a-post") -> Path:
    (tmp_path / "articles").mkdir()
    (tmp_path / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    post = POST_TOML.format(author=author, target=target)
    (tmp_path / "articles" / "news.toml").write_text(post, encoding="utf-8")
    return tmp_path


def test_content_loads_from_any_root(tmp_path: Path) -> None:
    site = load_site(_content(tmp_path))
    assert [p.path for p in site.posts] == ["/2021/11/02/a-post/"]


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ({"author": "bob"}, "demo post 'a-post': unknown author 'bob'"),
        ({"target": "elsewhere"}, "demo post 'a-post': link to unknown post 'elsewhere'"),
    ],
)
def test_content_errors_name_the_post(tmp_path: Path, broken: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        load_site(_content(tmp_path, **broken))


def test_content_error_for_a_missing_field(tmp_path: Path) -> None:
    root = _content(tmp_path)
    post = root / "articles" / "news.toml"
    post.write_text(post.read_text("utf-8").replace('image = "a.jpg"\n', ""), "utf-8")
    with pytest.raises(ValueError, match="lacks field 'image'"):
        load_site(root)


@given(current=st.integers(1, 60), extra=st.integers(0, 60))
def test_page_numbers_are_wordpress_like(current: int, extra: int) -> None:
    total = current + extra
    numbers = page_numbers(current, total)
    shown = [n for n in numbers if n is not None]
    assert shown == sorted(set(shown))
    assert {1, current, total} <= set(shown)
    assert numbers[0] == 1 and numbers[-1] == total
    for before, gap, after in zip(numbers, numbers[1:], numbers[2:], strict=False):
        if gap is None:
            assert before is not None and after is not None and after - before > 1


PORTAL = demo_portal()


@settings(max_examples=300)
@given(path=st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_portal_answers_any_path_without_raising(path: str) -> None:
    answer = PORTAL("/" + path, "http://127.0.0.1:1")
    assert answer is None or answer.status in (200, 301)
