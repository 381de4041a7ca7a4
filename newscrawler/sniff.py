"""Is this body text at all? Binary signatures, control-byte shares and gzip, from the bytes.

Shared by the crawl's content guard (a binary file served as text/html is skipped, counted and
logged, never extracted) and `newscrawler extract` (binary input is an error). Pure: bytes in,
a verdict out.
"""

from __future__ import annotations

# Leading bytes of binary formats, as seen in the wild served with a text/html label.
SIGNATURES = {
    b"%PDF-": "pdf",
    b"\x89PNG\r\n\x1a\n": "png",
    b"\xff\xd8\xff": "jpeg",
    b"GIF87a": "gif",
    b"GIF89a": "gif",
    b"PK\x03\x04": "zip",
    b"\x1f\x8b": "gzip",
    b"7z\xbc\xaf\x27\x1c": "7z",
    b"Rar!\x1a\x07": "rar",
    b"ID3": "mp3",
    b"OggS": "ogg",
    b"\x00\x00\x01\x00": "ico",
    b"\x7fELF": "elf",
    b"MZ": "exe",
    b"SQLite format 3\x00": "sqlite",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "ole",  # old Office documents
    b"BZh": "bzip2",
    b"\xfd7zXZ\x00": "xz",
    b"\x28\xb5\x2f\xfd": "zstd",
    b"wOFF": "woff",
    b"wOF2": "woff2",
}
# UTF-16/32 text is half NUL bytes: its byte-order mark says it is text all the same.
UNICODE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
_TEXT_CONTROLS = frozenset(b"\t\n\r\x0b\x0c\x1b")
_SNIFF_BYTES = 4096
# Text that is not UTF-8 (a legacy single-byte page) with more control bytes than this, or any
# run of NUL bytes, is binary: compressed or random data has ~10% C0 bytes and a NUL per 256.
_LEGACY_MAX_CONTROLS = 0.02
_LEGACY_MAX_NULS = 0.002


def _is_utf8(head: bytes) -> bool:
    """Valid UTF-8, allowing a character cut by the sniff window at the end."""
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3 and exc.reason == "unexpected end of data"
    return True


def binary_kind(body: bytes, max_control_ratio: float = 0.1) -> str | None:
    """What binary format `body` starts with, "binary" if it is not text, else None.

    Not text: a known signature; or more than `max_control_ratio` control bytes; or, for
    bytes that are not UTF-8, NUL bytes or more than 2% control bytes (random, compressed or
    encrypted data). A few NUL or control characters in a real page are tolerated (the
    cleaners drop them).

    >>> binary_kind(b"%PDF-1.7 ...")
    'pdf'
    >>> binary_kind(b"<p>caf\\xc3\\xa9\\x00</p>") is None
    True
    >>> binary_kind(bytes(range(256)) * 4)
    'binary'
    """
    head = body[:_SNIFF_BYTES]
    if head[4:12] == b"ftypisom" or head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"RIFF") and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return head[8:12].decode().strip().lower()
    for signature, kind in SIGNATURES.items():
        if head.startswith(signature):
            return kind
    if not head or head.startswith(UNICODE_BOMS):
        return None
    controls = sum(1 for byte in head if byte < 0x20 and byte not in _TEXT_CONTROLS)
    if controls / len(head) > max_control_ratio:
        return "binary"
    if not _is_utf8(head) and (
        controls / len(head) > _LEGACY_MAX_CONTROLS or head.count(0) / len(head) > _LEGACY_MAX_NULS
    ):
        return "binary"
    return None
