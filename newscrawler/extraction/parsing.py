"""Page bytes or text to one lxml tree, as cheaply as the page allows.

Why not always decode then parse: handing lxml a Python str costs about a third more than
handing it the bytes with the right encoding, and the extraction budget is a few parses. So the
encoding is chosen by newscrawler.encoding (BOM, valid UTF-8, declarations, cp1252) and, for the
encodings libxml2 surely knows, the bytes are parsed directly; anything unusual (NUL bytes, other
encodings) takes the decode-then-parse path. Control characters that lxml keeps are removed from
extracted strings by `scrub`.
"""

from __future__ import annotations

import codecs
import re
from functools import cache

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from newscrawler.encoding import decode_page, page_encoding

# Python codec name -> the name libxml2 is given for the direct bytes path.
_DIRECT = {
    "utf-8": "utf-8",
    "ascii": "utf-8",
    "cp1252": "windows-1252",
    "iso8859-1": "windows-1252",
    "iso8859-15": "iso-8859-15",
    "iso8859-2": "iso-8859-2",
    "cp1250": "windows-1250",
    "cp1251": "windows-1251",
    "gb18030": "gb18030",
    "gbk": "gb18030",
    "gb2312": "gb18030",
    "big5": "big5",
    "shift_jis": "shift_jis",
}
_CONTROLS = {c: None for c in [*range(0, 9), 11, 12, *range(14, 32), 127]}
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # a cheap test before translating


# lxml.html's own lookup picks an element's class in Python, once for every element object lxml
# hands out: a walk over a page's elements paid as much for that as for the walk. Every element
# here is an HtmlElement (the form-control subclasses add only form helpers extraction never
# uses), so the choice is made by lxml in C.
_LOOKUP = etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement,
    comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity,
)


@cache
def _parser(encoding: str | None) -> lxml.html.HTMLParser:
    parser = lxml.html.HTMLParser(encoding=encoding)
    parser.set_element_class_lookup(_LOOKUP)
    return parser


# The end tags that close a document. libxml2 (2.14) stops reading at `</html>`, while a browser
# reads on and puts what follows into the body (HTML's "after after body" insertion mode): themes
# that print `</body></html>` at the end of their header template, before the article, lost it.
_END_TAGS = re.compile(r"</(?:html|body)\s*>", re.IGNORECASE)
_END_TAGS_BYTES = re.compile(rb"</(?:html|body)\s*>", re.IGNORECASE)
_START_TAG = re.compile(r"<[a-zA-Z]")
_START_TAG_BYTES = re.compile(rb"<[a-zA-Z]")


def read_on(html: str) -> str:
    """The page without its `</body>` and `</html>` end tags when markup follows the first
    `</html>`, so that the parser reads all of it as a browser does; else unchanged.

    >>> read_on("<body><nav>Menu</nav></body></html><div><p>Text</p></div>")
    '<body><nav>Menu</nav><div><p>Text</p></div>'
    >>> read_on("<body><p>Text</p></body></html>\\n")
    '<body><p>Text</p></body></html>\\n'
    """
    end = html.find("</html")  # one scan of the page; upper case only when there is no lower
    end = end if end >= 0 else html.find("</HTML")
    if end < 0 or _START_TAG.search(html, end + 6) is None:
        return html
    return _END_TAGS.sub("", html)


def _read_on_bytes(html: bytes) -> bytes:
    """`read_on` for the bytes path."""
    end = html.find(b"</html")
    end = end if end >= 0 else html.find(b"</HTML")
    if end < 0 or _START_TAG_BYTES.search(html, end + 6) is None:
        return html
    return _END_TAGS_BYTES.sub(b"", html)


