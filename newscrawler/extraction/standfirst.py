"""The standfirst: the lead paragraph a publisher prints under the headline ("article-subtitle",
"standfirst", "lead", "summary", "excerpt"...), the page's own summary of the article.

Why near the <h1>: the same class words also name teaser lists and site descriptions elsewhere on
the page; only an element in the headline's neighbourhood (under its ancestor a few levels up)
is the article's standfirst. Reading only that subtree also keeps the cost flat. Even there, a
class word shared by several elements is a list of other articles' excerpts, a class word inside
a link or a figure is a teaser card or a caption, and subscription boxes and photo credits are
not the article's summary.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import cast

from lxml import etree
from lxml.html import HtmlElement

from newscrawler.extraction.boilerplate import STRONG_SHARE, box_share, class_share, is_byline
from newscrawler.extraction.content_vocab import CREDIT_MARKERS
from newscrawler.extraction.sitenames import names_site
from newscrawler.text import normalize_text

_CLASS = re.compile(
    r"(?:^|[\s_-])(?:sub-?title|standfirst|lead|intro|summary|excerpt|dek|abstract)"
    r"(?:$|[\s_-])",
    re.IGNORECASE,
)
_SKIP = re.compile(r"(?:^|[\s_-])(?:related|comment|nav|menu|footer|share|byline|author)", re.I)
_PARTS = re.compile(r"[\s_-]+")
# Class words of a picture or its caption ("lead-asset", "intro-image"), read on the element
# itself only: an ancestor's "has-image" or "has-medium-media" says nothing about the text.
_MEDIA_PARTS = frozenset(
    {"asset", "image", "img", "photo", "picture", "caption", "credit", "figure", "media", "video",
     "gallery"}
)  # fmt: skip
_NOT_OWN = frozenset({"a", "figure", "figcaption", "li"})  # a teaser card, a caption, a list item
_CREDIT = re.compile(
    "|".join(re.escape(m) for m in (*CREDIT_MARKERS, "photograph:", "photography:"))
)
_REPEAT_LEVELS = 6  # how far up from a standfirst candidate a list of excerpts would repeat it
_SAME_CLASS = etree.XPath("count((descendant-or-self::*[@class = $cls])[position() <= 2])")
_LEVELS = 4  # how far up from the <h1> the shared ancestor may be
_MIN_CHARS, _MAX_CHARS = 30, 1000
_LINE_TAGS = frozenset({"p", "div", "li", "ul", "ol", "section", "h2", "h3", "h4", "h5", "h6"})
_MAX_SCAN = 400
_MAX_LINK_SHARE = 0.3


def _top(h1: HtmlElement) -> HtmlElement | None:
    """The highest ancestor of the <h1> within _LEVELS, below <body>."""
    top = None
    for level, ancestor in enumerate(h1.iterancestors()):
        if level >= _LEVELS or ancestor.tag in ("body", "html"):
            break
        top = ancestor
    return top


def paragraphs_text(el: HtmlElement) -> str:
    """An element's text with one line per paragraph (its <p>, <div>, <li> and <br> breaks).

    >>> import lxml.html
    >>> paragraphs_text(lxml.html.fromstring("<div><p>One.</p><p>Two <b>bold</b>.</p></div>"))
    'One.\\nTwo bold.'
    """
    lines: list[str] = []
    _collect_lines(el, lines, [])
    return "\n".join(line for line in (normalize_text(x) for x in lines) if line)


def _collect_lines(el: HtmlElement, lines: list[str], current: list[str]) -> None:
    """Append `el`'s text to `current`, ending the line at each block child (then `lines`)."""
    top = not current and not lines
    current.append(el.text or "")
    for child in el:
        if not isinstance(child.tag, str):
            current.append(child.tail or "")
            continue
        if child.tag == "br" or child.tag in _LINE_TAGS:
            lines.append("".join(current))
            current.clear()
            if child.tag != "br":
                _collect_lines(child, lines, current)
                lines.append("".join(current))
                current.clear()
        else:
            current.append(child.text_content())
        current.append(child.tail or "")
    if top:
        lines.append("".join(current))


def _teaser(el: HtmlElement, length: int) -> bool:
    """A box of other articles: headings inside, or mostly link text."""
    if next(el.iter("h2", "h3", "h4", "figure", "time"), None) is not None:
        return True
    linked = sum(len(a.text_content()) for a in el.iter("a"))
    return linked > _MAX_LINK_SHARE * length


