"""Vocabularies of main-content detection, as data: tags, roles and class/id tokens.

Why tokens and not substrings: "ad" must match `ad-slot` and `top_ad` but not `header` or
`shadow`, so class and id values are split on spaces, "-" and "_" (see `Tokens`). Exact
tokens must equal one such part; prefixes match the start of a part (`advert` matches
`advertisement`). Extend these tuples for new boilerplate, never individual pages.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources

# Paragraph-level elements and the Block kind each becomes.
BLOCK_KINDS: dict[str, str] = {
    "p": "p",
    "h2": "h",
    "h3": "h",
    "h4": "h",
    "h5": "h",
    "h6": "h",
    "li": "li",
    "pre": "p",
    "dd": "p",
    "dt": "p",
}

# Elements whose text belongs to the paragraph around them.
INLINE_TAGS = frozenset(
    {
        "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del", "dfn", "em", "font",
        "i", "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup",
        "time", "tt", "u", "var", "wbr", "nobr", "big", "strike",
    }
)  # fmt: skip

# Subtrees that never hold article text.
SKIP_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
        "video", "audio", "canvas", "form", "button", "input", "select", "textarea", "label",
        "nav", "aside", "footer", "header", "figure", "figcaption", "picture", "img", "source",
        "head", "title", "meta", "link", "dialog", "menu", "h1", "option", "fieldset", "map",
        "amp-ad", "amp-embed", "amp-sidebar", "amp-social-share", "amp-consent", "amp-img",
        "amp-twitter", "amp-instagram", "amp-facebook", "amp-youtube", "amp-iframe",
    }
)  # fmt: skip

# Skipped elements that are never seen as a box on the page.
INVISIBLE_TAGS = frozenset(
    {"script", "style", "noscript", "template", "link", "meta", "svg", "img", "picture",
     "source", "input", "button", "head", "title"}
)  # fmt: skip

JUNK_ROLES = frozenset(
    {"navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog", "search",
     "menu", "menubar", "toolbar", "alert"}
)  # fmt: skip

# Hidden by inline style.
HIDDEN_STYLE = r"display\s*:\s*none|visibility\s*:\s*hidden"

# class/id parts that mark boilerplate subtrees (exact part match).
JUNK_TOKENS = (
    "ad", "ads", "adv", "advert", "advertising", "adslot", "adunit", "sponsored",
    "share", "shares", "sharing", "social", "socials", "sharebar", "shariff",
    "newsletter", "subscribe", "subscription", "signup", "regwall",
    "related", "recommended", "recommendations", "recirculation", "outbrain", "taboola",
    "comment", "comments", "disqus", "cookie", "cookies", "consent", "gdpr",
    "caption", "credit", "credits", "copyright", "byline", "author", "authors", "dateline",
    "timestamp", "breadcrumb", "breadcrumbs", "navbar", "navigation",
    "promo", "tweet", "twitter", "instagram", "facebook", "tiktok", "youtube",
    "pagination", "pager", "rating", "login", "signin", "register", "donate", "donation",
    "survey", "poll", "feedback", "popular", "trending", "readmore", "figcaption",
)  # fmt: skip

# class/id parts of page layout that usually hold no article text (weaker than JUNK_TOKENS).
LAYOUT_TOKENS = (
    "banner", "sidebar", "widget", "header", "footer", "masthead", "toolbar", "nav", "menu",
    "meta", "metadata", "tag", "tags", "keywords", "topics", "print", "modal", "popup",
    "overlay", "embed", "podcast", "gallery", "slideshow", "carousel",
    "video", "player", "audio", "infobox", "factbox", "toc", "figure", "photo", "picture",
    "icon",
)  # fmt: skip

# Whole class names of text hidden from sighted readers ("Opens in a new window"), even inline.
# Whole names only: "hidden-xs" or "hide-mobile" are visible on other screens.
HIDDEN_CLASSES = (
    "hidden", "is-hidden", "sr-only", "sr_only", "visually-hidden", "visuallyhidden",
    "screen-reader-text", "screen-reader-only", "screenreader", "element-invisible", "offscreen",
    "u-hidden", "d-none", "display-none", "invisible", "a11y-hidden", "vh",
)  # fmt: skip

# class/id part prefixes that mark boilerplate (match the start of a part).
JUNK_PREFIXES = (
    "advert", "adsense", "adslot", "sponsor", "newsletter", "subscri", "recommend", "authorline",
    "authorbox", "authorinfo", "bylines",
    "related", "comment", "cookie", "consent", "social", "share", "sharing", "breadcrumb",
    "promo", "outbrain", "taboola", "googlead", "dfp",
)  # fmt: skip

# class/id part prefixes that mark boilerplate boxes, but not paragraphs (`p.paywall` is text).
BOX_PREFIXES = ("paywall", "regwall", "premium", "locked", "offer", "upsell", "abonn", "abobox")


# Lowercase markers of photo credits, copyright lines and reporting credits.
CREDIT_MARKERS = (
    "©", "copyright", "foto:", "fotos:", "bild:", "bilder:", "photo:", "photos:", "image:",
    "picture:", "credit:", "bildquelle", "imago", "getty images",
    "(foto", "(bild", "(photo", "all rights reserved", "tous droits réservés",
    "alle rechte vorbehalten", "imagen:", "immagine:", "kuva:",
    # reporting credits at the end of a story
    "contributed to this report", "additional reporting", "with reporting by",
    "mit agenturmaterial", "mit material von", "avec afp", "con información de",
)  # fmt: skip

# Labels printed above ads, lowercase: a line saying only this is not article text.
AD_LABELS = (
    "advertisement", "advertising", "ad", "sponsored", "sponsored content", "anzeige",
    "werbung", "publicité", "publicite", "publicidad", "pubblicità", "publicidade", "reklame",
    "reklama", "annons", "annonse", "advertentie", "mainos", "hirdetés", "reklam", "реклама",
    "広告", "광고", "广告", "paid content", "partner content",
)  # fmt: skip

# Class parts of a link styled as a button (Bootstrap's `btn`, WordPress's `wp-block-button__link`
# and `wp-element-button`, Elementor's `elementor-button`): a call to action ("Buy on Amazon",
# "Book now", "Get started"), not a line of the text, when it stands alone on its line
BUTTON_TOKENS = ("btn", "button")

# Words of page controls, lowercase: a line made only of them (also glued, "KommentareDrucken")
# is a toolbar, a reading-time label or a tag-box heading, not article text.
UI_WORDS = (
    "comments", "comment", "print", "share", "save", "listen", "reading", "time", "read",
    "min", "mins", "minutes", "kommentare", "kommentar", "drucken", "teilen", "merken",
    "speichern", "vorlesen", "anhören", "lesezeit", "minuten", "zitiervorschlag", "infos", "zum",
    "schlagwörter", "zu", "diesem", "artikel", "commentaires", "imprimer", "partager",
    "temps", "de", "lecture", "pr",
)  # fmt: skip

# Lowercase markers of a subscription or newsletter notice printed in the text.
NOTICE_MARKERS = (
    "delivered to your inbox", "sign up for our newsletter", "subscribe to our newsletter",
    "to continue reading", "subscribe to continue", "this article is for subscribers",
    "la suite est réservée aux abonnés", "de cet article à lire", "réservé aux abonnés",
    "abonnieren sie unseren newsletter", "newsletter abonnieren", "weiterlesen mit",
    "nur für abonnenten", "inscrivez-vous à notre newsletter", "suscríbete a nuestro boletín",
    "para seguir leyendo", "iscriviti alla newsletter",
)  # fmt: skip

# Social networks, lowercase: a line naming several of them is a share bar.
SOCIAL_NAMES = (
    "facebook", "twitter", "whatsapp", "telegram", "linkedin", "pinterest", "reddit",
    "flipboard", "xing", "messenger", "bluesky", "threads", "tumblr", "email", "e-mail",
    "mail", "print", "drucken", "teilen", "share", "copy link", "instagram", "tiktok",
)  # fmt: skip


@cache
def _bylines() -> dict[str, list[str]]:
    text = resources.files("newscrawler").joinpath("data/bylines.json").read_text("utf-8")
    data: dict[str, list[str]] = json.loads(text)
    return data


def byline_prefixes() -> tuple[str, ...]:
    """Byline openers ("by", "von", "par"...) from the shared byline vocabulary, longest first."""
    prefixes = _bylines().get("prefixes", [])
    return tuple(sorted({p.strip() for p in prefixes if p.strip()}, key=len, reverse=True))


def byline_connectors() -> frozenset[str]:
    """Words joining names in a byline ("and", "und", "et"...), lowercase."""
    return frozenset(c.strip() for c in _bylines().get("connectors", []) if c.strip())


_SEPARATORS = re.compile(r"[\s_-]")  # what separates class/id parts
_PREFIX_TAIL = re.compile(r"[a-z0-9]*")


def class_parts(text: str) -> list[str]:
    """A lowercased class/id value split into the parts `Tokens` tests (empty parts kept)."""
    return _SEPARATORS.split(text)


class Tokens:
    """Class/id parts equal to a token, or a prefix followed by letters and digits, found by set
    look-ups over the value's parts: about half the cost of one regex alternation, which tries
    every token at every separator (tests/test_class_tokens.py holds that regex as the spec).

    >>> junk = Tokens(("ad",), ("advert",))
    >>> [junk.search(t) for t in ("top-ad wide", "header shadow", "box advertisement", "advert:x")]
    ['ad', None, 'advertisement', None]
    """

    def __init__(self, exact: Iterable[str], prefixes: Iterable[str]) -> None:
        self.exact = frozenset(exact)
        by_start: dict[str, list[str]] = {}
        for prefix in prefixes:
            if len(prefix) < 2 or _SEPARATORS.search(prefix):
                raise ValueError(f"prefix {prefix!r}: two characters or more, no separator")
            by_start.setdefault(prefix[:2], []).append(prefix)
        if any(_SEPARATORS.search(t) for t in self.exact):
            raise ValueError("a token holds a separator")
        self.by_start = {start: tuple(found) for start, found in by_start.items()}

    def search(self, text: str) -> str | None:
        """The first part of `text` (split on whitespace, "-" and "_") that is a token, or a
        prefix followed by lowercase letters and digits only; None when there is none (as
        the regex's `search` gives a match or None)."""
        return self.in_parts(_SEPARATORS.split(text))

    def in_parts(self, parts: list[str]) -> str | None:
        """`search` on parts already split by `class_parts`."""
        exact, by_start = self.exact, self.by_start
        for part in parts:
            if part in exact:
                return part
            if by_start and (found := by_start.get(part[:2])) is not None:
                for prefix in found:
                    if part.startswith(prefix) and _PREFIX_TAIL.fullmatch(part, len(prefix)):
                        return part
        return None
