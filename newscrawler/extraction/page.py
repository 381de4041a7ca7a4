"""extract_page: the article and the page-kind verdict from one parse of the page.

Why a function beside extract_article: a crawl must know whether a page is one article before it
emits it, and parsing the page a second time for that would cost as much as the verdict itself.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from lxml.html import HtmlElement

from newscrawler.extraction.article import extract_article
from newscrawler.extraction.pagekind import PageVerdict, judge_page
from newscrawler.extraction.parsing import parse_page
from newscrawler.profiles.model import Profile


def extract_page(
    html: str | bytes | HtmlElement,
    url: str | None = None,
    profile: Profile | None = None,
    *,
    now: datetime | None = None,
    content_type: str | None = None,
    stats: dict[str, int] | None = None,
) -> tuple[dict[str, Any], PageVerdict]:
    """(article dict as extract_article returns it, verdict on the page) from one parse.

    >>> text = "<p>" + "Rain fell all day. " * 30 + "</p>"
    >>> page = "<html><body><article><h1>Storm</h1>" + text + "</article></body></html>"
    >>> article, verdict = extract_page(page, "https://ex.com/2024/05/02/storm-hits/")
    >>> len(article["body"]) > 500, verdict.kind
    (True, 'article')
    """
    tree = html if isinstance(html, HtmlElement) else parse_page(html, content_type)
    if tree is None:  # no document at all: the article is empty, and so is the verdict
        article = extract_article(html, url, profile, now=now, content_type=content_type)
        return article, PageVerdict("other", 0.0, ("no document",))
    article = extract_article(tree, url, profile, now=now, stats=stats)
    verdict = judge_page(tree, url, profile, article=article)
    return article, verdict
