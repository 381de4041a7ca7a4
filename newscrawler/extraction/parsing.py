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
    try:
        return lxml.html.document_fromstring(data, parser=_parser("utf-8"))
    except (etree.ParserError, ValueError):
        return None


def _parse_text(text: str) -> HtmlElement | None:
    try:
        return lxml.html.document_fromstring(text.replace("\x00", ""), parser=_parser(None))
    except (etree.ParserError, ValueError):
        return None


def parse_page(html: str | bytes, content_type: str | None = None) -> HtmlElement | None:
    """The document tree of a page, or None when there is no document at all."""
    if isinstance(html, str):
        return _from_text(html)
    encoding = page_encoding(html, content_type)
    direct = _DIRECT.get(encoding)
    if direct and b"\x00" not in html:
        body = html[3:] if html.startswith(codecs.BOM_UTF8) else html
        try:
            return lxml.html.document_fromstring(body, parser=_parser(direct))
        except (etree.ParserError, ValueError, LookupError):
            pass
    return _from_text(decode_page(html, content_type))


def scrub(text: str) -> str:
    """Remove C0 control characters (never text) that lxml keeps from the bytes path.

    >>> scrub("a\\x07b")
    'ab'
    """
    return text.translate(_CONTROLS) if _CONTROL.search(text) else text
