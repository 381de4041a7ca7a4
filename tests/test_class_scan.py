"""Byline and dateline candidates come from one walk shared by both readers (fields._ClassScan):
each reader sees its candidates in document order, whichever reads first and however far."""

from __future__ import annotations

import itertools

from lxml.html import HtmlElement, document_fromstring

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
