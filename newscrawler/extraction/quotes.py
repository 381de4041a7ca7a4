"""HTML quotations: ``<blockquote>`` and pull-quote ``<q>`` to Quote, social embeds recognised.

Why: a quotation and the person who said it are data a reader of the dataset wants apart from the
body; an embedded tweet or Instagram post is a ``<blockquote>`` too, but it is not the article's
words, so it is recognised and dropped. The attribution comes, in order, from a ``<cite>``,
``<footer>`` or ``<figcaption>`` of the quote (or of its ``<figure>``), else a trailing
"— Name" / "- Name" line; otherwise it is None. Pure: reads the tree, never changes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml.html import HtmlElement

from newscrawler.items import Quote
from newscrawler.text import normalize_text

# Markers that the embed scripts of social networks put on their <blockquote>s.
_EMBED_CLASSES = frozenset(
    {
        "twitter-tweet", "twitter-video", "twitter-timeline", "instagram-media", "tiktok-embed",
        "fb-xfbml-parse-ignore", "reddit-card", "reddit-embed-bq", "bluesky-embed",
        "text-post-media", "mastodon-embed", "imgur-embed-pub", "tumblr-post", "embedly-card",
        "wp-embedded-content", "telegram-post", "pinterest-embed",
    }
)  # fmt: skip
_EMBED_ATTRS = (
    "data-instgrm-permalink", "data-instgrm-version", "data-instgrm-captioned", "data-video-id",
    "data-bluesky-uri", "data-text-post-permalink", "data-telegram-post",
)  # fmt: skip
# A post's own address, as the last link of an embed whose markers were stripped.
_POST_URL = re.compile(
    r"^https?://(?:[\w-]+\.)?(?:twitter\.com/\w+/status/|x\.com/\w+/status/"
    r"|instagram\.com/(?:p|reel|tv)/|tiktok\.com/@[^/]+/video/|facebook\.com/.+/(?:posts|videos)/"
    r"|t\.me/\w+/\d|bsky\.app/profile/[^/]+/post/|threads\.(?:net|com)/@[^/]+/post/)",
    re.IGNORECASE,
)
_DASH_LINE = re.compile(r"^[—–―~-]{1,2}\s*(?P<who>\S.{0,118})$")
_LEADING_DASH = re.compile(r"^[—–―~-]+\s*")
_BLOCK_TAGS = frozenset({"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "br"})
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "button"})
_ATTRIBUTION_TAGS = ("cite", "footer", "figcaption")
# Holders of a standalone pull quote, and the class fragments that mark one.
PULL_HOLDERS = frozenset({"p", "div", "aside", "figure"})
_PULL_CLASS = re.compile(r"pull[-_]?quote|quote[-_]?pull", re.IGNORECASE)
_MARKS = "\"'«»“”„‘’‹›\u00a0\u202f "
_FRAME = re.compile(f"^[\\s{re.escape(_MARKS)}]*$")  # blank, or only quotation marks


def is_social_embed(el: HtmlElement) -> bool:
    """True for embedded tweets, Instagram/TikTok/Facebook... posts: embeds, not quotes."""
    classes = set((el.get("class") or "").lower().split())
    if classes & _EMBED_CLASSES or any(el.get(a) is not None for a in _EMBED_ATTRS):
        return True
    if _POST_URL.match(el.get("cite") or ""):
        return True
    links = [a.get("href") or "" for a in el.iter("a")]
    return bool(links) and bool(_POST_URL.match(links[-1].strip()))


def split_attribution(lines: list[str]) -> tuple[list[str], str | None]:
    """Split a trailing "— Name" line off quote lines (only when other lines remain).

    >>> split_attribution(["To be or not to be.", "— Hamlet"])
    (['To be or not to be.'], 'Hamlet')
    """
    if len(lines) >= 2:
        m = _DASH_LINE.match(lines[-1])
        if m and len(m.group("who").split()) <= 12:
            return lines[:-1], m.group("who").strip()
    return lines, None


def _attribution_element(el: HtmlElement) -> HtmlElement | None:
    """The element naming the speaker: a <cite>/<footer>/<figcaption> of the quote, else of its
    <figure>. A <cite> inside running text (a title cited in a sentence) is not one."""
    for child in reversed(el):
        if not isinstance(child.tag, str):
            continue
        if child.tag in _ATTRIBUTION_TAGS:
            return child
        if child.tag == "p" and len(child) == 1 and child[0].tag == "cite":
            outside = (child.text or "") + (child[0].tail or "")
            if not _LEADING_DASH.sub("", outside.strip()):
                return child
        break
    footer = next(el.iter("footer"), None)
    if footer is not None:
        return footer
    parent = el.getparent()
    if parent is not None and parent.tag == "figure":
        return next((c for c in parent if c.tag == "figcaption"), None)
    return None


def _lines(el: HtmlElement, skip: HtmlElement | None) -> Iterator[str]:
    """Visible text of `el` cut into lines at block elements and <br>, skipping `skip`.

    Iterative (an explicit stack), so no nesting depth can exhaust the recursion limit.
    """
    parts: list[str] = []
    stack: list[tuple[HtmlElement, bool]] = [(el, False)]
    while stack:
        node, closing = stack.pop()
        tail = "" if node is el else (node.tail or "")
        if closing:
            parts.append("\n" if node.tag in _BLOCK_TAGS else "")
            parts.append(tail)
            continue
        if node is skip or not isinstance(node.tag, str) or node.tag in _SKIP_TAGS:
            parts.append(tail)
            continue
        parts.append("\n" if node.tag in _BLOCK_TAGS else "")
        parts.append(node.text or "")
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))
    for line in "".join(parts).split("\n"):
        text = normalize_text(line)
        if text:
            yield text


def is_pull_class(el: HtmlElement) -> bool:
    """True when the element's class names it a pull quote ("pullquote", "pull-quote"...)."""
    return bool(_PULL_CLASS.search(el.get("class") or ""))


