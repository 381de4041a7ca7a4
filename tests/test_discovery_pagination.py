"""The next page of a listing, one rule of discovery.pagination at a time: which link text says
"next", which markup marks the current page, which links of a pagination container are the next
page, and which two URLs are pages of one listing. Each case is a page where that rule alone
decides (no rel=next, no word and no class that would find the link anyway)."""

from __future__ import annotations

import pytest
from parsel import Selector

from newscrawler.discovery.links import feed_links, next_pages
from newscrawler.discovery.pagination import (
    is_feed_path,
    is_next_text,
    listing_key,
    next_hrefs,
    numbered_successors,
)

BASE = "https://news.example"


def hrefs(html: str, url: str = "/news") -> list[str]:
    return next_hrefs(Selector(text=html), BASE + url)


# --- link texts --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Next »", True),  # a word beside an arrow
        ("»  Older   posts", True),  # spaces collapse around and inside
        ("→", True),
        (">>", True),
        ("", False),
        ("   ", False),
        ("Read more »", False),  # an arrow beside words that are not "next"
        ("» 3", False),
        ("Next story: council votes", False),
    ],
)
def test_link_texts_that_say_next(text: str, expected: bool) -> None:
    assert is_next_text(text) is expected


def test_a_link_text_longer_than_40_characters_is_never_next() -> None:
    # arrows beside "next": 40 characters still count, 41 are a sentence, not a button
    forty = "» " * 18 + "next"
    assert len(forty) == 40 and is_next_text(forty)
    assert not is_next_text("»" + forty)


# --- the numbered link after the current page ---------------------------------------------------
def numbers(current: str, url: str = "/news") -> list[str]:
    """A pagination of pages 1..4 whose page 3 is marked by `current` (a format string)."""
    items = "".join(
        current.format(n) if n == 3 else f'<a class="page-numbers" href="/news/p{n}">{n}</a>'
        for n in range(1, 5)
    )
    return hrefs(f'<div class="nav-links">{items}</div>', url)


@pytest.mark.parametrize(
    "current",
    [
        '<span aria-current="page">{}</span>',
        '<span class="page-numbers current">{}</span>',
        '<li class="page-item active"><span>{}</span></li>',
        # pretty-printed: the number between line breaks
        '<span class="current">\n  <b>{}</b>\n</span>',
    ],
)
def test_the_next_number_follows_the_marked_current_page(current: str) -> None:
    assert numbers(current) == ["/news/p4"]


def test_without_a_marked_page_the_url_says_which_page_this_is() -> None:
    assert numbers("<span>{}</span>") == ["/news/p2"]
    assert numbers("<span>{}</span>", "/news?page=3") == ["/news/p4"]


def test_a_marked_element_that_is_not_a_number_is_not_the_current_page() -> None:
    items = (
        '<span class="current">Page 3 of 4</span>'
        '<a class="page-numbers" href="/news/p2">2</a><a class="page-numbers" href="/news/p4">4</a>'
    )
    assert hrefs(f'<div class="pagination">{items}</div>') == ["/news/p2"]


def test_a_marked_number_outside_any_pagination_is_not_the_current_page() -> None:
    menu = '<ul class="menu"><li class="active"><span>3</span></li></ul>'
    items = '<a href="/news/p2">2</a><a href="/news/p4">4</a>'
    assert hrefs(f'{menu}<div class="pagination">{items}</div>') == ["/news/p2"]


def test_a_bootstrap_page_item_marks_a_deeply_wrapped_current_page() -> None:
    # the marked number sits five classed elements deep: only its <li class="page-item"> is near
    current = (
        '<li class="page-item"><span class="page-link"><span class="inner"><span class="num">'
        '<b class="active">3</b></span></span></span></li>'
    )
    links = "".join(
        f'<li class="page-item"><a class="page-link" href="/news/p{n}">{n}</a></li>' for n in (2, 4)
    )
    page = f'<div class="pagination"><ul class="pages">{current}{links}</ul></div>'
    assert hrefs(page) == ["/news/p4"]


def test_only_the_first_20_marked_elements_are_read_for_the_current_page() -> None:
    # a bound on work: a page marking 20 menu items "active" leaves the URL's number
    def page(decoys: int) -> str:
        menu = '<li class="active"><a>Menu</a></li>' * decoys
        items = '<span class="current">3</span><a href="/news/p2">2</a><a href="/news/p4">4</a>'
        return f'<ul>{menu}</ul><div class="pagination">{items}</div>'

    assert hrefs(page(19)) == ["/news/p4"]
    assert hrefs(page(20)) == ["/news/p2"]


def test_only_the_next_number_of_a_pagination_is_taken_and_nothing_stops_the_scan() -> None:
    pagination = (
        '<nav class="pagination"><span aria-current="page">1</span>'
        '<a href="/news/p2">2</a><a href="/news/p3">3</a><a href="/news/p9">9</a></nav>'
    )
    load_more = '<a class="load-more" href="/news?offset=20">+</a>'
    assert hrefs(pagination + load_more) == ["/news/p2", "/news?offset=20"]


