"""Item pipelines: schema validation drops (with reasons) only invalid articles; duplicates once.
And the loader's processor cache (a per-article cost) keeps each loader class's processors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from itemloaders.processors import MapCompose
from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from newscrawler.items import Article
from newscrawler.loaders import ArticleLoader, load_article
from newscrawler.pipelines import DuplicateArticlePipeline, SchemaValidationPipeline
from newscrawler.spiders.common import settle_identity

URL = "https://news.example/2026/11/28/un-article-valide/"
PAGE = (
    "<html lang='fr'><head><title>Un article</title></head><body><article><h1>Un article</h1>"
    + "".join(
        f"<p>Paragraphe {i} d'un article assez long pour être un article.</p>" for i in range(6)
    )
    + "</article></body></html>"
)


def article() -> Article:
    response = HtmlResponse(URL, body=PAGE.encode(), encoding="utf-8")
    return settle_identity(load_article(response), response)


def stats() -> MemoryStatsCollector:
    return MemoryStatsCollector(get_crawler())


def test_a_valid_article_passes_unchanged() -> None:
    counters = stats()
    item = article()
    assert SchemaValidationPipeline(counters).process_item(item) is item
    assert counters.get_value("newscrawler/dropped/schema_invalid") is None


def test_an_invalid_article_is_dropped_with_its_reasons_and_counted() -> None:
    counters = stats()
    item = article()
    item.language, item.revision = "francais", 0
    with pytest.raises(DropItem) as dropped:
        SchemaValidationPipeline(counters).process_item(item)
    message = str(dropped.value)
    assert message.startswith(f"article {URL} fails schema v1: ")
    assert "language: 'francais' does not match" in message and "revision: 0 is less" in message
    assert counters.get_value("newscrawler/dropped/schema_invalid") == 1


def test_a_second_copy_of_an_article_is_dropped_as_duplicate() -> None:
    counters = stats()
    pipeline = DuplicateArticlePipeline(counters)
    first, second = article(), article()
    assert pipeline.process_item(first) is first
    with pytest.raises(DropItem, match="duplicate article"):
        pipeline.process_item(second)
    assert counters.get_value("newscrawler/dropped/duplicate") == 1
    assert counters.get_value("newscrawler/articles/emitted") == 1


def test_loader_processors_are_cached_per_loader_class() -> None:
    class Shouting(ArticleLoader):
        headline_in = MapCompose(str.upper)

    for _ in range(2):  # the second round comes from the cache
        plain, shouting = ArticleLoader(), Shouting()
        plain.add_value("headline", "  Un   titre ")
        shouting.add_value("headline", "Un titre")
        assert plain.load_item().headline == "Un titre"
        assert shouting.load_item().headline == "UN TITRE"


@pytest.mark.parametrize(
    "change",
    [
        {},
        {"url": "ftp://x"},
        {"headline": ""},
        {"image": "not a url"},
        {"date_published": "hier"},
        {"read_also": [{"title": "t", "url": "javascript:x"}]},
        {"quotes": [{"text": "", "attribution": None}]},
        {"language": "francais", "revision": 0, "extra": 1},
    ],
)
def test_the_inlined_schema_judges_like_the_published_one(change: dict[str, object]) -> None:
    from itemadapter import ItemAdapter
    from jsonschema import Draft202012Validator

    from newscrawler.schema import article_schema, is_valid, validation_errors

    line = {**ItemAdapter(article()).asdict(), **change}
    published = Draft202012Validator(article_schema())
    expected = sorted(
        f"{'/'.join(str(p) for p in e.absolute_path) or '<root>'}: {e.message}"
        for e in published.iter_errors(line)
    )
    assert sorted(validation_errors(line)) == expected
    assert is_valid(line) is (not expected)


_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 3),
    st.text(max_size=12),
    st.sampled_from(["https://a.example/x", "2024-05-01T10:00:00+00:00", "de", "javascript:x"]),
    st.lists(st.text(max_size=5), max_size=2),
    st.lists(
        st.fixed_dictionaries({"title": st.text(max_size=4), "url": st.text(max_size=8)}),
        max_size=1,
    ),
)


_KEYS = [*sorted(Article.__dataclass_fields__), "extra"]


@given(st.dictionaries(st.sampled_from(_KEYS), _VALUES, max_size=4))
@settings(max_examples=200, deadline=None)
def test_the_compiled_check_agrees_with_jsonschema(change: dict[str, object]) -> None:
    """The fast check of every crawled article accepts exactly what jsonschema accepts."""
    from itemadapter import ItemAdapter

    from newscrawler.schema import is_valid, validation_errors

    line = {**ItemAdapter(article()).asdict(), **change}
    assert is_valid(line) is (not validation_errors(line))
