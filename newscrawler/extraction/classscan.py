"""One walk over the page for the readers that look for elements by class or link attributes.

Why: the byline reader (author/byline classes, author links), the dateline reader (date, time,
publish classes) and the tag reader (tag-list classes, rel="tag" links) each scanned the whole
page: two Python walks and an XPath over every class attribute, about a third of a parse each.
One walk keeps the few elements any of them may want (a class holding one of their words, a
link whose rel or href may matter), in document order; each reader then applies its own exact
test to that short list. Only the kept elements stay alive: keeping a proxy for every element
of the page costs more than the scans it would save. The walk goes only as far as its readers
ask (the byline reader usually stops at the first byline, near the top of the page).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

from lxml import etree
from lxml.html import HtmlElement


def _wanted_class(cls: str) -> bool:
    """Whether a class value holds a word one of the readers tests for (`fields._byline_elements`,
    `fields._dateline_elements`, `pagetags._tag_links`), in any case: a class without any of them
    matters to none. (Plain `in` tests: cheaper than one regex alternation.)"""
    low = cls.lower()
    return (
        "ag" in low
        or "author" in low
        or "date" in low
        or "time" in low
        or "byline" in low
        or "publish" in low
        or "posted" in low
    )


class ClassCandidates:
    """The candidates of one page, found on demand and remembered: every iteration yields them
    all in document order, walking the page further only past what an earlier one read.

    >>> from lxml.html import fromstring
    >>> found = ClassCandidates(fromstring('<p><a class="date">1 May</a><b class="tags">x</b></p>'))
    >>> [el.tag for el in next(iter(found)).iterancestors()], found.complete
    (['p', 'body', 'html'], False)
    >>> [el.tag for el in found], found.complete
    (['a', 'b'], True)
    """

    def __init__(self, tree: HtmlElement) -> None:
        self._walk = _candidates(tree)
        self.found: list[HtmlElement] = []
        self.complete = False  # the whole page was walked: `found` is every candidate

    def __iter__(self) -> Iterator[HtmlElement]:
        found = self.found
        i = 0
        while True:
            if i < len(found):
                yield found[i]
                i += 1
            elif self.complete:
                return
            else:
                el = next(self._walk, None)
                if el is None:
                    self.complete = True
                    return
                found.append(el)


def class_candidates(tree: HtmlElement) -> list[HtmlElement]:
    """Elements whose class holds a word a reader tests for, and links with a rel containing
    "tag" or equal to "author" or an href naming an author page, in document order.

    >>> from lxml.html import fromstring
    >>> page = fromstring('<div><p class="byline">By <a href="/author/jd">JD</a></p>'
    ...                   '<p class="x">text <a rel="tag" href="/t">t</a></p></div>')
    >>> [el.tag for el in class_candidates(page)]
    ['p', 'a', 'a']
    """
    return list(_candidates(tree))


def _candidates(tree: HtmlElement) -> Iterator[HtmlElement]:
    root = tree.getroottree().getroot()  # what an XPath's // starts from
    for el in cast(list[HtmlElement], root.iter(etree.Element)):
        cls = el.get("class")
        if cls is not None and _wanted_class(cls):
            yield el
        elif el.tag == "a":
            rel = el.get("rel")
            if rel is not None and ("tag" in rel or rel == "author"):
                yield el
            else:
                href = el.get("href")
                if href is not None and ("/autor" in href or "/author" in href):
                    yield el
