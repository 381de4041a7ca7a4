"""The one place discovery parses XML (sitemaps, feeds): a safe lxml parser and size limits.

Why one module: sitemaps and feeds come from the network, so entity expansion, external entities,
network access and huge trees are all refused here, and hardening happens in one spot.
"""

from __future__ import annotations

import gzip
import io
import zlib

from lxml import etree

# The sitemap protocol caps a file at 50 MB uncompressed; feeds are far smaller.
MAX_XML_BYTES = 50 * 1024 * 1024
GZIP_MAGIC = b"\x1f\x8b"


class XmlTooLarge(ValueError):
    """The document (after decompression) exceeds MAX_XML_BYTES."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        recover=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        load_dtd=False,
        dtd_validation=False,
    )


def maybe_gunzip(data: bytes, max_bytes: int = MAX_XML_BYTES) -> bytes:
    """Decompress gzip bodies (sitemap.xml.gz served without Content-Encoding); bounded output."""
    if not data.startswith(GZIP_MAGIC):
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            out = stream.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise ValueError(f"corrupt gzip data: {exc}") from exc
    if len(out) > max_bytes:
        raise XmlTooLarge(f"decompressed XML exceeds {max_bytes} bytes")
    return out


def parse_xml(data: bytes, max_bytes: int = MAX_XML_BYTES) -> etree._Element | None:
    """The root element of an XML document, or None when it is not XML at all.

    Raises ValueError (XmlTooLarge) for oversized or corrupt compressed input.
    """
    data = maybe_gunzip(data, max_bytes)
    if len(data) > max_bytes:
        raise XmlTooLarge(f"XML document exceeds {max_bytes} bytes")
    if not data.strip():
        return None
    try:
        root = etree.fromstring(data.lstrip(), _parser())
    except etree.XMLSyntaxError:
        return None
    return root


def local_name(element: etree._Element) -> str:
    """Tag name without namespace, lower-cased ("" for comments and PIs)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def namespace(element: etree._Element) -> str:
    """The namespace URI of an element ("" when none)."""
    tag = element.tag
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def text_of(element: etree._Element) -> str:
    """All text inside an element, stripped."""
    return "".join(str(t) for t in element.itertext()).strip()


def child_text(element: etree._Element, name: str) -> str | None:
    """Stripped text of the first direct child called `name` (any namespace), else None."""
    for child in element:
        if local_name(child) == name:
            return text_of(child) or None
    return None
