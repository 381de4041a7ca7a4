"""CleaningPipeline (issue 17): extraction's cleaner on any item type, field by field; quotes and
read-also lines move out of the body only when the item has somewhere to put them; idempotent;
counters in the stats; newscrawler Articles counted as leftovers. And the article pipelines leave
items that are not Articles alone unless NEWSCRAWLER_VALIDATE_SCHEMA."""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass, field
from typing import Any

import attrs
import pytest
import scrapy
from hypothesis import given, settings
from hypothesis import strategies as st
from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from newscrawler.extraction.itemtext import TextCleaner, decode_entities
from newscrawler.items import Article
from newscrawler.pipelines import (
    CleaningPipeline,
    DuplicateArticlePipeline,
    SchemaValidationPipeline,
    field_paths,
)

QUOTE = (
    "[penci_blockquote style=&raquo;style-2&#8243; author= »Xi Jinping »]"
    "Nous travaillerons avec d’autres pays.[/penci_blockquote]"
)
RAW = {
    "url": "https://portail.example/2026/11/28/un-article/",
    "headline": "Un&nbsp;titre &amp;amp; [vc_row]des mots[/vc_row]\u200b",
    "description": "Le chapeau\u00ad  de l&rsquo;article.\n\n[su_button]S'abonner[/su_button]",
    "body": (
        "Premier paragraphe, avec une esp&egrave;ce d&rsquo;entit&eacute;.\n"
        f"{QUOTE}\n"
        "A (re) lire : La suite de l’affaire\n"
        "[caption id=“attachment_1”]Photo AFP[/caption]Dernier   paragraphe."
    ),
    "quotes": [],
    "read_also": [],
}
CLEAN = {
    "url": RAW["url"],
    "headline": "Un titre & des mots",
    "description": "Le chapeau de l’article.",
    "body": "Premier paragraphe, avec une espèce d’entité.\nDernier paragraphe.",
    "quotes": [{"text": "Nous travaillerons avec d’autres pays.", "attribution": "Xi Jinping"}],
    "read_also": [{"title": "La suite de l’affaire", "url": None}],
}


def stats() -> MemoryStatsCollector:
    return MemoryStatsCollector(get_crawler())


@dataclass
class DataclassItem:
    url: str = ""
    headline: str | None = None
    description: str | None = None
    body: str = ""
    quotes: list[dict[str, Any]] = field(default_factory=list)
    read_also: list[dict[str, Any]] = field(default_factory=list)


@attrs.define
class AttrsItem:
    url: str = ""
    headline: str | None = None
    description: str | None = None
    body: str = ""
    quotes: list[dict[str, Any]] = attrs.field(factory=list)
    read_also: list[dict[str, Any]] = attrs.field(factory=list)


class ScrapyItem(scrapy.Item):
    url = scrapy.Field()
    headline = scrapy.Field()
    description = scrapy.Field()
    body = scrapy.Field()
    quotes = scrapy.Field()
    read_also = scrapy.Field()


ITEM_TYPES = [dict, DataclassItem, AttrsItem, ScrapyItem]


@pytest.mark.parametrize("kind", ITEM_TYPES, ids=lambda k: k.__name__)
def test_every_item_type_is_cleaned_field_by_field(kind: type) -> None:
    counters = stats()
    item = kind(**copy.deepcopy(RAW))
    assert CleaningPipeline(counters).process_item(item) is item
    cleaned = ItemAdapter(item).asdict()
    for name, expected in CLEAN.items():
        assert cleaned[name] == expected, name
    assert counters.get_value("newscrawler/cleaning/items") == 1
    assert counters.get_value("newscrawler/cleaning/items_changed") == 1
    assert counters.get_value("newscrawler/cleaning/shortcodes/quote") == 1
    assert counters.get_value("newscrawler/cleaning/shortcodes/caption") == 1
    assert counters.get_value("newscrawler/cleaning/shortcodes/drop") == 1
    assert counters.get_value("newscrawler/cleaning/quotes") == 1
    assert counters.get_value("newscrawler/cleaning/read_also") == 1
    assert counters.get_value("newscrawler/cleaning/entities") == 3
    assert counters.get_value("newscrawler/cleaning/invisible") == 2


def test_without_quotes_and_read_also_fields_the_body_is_cleaned_in_place() -> None:
    item = {"body": RAW["body"], "headline": "Titre"}
    CleaningPipeline(stats()).process_item(item)
    assert item == {
        "headline": "Titre",
        "body": "Premier paragraphe, avec une espèce d’entité.\n"
        "Nous travaillerons avec d’autres pays.\n"
        "A (re) lire : La suite de l’affaire\n"
        "Dernier paragraphe.",
    }


def test_a_scrapy_item_field_declared_but_unset_receives_what_moves() -> None:
    item = ScrapyItem(body=QUOTE + "\nLe texte.")
    CleaningPipeline(stats()).process_item(item)
    assert dict(item) == {
        "body": "Le texte.",
        "quotes": [{"text": "Nous travaillerons avec d’autres pays.", "attribution": "Xi Jinping"}],
    }


def test_the_fields_are_configurable() -> None:
    crawler = get_crawler(
        settings_dict={"NEWSCRAWLER_CLEAN_FIELDS": "titre,corps,photos[].legende"}
    )
    pipeline = CleaningPipeline.from_crawler(crawler)
    item = {
        "titre": "A&amp;B",
        "headline": "A&amp;B",
        "corps": ["[vc_row]un[/vc_row]", "[gallery ids=1]"],
        "photos": [{"legende": "x&nbsp;y"}, {"legende": "[embed]u[/embed]"}, "brut"],
    }
    pipeline.process_item(item)
    assert item == {
        "titre": "A&B",
        "headline": "A&amp;B",
        "corps": ["un"],
        "photos": [{"legende": "x y"}, {"legende": None}, "brut"],  # only the caption went
    }


