"""The one place discovery parses XML (sitemaps, feeds): a safe lxml parser and size limits.

Why one module: sitemaps and feeds come from the network, so entity expansion, external entities,
network access and huge trees are all refused here, and hardening happens in one spot.
"""

from __future__ import annotations

import gzip
import io
import logging
import zlib
from collections.abc import Iterator
from typing import Any

from lxml import etree

logger = logging.getLogger(__name__)

# The sitemap protocol caps a file at 50 MB uncompressed; feeds are far smaller.
MAX_XML_BYTES = 50 * 1024 * 1024
GZIP_MAGIC = b"\x1f\x8b"


class XmlTooLarge(ValueError):
    """The document (after decompression) exceeds MAX_XML_BYTES."""


# One set of hardening options for both the tree parser and the streaming parser: no entity
# expansion (billion laughs), no external entities or DTDs (XXE), no network, bounded trees.
SAFE_XML_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "recover": True,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
    "load_dtd": False,
}


def _parser() -> etree.XMLParser:
    return etree.XMLParser(**SAFE_XML_OPTIONS)


def maybe_gunzip(data: bytes, max_bytes: int = MAX_XML_BYTES) -> bytes:
    """Decompress gzip bodies (sitemap.xml.gz served without Content-Encoding); bounded output."""
    if not data.startswith(GZIP_MAGIC):
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            # no mutate: read(None) or one byte more differ only in memory (test_hostile_xml)
            out = stream.read(max_bytes + 1)  # pragma: no mutate
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


def iter_top_level(
    data: bytes, max_bytes: int = MAX_XML_BYTES
) -> tuple[etree._Element, Iterator[etree._Element]] | None:
    """The root element and, streamed, its direct children: each child is freed once the
    caller moves on, so a 50,000-URL sitemap never holds its whole tree (bounded memory).

    None when the document is not XML at all. Like parse_xml, entities, DTDs and network access
    are off and malformed input is recovered as far as libxml2 can (a warning says so once).
    Raises ValueError (XmlTooLarge) for oversized or corrupt compressed input.
    """
    data = maybe_gunzip(data, max_bytes)
    if len(data) > max_bytes:
        raise XmlTooLarge(f"XML document exceeds {max_bytes} bytes")
    if not data.strip():
        return None
    events = etree.iterparse(
        io.BytesIO(data.lstrip()),
        events=("start", "end"),
        **SAFE_XML_OPTIONS,
    )
    try:
        _, root = next(events)
    except (etree.XMLSyntaxError, StopIteration):
        return None

    def children() -> Iterator[etree._Element]:
        # With recover=True, lxml raises no XMLSyntaxError once the root has started: truncated,
        # binary or mismatched input, even an entity bomb past libxml2's amplification limit,
        # ends the stream quietly, and the error log below says so (docs/mutation-notes).
        for event, element in events:
            if event == "end" and element.getparent() is root:
                yield element
                element.clear()
                while element.getprevious() is not None:
                    # no mutate: deleting another child than the first differs only in memory held
                    del root[0]  # pragma: no mutate
        errors = [e for e in events.error_log if e.level >= etree.ErrorLevels.ERROR]
        if errors:  # recovered as far as libxml2 could: say so once per document
            first = errors[0]
            logger.warning(
                "malformed XML recovered (%d errors; first at line %s: %s)",
                len(errors), first.line, first.message,
            )  # fmt: skip

    return root, children()


def local_name(element: etree._Element) -> str:
    """Tag name without namespace, lower-cased ("" for comments and PIs)."""
    tag = element.tag
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def namespace(element: etree._Element) -> str:
    """The namespace URI of an element ("" when none)."""
    tag = element.tag
    return (etree.QName(tag).namespace or "") if isinstance(tag, str) else ""


def text_of(element: etree._Element) -> str:
    """All text inside an element, stripped."""
    return "".join(str(t) for t in element.itertext()).strip()


def child_text(element: etree._Element, name: str) -> str | None:
    """Stripped text of the first direct child called `name` (any namespace), else None."""
    for child in element:
        if local_name(child) == name:
            return text_of(child) or None
    return None