def test_numbers_outside_a_pagination_container_are_not_pages() -> None:
    page = (
        '<div class="content"><a href="/news/p2">2</a></div>'
        '<div class="teaser"><a href="/x">+</a></div>'
    )
    assert hrefs(page) == []


# --- links marked by markup ------------------------------------------------------------------
def test_rel_next_on_an_anchor() -> None:
    assert hrefs('<a rel="nofollow next" href="/news/p2">Go on</a>') == ["/news/p2"]


def test_a_next_class_on_the_links_parent_inside_a_pagination() -> None:
    page = '<ul class="pager"><li class="pager-next"><a href="/news/p2"><i></i></a></li></ul>'
    assert hrefs(page) == ["/news/p2"]


def test_a_next_class_outside_a_pagination_marks_nothing() -> None:
    assert hrefs('<div class="post"><a class="next" href="/story">Council</a></div>') == []


def test_other_links_of_a_pagination_are_not_next() -> None:
    page = (
        '<div class="nav-links"><a class="prev page-numbers" href="/news/p1">« Previous</a></div>'
    )
    assert hrefs(page) == []


def test_a_next_text_spread_over_several_elements() -> None:
    assert hrefs('<a href="/news/p2"><span>Older</span> <span>posts</span></a>') == ["/news/p2"]


def test_links_to_nowhere_are_skipped_and_the_scan_goes_on() -> None:
    page = (
        '<a href="#" class="load-more">Next</a><a href="javascript:more()">Next</a>'
        '<a href="/news/p2">Next</a>'
    )
    assert hrefs(page) == ["/news/p2"]


# --- /page/N+1/ of the same listing ---------------------------------------------------------
def test_the_numbered_successor_of_a_listing_with_a_trailing_slash() -> None:
    found = [f"{BASE}/news/page/2/", f"{BASE}/news/page/3/", f"{BASE}/sport/page/2/"]
    assert numbered_successors(found, f"{BASE}/news/") == [f"{BASE}/news/page/2/"]
    page = Selector(text='<a href="/news/page/2/">more</a>')
    assert next_pages(page, f"{BASE}/news/") == [f"{BASE}/news/page/2/"]
    query = [f"{BASE}/news/?page=2", f"{BASE}/news/?page=3"]
    assert numbered_successors(query, f"{BASE}/news/") == [f"{BASE}/news/?page=2"]


# --- pages of one listing ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("/news/page/3/", "/news/"),
        ("/news/page/3", "/news"),
        ("/news/Page/3/", "/news"),
        ("/a?page=2&s=x", "/a?s=x&page=5"),
        ("/a?PAGED=2", "/a"),
        ("/a?offset=20&start=3&pg=2&p=4", "/a"),
    ],
)
def test_two_pages_of_one_listing_share_a_key(a: str, b: str) -> None:
    assert listing_key(BASE + a) == listing_key(BASE + b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("/news/page/3/", "/sport/page/3/"),
        ("/a?s=x", "/a?s=y"),
        ("/a", "https://other.example/a"),
        ("/pages/news", "/news"),  # "page" inside a word is no page number
        ("/news&page=2", "/news"),  # a page parameter belongs in the query, not in the path
        ("/page/2/news", "/news"),
    ],
)
def test_two_listings_have_different_keys(a: str, b: str) -> None:
    b = b if b.startswith("http") else BASE + b
    assert listing_key(BASE + a) != listing_key(b)


def test_a_listing_key_names_host_path_and_the_other_parameters() -> None:
    assert listing_key(f"{BASE}/news/page/2/?s=x&page=3") == (
        "news.example",
        "/news",
        (("s", "x"),),
    )


# --- feeds ---------------------------------------------------------------------------------
def test_a_feed_announced_by_an_anchors_type_alone() -> None:
    page = Selector(
        text='<a href="https://other.example/feed/">theirs</a>'
        '<a href="/syndicate/world" type=" Application/RSS+XML ">RSS</a><a href="/about">A</a>'
    )
    assert feed_links(page, BASE + "/") == [f"{BASE}/syndicate/world"]


def test_a_link_needs_rel_alternate_and_a_feed_type() -> None:
    page = Selector(
        text='<link rel="alternate" type="text/html" hreflang="fr" href="/fr/">'
        '<link rel="self" type="application/atom+xml" href="/self.atom">'
        '<link rel="Alternate" type="Application/Atom+XML " href="/news.atom">'
    )
    assert feed_links(page, BASE + "/") == [f"{BASE}/news.atom"]


def test_comment_feeds_are_no_feeds() -> None:
    assert not is_feed_path(f"{BASE}/news/comments/feed/")
    assert is_feed_path(f"{BASE}/news/feed/")