@lru_cache(maxsize=4096)
def _named_standfirst(cls: str) -> bool:
    """A class naming a standfirst ("article__lead", "sub-title"), not a related box or byline."""
    return bool(_CLASS.search(cls)) and not _SKIP.search(cls)


@lru_cache(maxsize=4096)
def _boilerplate_class(cls: str, *, media: bool = False) -> bool:
    """A class the content walker treats as boilerplate (a subscription box, a promotion, a
    caption: `boilerplate.class_share`/`box_share`), or with `media` one naming a picture.

    >>> _boilerplate_class("article-subscribe--subtitle"), _boilerplate_class("article__lead")
    (True, False)
    >>> _boilerplate_class("lead-asset", media=True), _boilerplate_class("summary-art", media=True)
    (True, False)
    """
    if class_share(cls, "") >= STRONG_SHARE or box_share(cls, ""):
        return True
    return media and any(p in _MEDIA_PARTS for p in _PARTS.split(cls.lower()))


def _near(el: HtmlElement, top: HtmlElement) -> HtmlElement:
    """The element's ancestor _REPEAT_LEVELS up (at most `top`): where a list of excerpts would
    repeat its class."""
    node = el
    for _ in range(_REPEAT_LEVELS):
        parent = node.getparent()
        if parent is None or node is top:
            break
        node = parent
    return node


def _own(el: HtmlElement, top: HtmlElement) -> bool:
    """The article's own standfirst: its class is not repeated nearby (a list of excerpts), and
    neither it nor an ancestor below `top` is a link, figure, list item or boilerplate box."""
    cls = el.get("class") or ""
    if _boilerplate_class(cls, media=True) or cast(float, _SAME_CLASS(_near(el, top), cls=cls)) > 1:
        return False
    for node in (el, *el.iterancestors()):
        if node is top:
            return True
        if node.tag in _NOT_OWN or _boilerplate_class(node.get("class") or ""):
            return False
    return True


def find_standfirst(h1: HtmlElement | None) -> str | None:
    """The standfirst text in the headline's neighbourhood, or None.

    Only the subtree of the <h1>'s ancestor a few levels up is read (its first _MAX_SCAN
    elements), so the cost does not grow with the page.
    """
    top = _top(h1) if h1 is not None else None
    if h1 is None or top is None:
        return None
    holding_h1 = set(h1.iterancestors())  # they hold the headline: not its standfirst
    for count, el in enumerate(top.iter(etree.Element)):
        if count >= _MAX_SCAN:
            break
        cls = el.get("class")
        if not cls or not _named_standfirst(cls) or el.tag in ("h1", "img") or el in holding_h1:
            continue
        text = paragraphs_text(el)
        if not _MIN_CHARS <= len(text) <= _MAX_CHARS or _teaser(el, len(text)):
            continue
        if not _CREDIT.search(text.lower()) and _own(el, top):
            return text
    return None


_TAIL = re.compile(r"\s+[•|·]\s+(?P<tail>[^•|·]{1,80})$")
_LAST_SENTENCE = re.compile(r"(?<=[.!?…])\s+(?P<last>[^.!?…]{3,80})\.?$")
_MAX_TAIL_WORDS = 6


def tidy_description(text: str, site_names: Sequence[str] = ()) -> str:
    """A description without what publishing software appends to it: a photo credit
    (" • Foto: X"), the site's name (" | Site") or a byline sentence ("… Von Jane Doe.").

    >>> tidy_description("Protest in Nairobi • Foto: Jane Doe")
    'Protest in Nairobi'
    >>> tidy_description("Taxes rise. | Example News", ["Example News"])
    'Taxes rise.'
    >>> tidy_description("Wer trägt Verantwortung? Von Christin Jordan.")
    'Wer trägt Verantwortung?'
    >>> tidy_description("Prices rose | Berlin")
    'Prices rose | Berlin'
    """
    lines = text.split("\n")
    last = lines[-1]
    while (found := _TAIL.search(last)) is not None:
        tail = found.group("tail").strip()
        credit = _CREDIT.search(tail.lower()) is not None
        site = len(tail.split()) <= _MAX_TAIL_WORDS and names_site(tail, site_names)
        if not (credit or site or is_byline(tail)):
            break
        last = last[: found.start()].rstrip()
    found = _LAST_SENTENCE.search(last)
    if found is not None and is_byline(found.group("last").strip()):
        last = last[: found.start()].rstrip()
    lines[-1] = last
    return "\n".join(line for line in lines if line.strip())