def pull_quote(holder: HtmlElement) -> tuple[HtmlElement, HtmlElement | str | None] | None:
    """(the <q>, its attribution element or "— Name" text) when `holder` is a pull quote.

    Why these rules: an inline ``<q>`` inside a sentence is the article's own words and stays
    body text; a ``<q>`` that is the only content of its paragraph, aside or figure (quotation
    marks, a <cite>/<footer>/<figcaption> and a trailing "— Name" aside) is set apart for the
    reader, and is a pull quote when the page says so: a ``cite`` attribute on the <q>, an
    <aside>/<figure> holder, or a pull-quote class on either. Cheap: direct children only.
    """
    if not _FRAME.match(holder.text or ""):
        return None
    found: HtmlElement | None = None
    who: HtmlElement | str | None = None
    for child in holder:
        tag = child.tag
        if not isinstance(tag, str):  # a comment
            tail_ok = bool(_FRAME.match(child.tail or ""))
        elif tag == "q" and found is None:
            found = child
            tail = normalize_text(child.tail or "").lstrip(_MARKS)
            dash = _DASH_LINE.match(tail)
            if dash is not None and len(dash.group("who").split()) <= 12:
                who = dash.group("who").strip()
            tail_ok = bool(_FRAME.match(tail)) or who is not None
        elif tag in _ATTRIBUTION_TAGS and found is not None and who is None:
            who = child
            tail_ok = bool(_FRAME.match(child.tail or ""))
        elif tag == "br":
            tail_ok = bool(_FRAME.match(child.tail or ""))
        else:
            return None
        if not tail_ok:
            return None
    if found is None or is_social_embed(found):
        return None
    marked = (
        found.get("cite") is not None
        or holder.tag in ("aside", "figure")
        or is_pull_class(found)
        or is_pull_class(holder)
    )
    return (found, who) if marked else None


def parse_pull_quote(q: HtmlElement, who: HtmlElement | str | None = None) -> Quote | None:
    """A pull-quote <q> as a Quote, its attribution from `who` (see `pull_quote`) if given."""
    lines = list(_lines(q, None))
    if not lines:
        return None
    if isinstance(who, str):
        return {"text": "\n".join(lines), "attribution": who or None}
    if who is not None:
        name = _LEADING_DASH.sub("", normalize_text(who.text_content())) or None
        return {"text": "\n".join(lines), "attribution": name}
    return parse_blockquote(q)


def parse_blockquote(el: HtmlElement) -> Quote | None:
    """A <blockquote> (or pull-quote <q>) as a Quote; None for a social embed or an empty one."""
    if is_social_embed(el):
        return None
    who_el = _attribution_element(el)
    lines = list(_lines(el, who_el))
    who: str | None = None
    if who_el is not None:
        who = _LEADING_DASH.sub("", normalize_text(who_el.text_content())) or None
    if who is None:
        lines, who = split_attribution(lines)
    if not lines:
        return None
    return {"text": "\n".join(lines), "attribution": who}
