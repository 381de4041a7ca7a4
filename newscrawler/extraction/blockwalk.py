"""Walk a container in document order into Blocks: paragraphs, subheadings, list items, quotes.

Why a hand-written walk and not `text_content()`: inline runs between block elements become
their own paragraphs, `<br>` splits lines, links are kept as anchors (with the text before the
first one as `lead`, for read-also lines), and boilerplate subtrees are skipped without ever
modifying the tree.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement

from newscrawler.extraction import quotes as html_quotes
from newscrawler.extraction.blocks import Anchor, Block
from newscrawler.extraction.boilerplate import (
    LAYOUT_SHARE,
    LINK_LIST_DENSITY,
    MIN_CARDS,
    NEVER,
    NOISE_LINE,
    STRONG_SHARE,
    class_share,
    has_blocks,
    is_card_list,
    is_hidden,
    is_link_list,
    is_media_box,
    is_noise_line,
    junk_share,
    link_chars,
    text_of,
)
from newscrawler.extraction.content_vocab import (
    BLOCK_KINDS,
    BUTTON_TOKENS,
    HIDDEN_CLASSES,
    INLINE_TAGS,
    INVISIBLE_TAGS,
    JUNK_ROLES,
    SKIP_TAGS,
    Tokens,
)
from newscrawler.extraction.related import Phrases
from newscrawler.extraction.selectors import elements
from newscrawler.items import Quote

_QUOTES_IN = etree.XPath(".//blockquote[not(ancestor::blockquote)]")
_CONTROLS = etree.XPath("//@aria-controls")
_HIDDEN_NAMES = frozenset(HIDDEN_CLASSES)
COLLAPSED_TEXT = 200  # a hidden box with this much paragraph text is a collapsed panel
ROW_CELL = 200  # a table row whose cells each hold at most this much text is one line of data
_CELLS = frozenset({"td", "th"})
_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
_HEAD = 80  # characters of a box read to recognise a read-also heading
_BOLD_CHECK = 200  # only paragraphs up to this long are checked for being bold throughout
_BOLD_TAGS = frozenset({"strong", "b"})
_ITALIC_TAGS = frozenset({"em", "i", "small"})
_BUTTON = Tokens(BUTTON_TOKENS, ())
_WORD = re.compile(r"\w")

# Invisible characters dropped from block text (the body is normalised again on output).
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def clean(text: str) -> str:
    """Whitespace collapsed, invisible characters dropped.

    >>> clean(" a\\u00ad b\\n c ")
    'a b c'
    """
    if not text.isascii():  # (a flag read: every invisible character here is non-ASCII)
        text = _INVISIBLE.sub("", text)
    return " ".join(text.split())


# An absolute http(s) link that urljoin would give back unchanged: lower-case scheme, a host,
# printable ASCII, no brackets, query, fragment or parameters (most links of an article).
_PLAIN_ABSOLUTE = re.compile(r"https?://[!-~]+", re.ASCII)
_NOT_PLAIN = frozenset("[]?#;")


def absolute(base_url: str, href: str) -> str:
    """A link resolved against the page URL; a malformed one ("http://[::1") is kept as written.

    >>> absolute("https://a.example/x/y", "../z"), absolute("https://a.example/", "http://[::1")
    ('https://a.example/z', 'http://[::1')
    """
    href = href.strip()
    if (
        _PLAIN_ABSOLUTE.fullmatch(href)
        and not _NOT_PLAIN.intersection(href)
        and href[8 if href[4] == "s" else 7 :].partition("/")[0]
    ):
        return href  # what urljoin returns for it, at a tenth of the cost
    try:
        return urljoin(base_url, href)
    except ValueError:
        return href.strip()


def _all_bold(el: HtmlElement) -> bool:
    """Whether a short paragraph's text is all inside <strong>/<b> (long ones are not checked)."""
    if len(el) == 0 or next(el.iter("strong", "b"), None) is None:
        return False
    return len(el.text_content()) <= _BOLD_CHECK and not _text_outside(el, _BOLD_TAGS).strip()


def _image_caption(el: HtmlElement) -> bool:
    """A paragraph holding a picture and, beside it, only italic text: the picture's caption
    (`<p><img><br><em>Jane Doe (R)</em></p>`, as the WordPress classic editor writes it)."""
    if len(el) < 2 or next(el.iter("img", "picture"), None) is None:
        return False
    return len(el.text_content()) <= _BOLD_CHECK and not _text_outside(el, _ITALIC_TAGS).strip()