def test_bad_field_paths_fail_loudly() -> None:
    with pytest.raises(ValueError, match="bad field path 'quotes\\[\\]'"):
        field_paths(["quotes[]"])


def test_texts_emptied_by_cleaning_become_none_and_empty_quotes_go() -> None:
    item = {
        "headline": "[gallery ids=1,2]",
        "body": "[embed]x[/embed]",
        "quotes": [
            {"text": "[vc_empty_space]", "attribution": "A"},
            {"text": "Oui", "attribution": "[x_y]"},
        ],
    }
    CleaningPipeline(stats()).process_item(item)
    assert item == {"headline": None, "body": "", "quotes": [{"text": "Oui", "attribution": None}]}


def test_a_clean_item_is_left_alone_and_not_counted_as_changed() -> None:
    counters = stats()
    item = copy.deepcopy(CLEAN)
    CleaningPipeline(counters).process_item(item)
    assert item == CLEAN
    assert counters.get_value("newscrawler/cleaning/items") == 1
    assert counters.get_value("newscrawler/cleaning/items_changed") is None


def test_entities_are_decoded_until_none_is_left() -> None:
    assert decode_entities("&amp;amp;laquo;") == "«"
    assert decode_entities("AT&T &copy") == "AT&T ©"


def test_an_escaped_shortcode_settles_in_one_call() -> None:
    cleaner = TextCleaner()
    once = cleaner.clean("a [[gallery]] b").text
    assert cleaner.clean(once).text == once


TEXTS = st.lists(
    st.one_of(
        st.text(max_size=20),
        st.sampled_from(
            [
                "[", "]", "[/", "&", "&amp;", "&amp;amp;", ";", "\n", " ", "\u00a0", "\u200b",
                "\u00ad", "»", "″", "“", "”", "[vc_row]", "[/vc_row]", "[[gallery]]", "[gallery]",
                "[su_quote author=“A”]", "[/su_quote]", "[penci_blockquote author= »B »]",
                "[/penci_blockquote]", "A (re) lire : ", "Lire aussi :", "[x_y a=1 /]", "e\u0301",
                "&#91;", "&#93;", "&raquo;", "\r\n",
            ]
        ),
    ),
    max_size=14,
).map("".join)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(headline=TEXTS, body=TEXTS, quote=TEXTS, with_lists=st.booleans())
def test_cleaning_is_idempotent(headline: str, body: str, quote: str, with_lists: bool) -> None:
    item: dict[str, Any] = {"headline": headline, "body": body}
    if with_lists:
        item["quotes"] = [{"text": quote, "attribution": headline}]
        item["read_also"] = [{"title": quote, "url": None}]
    pipeline = CleaningPipeline(stats())
    pipeline.process_item(item)
    once = copy.deepcopy(item)
    counters = stats()
    CleaningPipeline(counters).process_item(item)
    assert item == once
    assert counters.get_value("newscrawler/cleaning/items_changed") is None


def article(**values: Any) -> Article:
    base = {"id": "a1", "url": RAW["url"], "headline": "Titre", "body": "Un texte."}
    return Article(**{**base, **values})


def test_articles_are_guarded_leftovers_counted_and_logged_once_per_kind(
    caplog: pytest.LogCaptureFixture,
) -> None:
    counters = stats()
    pipeline = CleaningPipeline(counters)
    with caplog.at_level(logging.WARNING, logger="newscrawler.pipelines"):
        first = pipeline.process_item(article(body="Un [vc_row]texte[/vc_row]."))
        pipeline.process_item(article(body="Deux [vc_row]textes[/vc_row]."))
        pipeline.process_item(article())
    assert first.body == "Un texte."
    assert counters.get_value("newscrawler/cleaning/leftover/shortcodes/wrapper") == 2
    assert counters.get_value("newscrawler/cleaning/leftover_items") == 2
    assert counters.get_value("newscrawler/cleaning/items") == 3
    assert counters.get_value("newscrawler/cleaning/items_changed") is None
    logged = [r.getMessage() for r in caplog.records if "leftover" in r.getMessage()]
    assert len(logged) == 1 and "(shortcodes/wrapper)" in logged[0] and RAW["url"] in logged[0]


def test_article_pipelines_pass_other_items_unless_asked() -> None:
    counters = stats()
    item = {"id": "x", "language": "francais"}
    assert SchemaValidationPipeline(counters).process_item(item) is item
    duplicates = DuplicateArticlePipeline(counters)
    assert duplicates.process_item(item) is duplicates.process_item(item) is item
    assert counters.get_stats() == {}
    with pytest.raises(DropItem):
        SchemaValidationPipeline(counters, validate_all=True).process_item(item)
    strict = DuplicateArticlePipeline(counters, validate_all=True)
    strict.process_item(item)
    with pytest.raises(DropItem):
        strict.process_item(item)


def test_the_validate_schema_setting_reaches_the_pipelines() -> None:
    crawler = get_crawler(settings_dict={"NEWSCRAWLER_VALIDATE_SCHEMA": "True"})
    assert SchemaValidationPipeline.from_crawler(crawler).validate_all
    assert DuplicateArticlePipeline.from_crawler(crawler).validate_all
