"""URL hygiene: tracking removal, AMP mapping and the canonical comparison form."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newscrawler.urls import amp_to_canonical, canonical_form, clean_url, is_amp_url

segment = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)
paths = st.lists(segment, min_size=0, max_size=4).map(lambda parts: "/" + "/".join(parts))
params = st.lists(
    st.tuples(st.sampled_from(["id", "page", "q", "lang"]), segment),
    max_size=3,
    unique_by=lambda kv: kv[0],
)
tracking = st.lists(
    st.tuples(st.sampled_from(["utm_source", "utm_medium", "fbclid", "gclid", "mc_cid"]), segment),
    max_size=3,
)


def url(host: str, path: str, query: list[tuple[str, str]]) -> str:
    return f"https://{host}{path}" + ("?" + "&".join(f"{k}={v}" for k, v in query) if query else "")


@given(paths, params, tracking)
def test_tracking_parameters_and_fragment_never_change_the_form(path, query, noise) -> None:
    plain = url("news.example", path, query)
    tagged = url("news.example", path, query + noise) + "#comments"
    assert canonical_form(tagged) == canonical_form(plain)


@given(paths, params)
def test_www_scheme_and_trailing_slash_variants_share_one_form(path, query) -> None:
    forms = {
        canonical_form(url("news.example", path, query)),
        canonical_form(url("www.news.example", path, query)),
        canonical_form(url("WWW.News.Example", path.rstrip("/") + "/", query)),
        canonical_form(url("news.example", path, query).replace("https:", "http:", 1)),
    }
    assert len(forms) == 1


@given(paths, params)
def test_canonical_form_is_idempotent(path, query) -> None:
    once = canonical_form(url("news.example", path, query))
    assert canonical_form(once) == once


@given(paths, params)
def test_different_pages_keep_different_forms(path, query) -> None:
    a = canonical_form(url("news.example", path + "/one", query))
    b = canonical_form(url("news.example", path + "/two", query))
    c = canonical_form(url("other.example", path + "/one", query))
    assert len({a, b, c}) == 3


def test_query_order_does_not_matter_but_values_do() -> None:
    assert canonical_form("https://ex.com/a?b=2&a=1") == canonical_form("https://ex.com/a?a=1&b=2")
    assert canonical_form("https://ex.com/a?id=1") != canonical_form("https://ex.com/a?id=2")


def test_clean_url_keeps_host_path_and_meaningful_query() -> None:
    assert (
        clean_url("https://www.ex.com/a/?id=3&utm_source=x&fbclid=y#top")
        == "https://www.ex.com/a/?id=3"
    )


def test_non_default_port_is_part_of_the_form() -> None:
    assert canonical_form("http://127.0.0.1:8001/a") != canonical_form("http://127.0.0.1:8002/a")


@pytest.mark.parametrize(
    ("amp", "regular"),
    [
        ("https://ex.com/2024/05/story/amp/", "https://ex.com/2024/05/story/"),
        ("https://ex.com/2024/05/story/amp", "https://ex.com/2024/05/story/"),
        ("https://ex.com/amp/2024/05/story/", "https://ex.com/2024/05/story/"),
        ("https://ex.com/story.amp.html", "https://ex.com/story.html"),
        ("https://ex.com/story.amp", "https://ex.com/story"),
        ("https://ex.com/story?amp=1", "https://ex.com/story"),
        ("https://ex.com/story/?outputType=amp&utm_source=x", "https://ex.com/story/"),
    ],
)
def test_amp_urls_map_to_the_regular_page(amp: str, regular: str) -> None:
    assert is_amp_url(amp)
    assert amp_to_canonical(amp) == regular


@pytest.mark.parametrize(
    "regular", ["https://ex.com/", "https://ex.com/ampere-record/", "https://ex.com/camp/"]
)
def test_regular_urls_are_not_amp(regular: str) -> None:
    assert not is_amp_url(regular)


def test_clean_url_never_reencodes_the_query() -> None:
    assert clean_url("https://ex.com/s?q=a%20b&x=1+2&utm_medium=m&flag") == (
        "https://ex.com/s?q=a%20b&x=1+2&flag"
    )
    assert clean_url("https://ex.com/a?UTM_Source=x") == "https://ex.com/a"
