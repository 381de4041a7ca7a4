"""Is a subtree boilerplate? By tag, role, hidden state, class/id words, and link density.

Why a share and not a yes/no: class names lie (`main--with-nav`, `sidebar-grid` around the
article, a soft paywall shipping the text `hidden`), so a boilerplate-looking subtree is dropped
only when it holds less than a given share of the container's text. Decisions on class/id
strings are cached: pages and sites repeat the same few hundred class names.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from lxml import etree
from lxml.html import HtmlElement

from newscrawler.extraction.content_vocab import (
    AD_LABELS,
    BLOCK_KINDS,
    BOX_PREFIXES,
    CREDIT_MARKERS,
    HIDDEN_CLASSES,
    HIDDEN_STYLE,
    INLINE_TAGS,
    JUNK_PREFIXES,
    JUNK_ROLES,
    JUNK_TOKENS,
    LAYOUT_TOKENS,
    NOTICE_MARKERS,
    SKIP_TAGS,
    UI_WORDS,
    Tokens,
    byline_connectors,
    byline_prefixes,
    class_parts,
)

NEVER = 2.0  # never kept, whatever it holds (nav, aside, figure, script...)
STRONG_SHARE = 0.5  # hidden, or named like boilerplate: kept only holding half the text
LAYOUT_SHARE = 0.1  # named like page layout (sidebar, widget): kept holding 10 % of it
MIN_CARDS = 3  # a teaser list has at least this many linked-heading children
CARD_SHARE = 0.6  # ... making up this share of its children
LINK_LIST_DENSITY = 0.6  # a list whose text is this much link text is a link list
NOISE_LINE = 120  # only lines shorter than this can be labels, credits or datelines
DATELINE = 60  # a line shorter than this holding a date or a time is a dateline
CAPTION_BOX = 300  # a box with an image and less text than this is a picture and its caption
CONTROLS_LINE = 40  # only lines this short can be a row of page controls

_JUNK = Tokens(JUNK_TOKENS, JUNK_PREFIXES)
_LAYOUT = Tokens(LAYOUT_TOKENS, ())
_BOX = Tokens((), BOX_PREFIXES)
_HIDDEN_CLASSES = frozenset(HIDDEN_CLASSES)  # whole class names (split on whitespace)
_HIDDEN_STYLE = re.compile(HIDDEN_STYLE)
_CREDIT = re.compile("|".join(re.escape(m) for m in CREDIT_MARKERS))
_DATELIKE = re.compile(r"\b\d{1,2}[:.h]\d{2}\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b")
_AD_LABELS = frozenset(AD_LABELS)
_UI_WORDS = frozenset(UI_WORDS)
_NOTICE = re.compile("|".join(re.escape(m) for m in NOTICE_MARKERS))
_WORDS_GLUED = re.compile(r"[^\W\d_]+", re.UNICODE)
_CASE_JOIN = re.compile(r"(?<=[a-zäöüß])(?=[A-ZÄÖÜ])")
_EMAIL_LINE = re.compile(r"^[\W_]*(?:e-?mail|mail|contact|kontakt)?\s*:?\s*\S+@\S+\.\w+\W*$", re.I)
_BYLINE_START = re.compile(r"(?:" + "|".join(re.escape(p) for p in byline_prefixes()) + r")\s+")
_CONNECTORS = byline_connectors()
MAX_BYLINE_NAMES = 6  # words of names after "By": more is a sentence
_MODIFIER = re.compile(r"--[\w-]*")
# schema.org media items: an embedded video or audio player (and its consent placeholder text)
_MEDIA_ITEM = re.compile(r"schema\.org/(?:VideoObject|AudioObject|MediaObject)\b", re.IGNORECASE)
# schema.org types of a discussion: under an Article item never its text (elsewhere, as on a
# forum thread, the posts are the page's content)
_DISCUSSION_ITEM = re.compile(r"schema\.org/(?:Comment|UserComments)\b", re.IGNORECASE)
_ARTICLE_ITEM = re.compile(r"schema\.org/(?:\w*Article|BlogPosting|Blog)\b", re.IGNORECASE)
# Whole class/id names of comment threads and their reply forms (WordPress core and themes,
# Disqus): these are never the article, however long the thread.
_DISCUSSION_NAMES = frozenset(
    {
        "comments", "comment-list", "commentlist", "comments-area", "comments-list",
        "comment-respond", "respond", "comment-body", "comment-content", "comment-thread",
        "disqus_thread", "comment-form",
    }
)  # fmt: skip
_CARD_HEADINGS = ("h2", "h3", "h4", "h5", "h6")


@lru_cache(maxsize=8192)
def class_share(cls: str, ident: str) -> float:
    """The share for a class/id pair (see `junk_share`); BEM modifiers ("--nav") ignored.

    >>> class_share("share-bar", ""), class_share("sidebar-grid", ""), class_share("entry", "")
    (0.5, 0.1, 0.0)
    """
    if cls and _hidden_class(cls):
        return STRONG_SHARE
    attrs = f"{cls} {ident}".lower()
    if "--" in attrs:
        attrs = _MODIFIER.sub("", attrs)
    parts = class_parts(attrs)
    if _JUNK.in_parts(parts) is not None:
        return STRONG_SHARE
    if _LAYOUT.in_parts(parts) is not None:
        return LAYOUT_SHARE
    return 0.0


def junk_share(el: HtmlElement) -> float:
    """0 for an element that may hold article text; else the share of the container's text
    it must hold to be kept anyway (NEVER: not even then).

    Tags (nav, aside, figure...) are never kept; roles, hidden elements and boilerplate
    class/id words (share, comments, related...) yield to half the text; layout words
    (sidebar, widget...) yield to 10 %.
    """
    tag = el.tag
    if tag in SKIP_TAGS:
        return NEVER
    get = el.get
    key = (
        get("role"),
        get("hidden") is not None,
        get("aria-hidden"),
        get("style"),
        get("itemtype"),
        get("class"),
        get("id"),
        get("data-nosnippet") is not None,
    )
    if key == _NO_ATTRIBUTES:
        return 0.0
    kind = BLOCK_KINDS.get(tag)
    discussion, share = _attribute_share(key, kind)
    if discussion and _under_article(el):
        return NEVER
    if share and share < NEVER and key[6] is not None:
        plain = _attribute_share((*key[:6], None, key[7]), kind)[1]
        if plain < share and spells_heading(key[6], el):
            return plain  # the id is the anchor of a heading, made of its words
    return share


ANCHOR_WORDS = 3  # an id spelling this many words of a heading is made of its text
ANCHOR_SHARE = 0.75  # ... and this share of the id's words
_ID_WORDS = re.compile(r"[^\W_]+")
_HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def spells_heading(ident: str, el: HtmlElement) -> bool:
    """Whether an id is spelled from the words of the element's heading (the element itself,
    or its first heading): the anchor that the block editor (WordPress's `h-<slug>`),
    Markdown renderers and table-of-contents plugins give a heading, or the section it opens,
    so that a contents list can link to it. Its words are the author's ("Why social proof
    works"), not a class name, and name no role.

    >>> from lxml.html import fragment_fromstring as f
    >>> spells_heading("h-why-social-proof-works", f("<h2>Why social proof works</h2>"))
    True
    >>> spells_heading("toc_share-the-harvest", f("<div><h3>Share the harvest</h3><p>x</p></div>"))
    True
    >>> spells_heading("share-this-post", f("<div><span>Share this post</span><a>X</a></div>"))
    False
    """
    parts = _ID_WORDS.findall(ident.lower())
    if len(parts) < ANCHOR_WORDS:
        return False
    heading = el if el.tag in _HEADING_TAGS else next(el.iter(_HEADING_TAGS), None)
    if heading is None:
        return False
    words = set(_ID_WORDS.findall(heading.text_content().lower()))
    found = sum(1 for p in parts if p in words)
    return found >= ANCHOR_WORDS and found >= ANCHOR_SHARE * len(parts)


# The attributes `junk_share` reads, as `_attribute_share` takes them: cached by these alone, so
# that links, ids of posts and data attributes that differ on every element still hit the cache.
_AttributeKey = tuple[
    str | None, bool, str | None, str | None, str | None, str | None, str | None, bool
]
_NO_ATTRIBUTES: _AttributeKey = (None, False, None, None, None, None, None, False)


@lru_cache(maxsize=16384)
def _attribute_share(key: _AttributeKey, kind: str | None) -> tuple[bool, float]:
    """`junk_share` by an element's attributes (role, hidden, aria-hidden, style, itemtype,
    class, id, data-nosnippet; cached: pages repeat the same few hundred sets): whether it is
    a schema.org discussion item (NEVER under an article), and the share otherwise. `kind`: the
    Block kind of a paragraph-level tag (box words do not apply to those; a subheading named a
    "header" is that subheading, not the page header). `data-nosnippet` is Google's
    attribute for text that is not the page's own (author bios, consent and affiliate
    notices): boilerplate, kept only when it holds half the text (a whole article so marked)."""
    role, hidden, aria_hidden, style, itemtype, cls, ident, nosnippet = key
    if role in JUNK_ROLES or _hidden_attrs(hidden, aria_hidden, style) or nosnippet:
        return False, STRONG_SHARE
    discussion = False
    if itemtype is not None:
        discussion = _DISCUSSION_ITEM.search(itemtype) is not None
        if _MEDIA_ITEM.search(itemtype):
            return discussion, STRONG_SHARE
    if cls is None and ident is None:
        return discussion, 0.0
    if is_discussion(cls or "", ident or ""):
        return discussion, NEVER
    share = class_share(cls or "", ident or "")
    if share == LAYOUT_SHARE and kind == "h" and not heading_layout(cls or "", ident or ""):
        return discussion, 0.0
    if not share and kind is None and box_share(cls or "", ident or ""):
        return discussion, STRONG_SHARE
    return discussion, share


_HEADER_WORDS = frozenset({"header", "headers"})


@lru_cache(maxsize=8192)
def heading_layout(cls: str, ident: str) -> bool:
    """Whether a subheading's class/id names page layout other than "header": a heading
    called `header-anchor` or `section-header` is named for what it is.

    >>> heading_layout("header-anchor-post", ""), heading_layout("widget-title", "")
    (False, True)
    """
    parts = class_parts(_MODIFIER.sub("", f"{cls} {ident}".lower()))
    return _LAYOUT.in_parts([p for p in parts if p not in _HEADER_WORDS]) is not None


def _under_article(el: HtmlElement) -> bool:
    """Comments of an article or blog post item (on a forum thread they are the content)."""
    return any(_ARTICLE_ITEM.search(a.get("itemtype") or "") for a in el.iterancestors())


@lru_cache(maxsize=8192)
def is_discussion(cls: str, ident: str) -> bool:
    """A comment thread or its reply form, by WordPress/Disqus class and id names.

    >>> is_discussion("comment-list", ""), is_discussion("", "comments"), is_discussion("entry", "")
    (True, True, False)
    """
    return not _DISCUSSION_NAMES.isdisjoint(f"{cls} {ident}".lower().split())


@lru_cache(maxsize=8192)
def box_share(cls: str, ident: str) -> bool:
    """Words that mark a box but not a paragraph: `div.paywall` is the subscription prompt,
    `p.paywall` a paragraph of the article behind it."""
    attrs = f"{cls} {ident}".lower()
    return _BOX.search(attrs) is not None


def _hidden_attrs(hidden: bool, aria_hidden: str | None, style: str | None) -> bool:
    """The `hidden` attribute, aria-hidden="true", or a style that hides."""
    return hidden or aria_hidden == "true" or (style is not None and _hidden_style(style))


@lru_cache(maxsize=8192)
def _hidden_style(style: str) -> bool:
    return _HIDDEN_STYLE.search(style.lower()) is not None


@lru_cache(maxsize=8192)
def _hidden_class(cls: str) -> bool:
    return not _HIDDEN_CLASSES.isdisjoint(cls.lower().split())


def is_hidden(el: HtmlElement) -> bool:
    """Hidden from sighted readers: `hidden`, aria-hidden, display:none, sr-only classes.

    The four attributes are read one by one: keying a cache on all of an element's attributes
    missed on every link (each has its own href)."""
    get = el.get
    if _hidden_attrs(get("hidden") is not None, get("aria-hidden"), get("style")):
        return True
    cls = get("class")
    return cls is not None and _hidden_class(cls)


def is_junk(el: HtmlElement) -> bool:
    """True for a subtree that is boilerplate by tag, role, class/id, or hidden."""
    return junk_share(el) > 0.0


def text_of(el: HtmlElement) -> str:
    """All text inside an element, without its tail (3x faster than `text_content()`)."""
    return etree.tostring(el, method="text", encoding="unicode", with_tail=False)


def link_chars(el: HtmlElement) -> int:
    """Characters of link text inside an element."""
    return sum(len(text_of(a)) for a in el.iter("a"))


def has_blocks(el: HtmlElement) -> bool:
    """True when an element has block-level children (a <li> holding <p>s, say)."""
    return any(isinstance(c.tag, str) and c.tag not in INLINE_TAGS for c in el)


def is_link_list(el: HtmlElement) -> bool:
    """Mostly links: related articles, navigation, tag lists (or no text at all)."""
    text = len(text_of(el).strip())
    return text == 0 or link_chars(el) >= LINK_LIST_DENSITY * text


def is_card_list(el: HtmlElement) -> bool:
    """Several children that each carry a linked heading: teasers of other articles."""
    headings = el.iter(_CARD_HEADINGS)
    if sum(1 for _ in itertools.islice(headings, MIN_CARDS)) < MIN_CARDS:
        return False  # each card holds a heading of its own: none to count in a box without three
    cards = children = 0
    for child in el:
        if isinstance(child.tag, str):
            children += 1
            if _is_card(child):
                cards += 1
    return cards >= MIN_CARDS and cards >= CARD_SHARE * children


def _is_card(child: HtmlElement) -> bool:
    """A heading below `child` (not `child` itself) holding a link other than an in-page one
    ("#..."), or inside a link: a card's linked heading. (The XPath this replaces, which read
    every element below each list: `*[.//*[self::h2 or ...][descendant::a[@href]
    [not(starts-with(@href, '#'))] or ancestor::a[@href]]]`.)"""
    for heading in child.iter(_CARD_HEADINGS):
        if heading is child:
            continue
        for link in heading.iter("a"):
            href = link.get("href")
            if href is not None and not href.startswith("#"):
                return True
        for link in heading.iterancestors("a"):
            if link.get("href") is not None:
                return True
    return False


@lru_cache(maxsize=8192)  # pages and sites repeat their labels, credits and control rows
def is_noise_line(text: str, kind: str) -> bool:
    """A short line that is never article text: an ad label, a photo credit, a dateline.

    >>> is_noise_line("Advertisement", "p"), is_noise_line("© dpa-infocom, dpa:2404", "p")
    (True, True)
    >>> is_noise_line("Stand: 24.04.2024 22:58 Uhr", "p"), is_noise_line("Kickoff 20:30", "li")
    (True, False)
    >>> is_noise_line("• Email: jdoe@example.com", "p"), is_noise_line("Lesezeit: 4 Min.", "p")
    (True, True)
    """
    lowered = text.lower()
    if lowered.strip(" .:-–—|") in _AD_LABELS or _CREDIT.search(lowered):
        return True
    if _NOTICE.search(lowered) or ("@" in text and _EMAIL_LINE.match(text)):
        return True
    if len(text) <= CONTROLS_LINE and _controls_only(text):
        return True
    if kind != "p":
        return False
    if not any(c.isalpha() for c in text):
        return True  # "1/", "* * *", a lone "." : a counter or a separator, not a sentence
    return is_byline(text) or (len(text) < DATELINE and _DATELIKE.search(text) is not None)


def _controls_only(text: str) -> bool:
    """A line made only of control words ("Lesezeit 4 min", "KommentareDrucken", "[PR]").

    >>> _controls_only("KommentareDrucken"), _controls_only("Share this with your friends")
    (True, False)
    """
    words = _WORDS_GLUED.findall(_CASE_JOIN.sub(" ", text))
    return bool(words) and all(w.lower() in _UI_WORDS for w in words)


def is_byline(text: str) -> bool:
    """ "By" (in any listed language) followed by a few capitalised names, and nothing else.

    >>> is_byline("Von Anna Sleegers, Frankfurt"), is_byline("By Jane Doe and John Roe")
    (True, True)
    >>> is_byline("Par ailleurs, la ville a voté"), is_byline("By contrast, prices rose")
    (False, False)
    """
    found = _BYLINE_START.match(text.lower())
    if found is None:
        return False
    words = [w for w in text[found.end() :].replace(",", " ").split() if w not in _CONNECTORS]
    return 0 < len(words) <= MAX_BYLINE_NAMES and all(w[0].isupper() for w in words)


def is_media_box(el: HtmlElement) -> bool:
    """A box holding an image and little text: a picture with its caption and credit."""
    if next(el.iter("img", "picture", "amp-img", "video"), None) is None:
        return False
    return len(text_of(el).strip()) < CAPTION_BOX