def _text_outside(node: HtmlElement, tags: frozenset[str]) -> str:
    """The text of `node` that is not inside one of `tags`."""
    parts = [node.text or ""]
    for child in node:
        if isinstance(child.tag, str) and child.tag not in tags:
            parts.append(_text_outside(child, tags))
        parts.append(child.tail or "")
    return "".join(parts)


def _host(url: str) -> str:
    """The host of a URL without "www." ("" when there is none, or the URL is malformed).

    >>> _host("https://www.example.com/a"), _host("/a"), _host("http://[::1")
    ('example.com', '', '')
    """
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def _is_button(link: HtmlElement) -> bool:
    """A link styled as a button: ARIA's `role="button"`, or a class naming it a button
    (Bootstrap's `btn`, WordPress's `wp-block-button__link`, Elementor's `elementor-button`)."""
    if link.get("role") == "button":
        return True
    cls = link.get("class")
    if not cls:
        return False
    cls = cls.lower()
    return ("btn" in cls or "button" in cls) and _BUTTON.search(cls) is not None


def _only_links(text: str, anchors: list[Anchor]) -> bool:
    """Whether a line holds no word outside its links ("➡️ Buy on Amazon")."""
    for anchor in anchors:
        text = text.replace(anchor.text, "", 1)
    return _WORD.search(text) is None


def _cell_blocks(cell: HtmlElement) -> bool:
    """A table cell holding blocks other than paragraphs (one `<p>` per cell is how some
    editors write every cell)."""
    return any(isinstance(c.tag, str) and c.tag not in INLINE_TAGS and c.tag != "p" for c in cell)


