"""HTML quotations: <blockquote>/<q> to Quote, social embeds recognised (STUB: issue 4 replaces)."""

from __future__ import annotations

from lxml.html import HtmlElement

from newscrawler.items import Quote


def is_social_embed(el: HtmlElement) -> bool:
    """True for embedded tweets, Instagram/TikTok posts...: embeds, not quotes."""
    classes = (el.get("class") or "").lower()
    return any(k in classes for k in ("twitter-tweet", "instagram-media", "tiktok-embed"))


def parse_blockquote(el: HtmlElement) -> Quote | None:
    """A <blockquote> as a Quote; None when it is a social embed (drop it) or empty."""
    if is_social_embed(el):
        return None
    text = " ".join(el.text_content().split())
    return {"text": text, "attribution": None} if text else None
