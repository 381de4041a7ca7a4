"""Byline and dateline candidates come from one walk shared by both readers (fields._ClassScan):
each reader sees its candidates in document order, whichever reads first and however far."""

from __future__ import annotations

import itertools

from lxml.html import HtmlElement, document_fromstring

from newscrawler.extraction import pagetags
from newscrawler.extraction.fields import _ClassScan

PAGE = """<html><body>
<div class="post-date">3 March 2024</div>
<a href="/author/jane">Jane</a>
<span class="byline">By Jane Doe, updated 4 March</span>
<p class="intro">Text</p><time class="posted-time">10:00</time>
<a rel="author" href="/x">Ann</a>
<div class="Author-box published">Bio</div>
<a href="/autor/max">Max</a><p>End</p>
</body></html>"""


def _bylines(tree: HtmlElement) -> list[str]:
    found = []
    for el in tree.iter():
        cls = el.get("class") or ""
        href = el.get("href") or ""
        if any(w in cls for w in ("author", "byline", "Author", "Byline")) or (
            el.tag == "a" and (el.get("rel") == "author" or "/autor" in href or "/author" in href)
        ):
            found.append(el.text_content())
    return found


def _datelines(tree: HtmlElement) -> list[str]:
    words = ("date", "Date", "byline", "publish", "posted", "time")
    return [
        el.text_content() for el in tree.iter() if any(w in (el.get("class") or "") for w in words)
    ]


def test_each_reader_gets_its_candidates_in_order_whatever_the_interleaving() -> None:
    tree = document_fromstring(PAGE)
    bylines, datelines = _bylines(tree), _datelines(tree)
    assert bylines == ["Jane", "By Jane Doe, updated 4 March", "Ann", "Bio", "Max"]
    assert datelines == ["3 March 2024", "By Jane Doe, updated 4 March", "10:00", "Bio"]
    for stop in range(len(bylines) + 1):
        scan = _ClassScan(tree)
        first = [el.text_content() for el in itertools.islice(scan.bylines(), stop)]
        assert first == bylines[:stop]
        assert [el.text_content() for el in scan.datelines()] == datelines
        assert [el.text_content() for el in scan.bylines()] == bylines
    scan = _ClassScan(tree)
    pairs = zip(scan.datelines(), scan.bylines(), strict=False)  # both readers in lockstep
    assert [(d.text_content(), b.text_content()) for d, b in pairs] == list(
        zip(datelines, bylines, strict=False)
    )


TAGS_PAGE = """<html><body><article><h1>Storm</h1>
<a rel="tag" href="/t/rain">Rain</a> <a rel="category tag" href="/c/news">News</a>
<div class="image-stage"><a href="/x">Not a tag</a></div>
<ul class="post-Tags"><li><a href="/t/wind">Wind</a></li><li><button>Coast</button></li></ul>
<a class="tags" rel="tag nofollow" href="/t/sea">Sea</a><a rel="tagged" href="/t/no">No</a>
</article><div class="byline">By Ann</div></body></html>"""


def test_the_walk_to_the_end_notes_the_tag_links_pagetags_finds() -> None:
    tree = document_fromstring(TAGS_PAGE)
    scan = _ClassScan(tree)
    assert scan.tag_links() is None  # not walked yet: pagetags reads them itself
    assert len(list(scan.datelines())) == 1
    links = scan.tag_links()
    assert links is not None
    assert links == pagetags._tag_links(tree)
    assert [el.text_content() for el in links] == ["Rain", "News", "Wind", "Coast", "Sea"]
    assert pagetags.page_tags(tree, "https://ex.com/a", links) == pagetags.page_tags(
        tree, "https://ex.com/a"
    )
