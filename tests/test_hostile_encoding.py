"""Encodings that lie: French text must come out right whatever the declarations say."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newscrawler import encoding
from newscrawler.encoding import decode_page, page_encoding
from newscrawler.extraction.article import extract_article

TEXT = "Le café « élégant » de l’été, œuvre à 5 €"
HEADLINE = "Été : l’œuvre « culte » revient"


def article_page(meta: str = "") -> str:
    paragraphs = "".join(f"<p>{TEXT}, paragraphe {i} du texte de l’article.</p>" for i in range(6))
    return (
        f"<!DOCTYPE html><html lang='fr'><head>{meta}<title>{HEADLINE}</title></head>"
        f"<body><article><h1>{HEADLINE}</h1>{paragraphs}</article></body></html>"
    )


CASES = {
    # name: (body bytes, Content-Type header)
    "cp1252, no declaration": (article_page().encode("cp1252"), None),
    "cp1252, header without charset": (article_page().encode("cp1252"), "text/html"),
    "header utf-8, latin-1 bytes": (
        article_page().encode("cp1252"),
        "text/html; charset=utf-8",
    ),
    "meta utf-8, latin-1 bytes": (
        article_page("<meta charset='utf-8'>").encode("cp1252"),
        None,
    ),
    "header iso-8859-1, meta utf-8, utf-8 bytes": (
        article_page("<meta charset='utf-8'>").encode("utf-8"),
        "text/html; charset=iso-8859-1",
    ),
    "header utf-8, meta iso-8859-1, cp1252 bytes": (
        article_page("<meta charset='iso-8859-1'>").encode("cp1252"),
        "text/html; charset=utf-8",
    ),
    "header windows-1252, cp1252 bytes": (
        article_page().encode("cp1252"),
        "text/html; charset=windows-1252",
    ),
    "utf-8 BOM, header iso-8859-1": (
        b"\xef\xbb\xbf" + article_page().encode("utf-8"),
        "text/html; charset=iso-8859-1",
    ),
    "utf-16 BOM": (article_page().encode("utf-16"), "text/html"),
    "http-equiv windows-1252": (
        article_page(
            '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
        ).encode("cp1252"),
        None,
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_decoding_gets_french_text_right(name: str) -> None:
    body, content_type = CASES[name]
    text = decode_page(body, content_type)
    assert TEXT in text
    assert "\ufffd" not in text


@pytest.mark.parametrize("name", list(CASES))
def test_extracted_fields_keep_the_accents(name: str) -> None:
    body, content_type = CASES[name]
    article = extract_article(
        body, "https://news.example.fr/2026/11/ete.html", content_type=content_type
    )
    assert article["headline"] == HEADLINE
    assert TEXT in article["body"]
    assert "\ufffd" not in article["body"]


def test_nul_and_control_characters_are_dropped() -> None:
    body = article_page().replace("élégant", "élé\x00gant\x07").encode("utf-8")
    assert TEXT in decode_page(body)
    article = extract_article(body, "https://news.example.fr/a.html")
    assert TEXT in article["body"]
    assert "\x00" not in article["body"]


def test_nul_bytes_in_a_str_page_do_not_crash_extraction() -> None:
    article = extract_article(article_page().replace("é", "é\x00"), "https://news.example.fr/a")
    assert isinstance(article, dict)


def test_utf16_declared_without_bom_is_honoured() -> None:
    body = article_page().encode("utf-16-le")
    assert page_encoding(body, "text/html; charset=utf-16le") == "utf-16-le"
    assert TEXT in decode_page(body, "text/html; charset=utf-16le")


def test_unknown_declared_encoding_falls_back() -> None:
    body = article_page().encode("cp1252")
    assert TEXT in decode_page(body, "text/html; charset=x-no-such-thing")


@given(st.binary(max_size=3000), st.sampled_from([None, "text/html", "text/html; charset=utf-8"]))
def test_any_bytes_decode_without_raising(body: bytes, content_type: str | None) -> None:
    text = decode_page(body, content_type)
    assert "\x00" not in text


@given(st.text(max_size=500))
def test_valid_utf8_round_trips(text: str) -> None:
    cleaned = encoding._CONTROLS.sub("", text)
    decoded = decode_page(cleaned.encode("utf-8"), "text/html; charset=iso-8859-1")
    assert decoded == cleaned.removeprefix("\ufeff")  # a leading BOM is a BOM