def _from_text(text: str) -> HtmlElement | None:
    """Text is handed to libxml2 as UTF-8 bytes: lxml passes most str as UCS-2 or UCS-4, which
    libxml2 converts more slowly than it reads UTF-8 (encoding first costs less than a tenth of a
    parse, and the tree is the same). A str with an XML declaration naming an encoding (an
    XHTML page) is refused by lxml as text, and parses as bytes. Text that cannot be encoded
    (lone surrogates) is parsed as text."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return _parse_text(text)
    if b"\x00" in data:  # in UTF-8, a NUL byte is only ever the NUL character
        data = data.replace(b"\x00", b"")
    data = _read_on_bytes(data)
    try:
        tree = lxml.html.document_fromstring(data, parser=_parser("utf-8"))
    except (etree.ParserError, ValueError):
        return None
    return _placed(tree)


def _parse_text(text: str) -> HtmlElement | None:
    try:
        text = read_on(text.replace("\x00", ""))
        tree = lxml.html.document_fromstring(text, parser=_parser(None))
    except (etree.ParserError, ValueError):
        return None
    return _placed(tree)


# React's streamed rendering (React 18+, Next.js): parts of the page arrive late in the document
# as `<div hidden id="S:1">`, and an inline script moves each into the `<template id="B:1">`
# (a Suspense boundary, followed by its fallback up to a `<!--/$-->` comment) or
# `<template id="P:1">` (a placeholder) that marks its place. Without scripts, an article came
# as a dozen hidden pieces after the footer.
# React writes the segments where its stream goes: into <body>, or into the container element
# the page's shell renders into. Looking there costs a few element visits; a full search only
# runs when one is found (a text search for 'id="S:' cost a scan of the whole page, 0.2 ms).
_STREAMED = etree.XPath(
    "boolean(/html/body/div[@hidden][starts-with(@id, 'S:')]"
    " | /html/body/*/div[@hidden][starts-with(@id, 'S:')])"
)
_SEGMENTS = etree.XPath("//div[@hidden][starts-with(@id, 'S:')]")
_SLOTS = etree.XPath("//template[starts-with(@id, 'B:') or starts-with(@id, 'P:')]")


def _placed(tree: HtmlElement) -> HtmlElement:
    """The tree with React's streamed segments moved where the page's script puts them.

    >>> page = parse_page('<body><p>A</p><template id="P:1"></template><p>C</p>'
    ...                   '<div hidden id="S:1"><p>B</p></div></body>')
    >>> [p.text for p in page.iter("p")], page.find(".//div").get("hidden")
    (['A', 'B', 'C'], None)
    """
    if not _STREAMED(tree):
        return tree
    segments = _SEGMENTS(tree)
    if not isinstance(segments, list) or not segments:
        return tree
    found = _SLOTS(tree)
    listed = found if isinstance(found, list) else []
    slots = {str(t.get("id")): t for t in listed if isinstance(t, HtmlElement)}
    for segment in segments:
        if not isinstance(segment, HtmlElement):
            continue
        number = str(segment.get("id"))[2:]
        slot = slots.get("B:" + number)
        boundary = slot is not None
        if slot is None:
            slot = slots.get("P:" + number)
        parent = slot.getparent() if slot is not None else None
        if slot is None or parent is None or slot in segment.iterdescendants():
            continue
        if boundary:
            _drop_fallback(slot)
        del segment.attrib["hidden"]
        tail = slot.tail
        parent.replace(slot, segment)
        segment.tail = tail
    return tree


def _drop_fallback(slot: HtmlElement) -> None:
    """Remove what follows a boundary's template up to its `<!--/$-->` comment (a "Loading..."
    fallback); nothing when no such comment closes the boundary."""
    parent = slot.getparent()
    fallback: list[etree._Element] = []
    for node in slot.itersiblings():
        if isinstance(node, etree._Comment) and node.text == "/$":
            for old in fallback if parent is not None else ():
                parent.remove(old)
            return
        fallback.append(node)


def parse_page(html: str | bytes, content_type: str | None = None) -> HtmlElement | None:
    """The document tree of a page, or None when there is no document at all."""
    if isinstance(html, str):
        return _from_text(html)
    encoding = page_encoding(html, content_type)
    direct = _DIRECT.get(encoding)
    if direct and b"\x00" not in html:
        body = _read_on_bytes(html[3:] if html.startswith(codecs.BOM_UTF8) else html)
        try:
            tree = lxml.html.document_fromstring(body, parser=_parser(direct))
        except (etree.ParserError, ValueError, LookupError):
            pass
        else:
            return _placed(tree)
    return _from_text(decode_page(html, content_type))


def scrub(text: str) -> str:
    """Remove C0 control characters (never text) that lxml keeps from the bytes path.

    >>> scrub("a\\x07b")
    'ab'
    """
    return text.translate(_CONTROLS) if _CONTROL.search(text) else text