class Walker:
    """Collects the Blocks of the subtrees it is given, in order.

    `totals` (text weight per element) and `mass` (the container's weight) let a subtree that
    looks like boilerplate but holds a large share of the text be kept.
    """

    def __init__(self, base_url: str | None, totals: dict[HtmlElement, float] | None = None,
                 mass: float = math.inf) -> None:  # fmt: skip
        self.base_url = base_url or ""
        self.totals = totals or {}
        self.mass = mass
        self.tolerated = 0.0  # shares up to this are not boilerplate here (see lead.py)
        self.phrases: Phrases | None = None  # read-also phrases: such boxes are kept
        self.blocks: list[Block] = []
        self.dropped = 0  # subtrees skipped as boilerplate so far
        self.parts: list[str] = []
        self.anchors: list[Anchor] = []
        self.lead: str | None = None
        self.floated: list[Quote] = []  # pull quotes met inside the current paragraph
        self.roots: list[HtmlElement] = []  # the containers walked
        self.built_of: dict[HtmlElement, bool] = {}  # parent -> layout-named children hold the text
        self.built: set[HtmlElement] = set()  # layout-named elements kept as the article's blocks
        self.block_classes: frozenset[str] | None = None  # see `building_block`
        self.in_row = False  # inside a table row read as one line: `<br>` is a space
        self.controls: frozenset[str] | None = None  # see `controlled`
        self.buttons = 0  # links styled as buttons in the current paragraph
        self.in_cards = False  # inside the cards of a roundup (see `cards`)

    def flush(self, kind: str = "p", *, bold: bool = False) -> None:
        """End the current paragraph (if it has text) as a Block of `kind` (`bold`: printed in
        bold throughout), then the pull quotes floated in it."""
        if not self.parts:
            self.add_floated()
            return
        text = clean("".join(self.parts))
        if text and not (len(text) < NOISE_LINE and is_noise_line(text, kind)):
            lead = self.lead if self.lead is not None else ""
            action = self.buttons > 0 and self.call_to_action(text, kind)
            self.blocks.append(
                Block(kind, text, tuple(self.anchors), lead, bold=bold, action=action)
            )
        self.parts = []
        if self.anchors:
            self.anchors = []
            self.buttons = 0
        self.lead = None
        self.add_floated()

    def call_to_action(self, text: str, kind: str) -> bool:
        """A line made only of links styled as buttons ("Buy on Amazon", "Book now", "Get
        started"): a call to action beside the text, not a line of it."""
        return (
            self.buttons == len(self.anchors)
            and kind in ("p", "li")
            and _only_links(text, self.anchors)
        )

    def add_floated(self) -> None:
        """Quote Blocks for the pull quotes floated in the paragraph just ended."""
        if self.floated:
            for quote in self.floated:
                self.add_quote(quote)
            self.floated = []

    def inline(self, el: HtmlElement) -> None:
        """Text of an inline element (and its children) into the current paragraph."""
        tag = el.tag
        if tag == "br":
            if self.in_row:
                self.parts.append(" ")
            else:
                self.flush()
            return
        if not isinstance(tag, str) or tag in SKIP_TAGS or is_hidden(el):
            return
        if tag == "q" and html_quotes.is_pull_class(el):
            # a pull quote floated into a paragraph: lifted out, the sentence around it kept whole
            quote = html_quotes.parse_pull_quote(el)
            if quote is not None:
                self.floated.append(quote)
            return
        href = el.get("href") if tag == "a" else None
        if href is None:
            if tag in INLINE_TAGS:
                self.children_inline(el)
            else:  # a <div> or <h3> met inside a link or a paragraph still ends a line of text
                self.parts.append(" ")
                self.children_inline(el)
                self.parts.append(" ")
            return
        if self.lead is None and not self.anchors:
            self.lead = clean("".join(self.parts))
        start = len(self.parts)
        self.children_inline(el)
        text = clean("".join(self.parts[start:]))
        if text:
            self.anchors.append(
                Anchor(text, absolute(self.base_url, href), clean(el.get("title") or ""))
            )
            if _is_button(el):
                self.buttons += 1

    def children_inline(self, el: HtmlElement) -> None:
        """An element's own text, its children inline, and their tails."""
        if el.text:
            self.parts.append(el.text)
        for child in el:
            self.inline(child)
            if child.tail:
                self.parts.append(child.tail)

    def paragraph(self, el: HtmlElement, kind: str) -> None:
        """A paragraph-level element as one Block (none for a picture and its caption)."""
        if self.parts:
            self.flush()
        if kind == "p" and _image_caption(el):
            self.dropped += 1
            return
        self.children_inline(el)
        self.flush(kind, bold=kind == "p" and _all_bold(el))

    def container(self, el: HtmlElement) -> None:
        """Children of a block container: inline runs become paragraphs, blocks recurse.

        Whitespace between blocks starts no paragraph (most tails are indentation). A container
        left with nothing but headings once boilerplate was dropped from it ("More stories"
        above a teaser list) yields nothing.
        """
        first, dropped = len(self.blocks), self.dropped
        parts = self.parts
        text = el.text
        if text and (parts or not text.isspace()):
            parts.append(text)
        for child in el:
            tag = child.tag
            if isinstance(tag, str):
                if tag == "time" and not parts:
                    pass  # a dateline between blocks, not inside a sentence
                elif tag in INLINE_TAGS:
                    self.inline(child)
                else:
                    if parts:
                        self.flush()
                    self.block(child)
            parts = self.parts
            text = child.tail
            if text and (parts or not text.isspace()):
                parts.append(text)
        self.flush()
        if self.dropped > dropped and all(b.kind == "h" for b in self.blocks[first:]):
            del self.blocks[first:]

    def drop(self, el: HtmlElement) -> None:
        """A visible box judged boilerplate, unless it is a read-also box: that one is walked,
        so that the cleaner lifts its links into `read_also` (and out of the body)."""
        if (
            self.phrases is not None
            and (el.tag not in SKIP_TAGS or el.tag == "aside")
            and self.read_also_box(el, self.phrases)
        ):
            self.container(el)
            return
        self.dropped += 1

    def read_also_box(self, el: HtmlElement, phrases: Phrases) -> bool:
        """Links under a read-also phrase: the box's own first words, or the line before it."""
        last = self.blocks[-1].text if self.blocks else ""
        if len(last) <= _HEAD and phrases.match(last) is not None:
            end = 0
        else:
            head: list[str] = []
            for chunk in el.itertext():  # the first words only: most boxes are not read-also
                head.append(chunk)
                if sum(map(len, head)) > _HEAD:
                    break
            found = phrases.match(" ".join(" ".join(head).split())[:_HEAD])
            if found is None:
                return False
            end = found
        rest = len(" ".join(" ".join(el.itertext()).split())) - end
        return rest > 0 and link_chars(el) >= LINK_LIST_DENSITY * rest

    def building_block(self, el: HtmlElement) -> bool:
        """Whether `el` is one of the blocks the article is built of: page builders give every
        block of the text a class named like page layout (Elementor's `elementor-widget`,
        `c-product-widget`). Such blocks are the article, not a sidebar, when layout-named
        siblings together hold half the walked text (and so is a layout-named element inside
        such a block), or when a layout class name's outermost bearers do (the blocks spread
        over several sections)."""
        parent = el.getparent()
        if parent is None:
            return False
        if parent in self.built:
            self.built.add(el)
            return True
        found = self.built_of.get(parent)
        if found is None:
            held = sum(
                self.totals.get(child, 0.0)
                for child in parent
                if isinstance(child.tag, str) and junk_share(child) == LAYOUT_SHARE
            )
            found = self.built_of[parent] = held >= STRONG_SHARE * self.mass
        if found:
            self.built.add(el)
            return True
        if self.block_classes is None:
            self.block_classes = self._block_classes()
        return any(name in self.block_classes for name in (el.get("class") or "").split())

    def _block_classes(self) -> frozenset[str]:
        """Layout-named class names whose outermost bearers hold half the walked text."""
        held: dict[str, float] = {}
        totals = self.totals
        for root in self.roots:
            # in document order, into elements that hold text only: every element with a weight
            # lies on the way up from a weighed paragraph, so an element without one has none
            # below it (most of the page: menus, scripts, pictures)
            stack = [root]
            while stack:
                el = stack.pop()
                weight = totals.get(el, 0.0)
                if not weight:
                    continue
                stack.extend(reversed(el))
                cls = el.get("class")
                if not cls:
                    continue
                up = el.getparent() if el is not root else None
                outer = (up.get("class") or "").split() if up is not None else []
                for name in cls.split():
                    if name not in outer and class_share(name, "") == LAYOUT_SHARE:
                        held[name] = held.get(name, 0.0) + weight
        return frozenset(n for n, w in held.items() if w >= STRONG_SHARE * self.mass)

    def collapsed(self, el: HtmlElement) -> bool:
        """A collapsed panel (accordion, "read more", tab): hidden by attribute or inline style,
        or by a class when a toggle names it in `aria-controls` (WAI-ARIA's accordion pattern,
        as utility-class themes write it: `class="hidden"`), holding paragraph text of its
        own; the reader opens it with one click."""
        if self.totals.get(el, 0.0) < COLLAPSED_TEXT or not is_hidden(el):
            return False
        if el.get("role") in JUNK_ROLES:
            return False
        cls, ident = el.get("class") or "", el.get("id") or ""
        if not class_share(cls, ident):
            return True
        visible = " ".join(n for n in cls.split() if n.lower() not in _HIDDEN_NAMES)
        return bool(ident) and not class_share(visible, ident) and ident in self.controlled(el)

    def controlled(self, el: HtmlElement) -> frozenset[str]:
        """The ids that a toggle names in `aria-controls` (WAI-ARIA's accordion and disclosure
        pattern), read once per walk and only when a panel hidden by a class asks."""
        if self.controls is None:
            found = _CONTROLS(el.getroottree())
            names = found if isinstance(found, list) else []
            self.controls = frozenset(w for v in names for w in str(v).split())
        return self.controls

    def roundup(self, el: HtmlElement) -> bool:
        """A list of cards whose linked headings lead to other sites, a different one for at least
        half of the cards (and `MIN_CARDS`): a roundup (the projects, tools or places an article
        presents), not teasers of the site's own stories (those link home, or to one sister
        site)."""
        own = _host(self.base_url)
        hosts: list[str] = []
        for heading in el.iter(_HEADINGS):
            link = next(heading.iter("a"), None)
            if link is None:
                link = next(heading.iterancestors("a"), None)
            href = link.get("href") if link is not None else None
            if href:
                hosts.append(_host(absolute(self.base_url, href)))
        others = {h for h in hosts if h and h != own}
        return len(others) >= max(MIN_CARDS, STRONG_SHARE * len(hosts))

    def row(self, el: HtmlElement) -> bool:
        """A table row of data cells as one line, cells joined by " | " (as data tables are
        read aloud and printed as text): a cell holding only a number or "–" stays beside its
        label instead of being dropped as a line without words. Not for rows whose cells hold
        blocks other than paragraphs, or long text (a table used for page layout)."""
        cells = [c for c in el if isinstance(c.tag, str)]
        if len(cells) < 2 or any(c.tag not in _CELLS or _cell_blocks(c) for c in cells):
            return False
        if any(len(text_of(c)) > ROW_CELL for c in cells):
            return False
        if self.parts:
            self.flush()
        self.in_row = True
        try:
            for cell in cells:
                if is_hidden(cell):
                    continue
                start = len(self.parts)
                self.children_inline(cell)
                if clean("".join(self.parts[start:])):
                    self.parts.append(" | ")
                else:
                    del self.parts[start:]
        finally:
            self.in_row = False
        if self.parts:
            self.parts.pop()  # the last separator
        self.flush("row")
        return True

    def quote(self, el: HtmlElement) -> None:
        """A <blockquote> as a quote Block (a social embed gives none)."""
        if self.parts:
            self.flush()
        self.add_quote(html_quotes.parse_blockquote(el))

    def add_quote(self, quote: Quote | None) -> None:
        """A parsed quote as a quote Block, for the cleaner to lift out of the body."""
        if quote is not None:
            self.blocks.append(Block("quote", quote["text"], attribution=quote["attribution"]))

    def block(self, el: HtmlElement) -> None:
        """One block-level element: skipped, a paragraph, a quote, or a container."""
        if el.tag in html_quotes.PULL_HOLDERS and len(el):
            pulled = html_quotes.pull_quote(el)  # checked before boilerplate: often an <aside>
            if pulled is not None and not is_hidden(el):  # (the cheaper test first: most
                # paragraphs and boxes are not a lone <q>, and most of them are visible)
                if self.parts:
                    self.flush()
                self.add_quote(html_quotes.parse_pull_quote(*pulled))
                return
        if el.tag == "figure":  # a picture, a table, or a quote with its <figcaption> attribution
            for quoted in elements(_QUOTES_IN, el):
                self.quote(quoted)
            for table in el.iterchildren("table"):  # WordPress's `figure.wp-block-table`
                self.block(table)
            return
        share = junk_share(el)
        if share == STRONG_SHARE and self.collapsed(el):
            share = 0.0
        if (
            share > self.tolerated
            and (share >= NEVER or self.totals.get(el, 0.0) < share * self.mass)
            and not (share == LAYOUT_SHARE and self.building_block(el))
        ):
            if el.tag not in INVISIBLE_TAGS and not is_hidden(el):
                self.drop(el)
            return
        tag = el.tag
        if tag == "blockquote":
            self.quote(el)
            return
        kind = BLOCK_KINDS.get(tag)
        if kind is not None and not (kind == "li" and has_blocks(el)):
            self.paragraph(el, kind)
            return
        if tag == "tr" and self.row(el):
            return
        if tag in ("ul", "ol") and is_link_list(el):
            self.drop(el)
            return
        light = self.totals.get(el, 0.0) < STRONG_SHARE * self.mass
        if light and len(el) >= MIN_CARDS and (is_card_list(el) or is_link_list(el)):
            if not self.roundup(el):
                self.drop(el)
                return
            self.cards(el)
            return
        if light and not self.in_cards and is_media_box(el):
            self.dropped += 1
            return
        if not light and len(el) >= MIN_CARDS and is_card_list(el) and self.roundup(el):
            self.cards(el)
            return
        self.container(el)

    def cards(self, el: HtmlElement) -> None:
        """The cards of a roundup, each read whole: a card's picture and short text are one
        of the things the article presents, not a picture with its caption."""
        outer, self.in_cards = self.in_cards, True
        try:
            self.container(el)
        finally:
            self.in_cards = outer


def walk(containers: Iterable[HtmlElement], base_url: str | None,
         totals: dict[HtmlElement, float] | None = None,
         phrases: Phrases | None = None) -> list[Block]:  # fmt: skip
    """Blocks of each container, in order (the containers themselves are not junk-checked).

    With `phrases`, boxes headed by a read-also phrase are kept for the read-also cleaner.
    """
    containers = list(containers)
    mass = sum(totals.get(c, 0.0) for c in containers) if totals else math.inf
    walker = Walker(base_url, totals, mass)
    walker.phrases = phrases
    walker.roots = containers
    for el in containers:
        kind = BLOCK_KINDS.get(el.tag)
        if kind is not None and not has_blocks(el):
            walker.paragraph(el, kind)
        else:
            walker.container(el)
    return walker.blocks
