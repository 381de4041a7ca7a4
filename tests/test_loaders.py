"""ArticleLoader / load_article: extraction output mapped into the Article item."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.http import HtmlResponse

from newscrawler.items import Article
from newscrawler.loaders import load_article, unique
from newscrawler.schema import validation_errors

PAGE = """<html lang="fr"><head><title>T</title></head><body>
<article><h1>Un titre</h1><div class="entry-content"><p>Premier paragraphe assez long.</p>
<p>Second paragraphe.</p></div></article></body></html>"""


def _response(body: str, url: str = "https://portail.example/2021/11/22/un-titre/") -> HtmlResponse:
    return HtmlResponse(url=url, body=body.encode("utf-8"), encoding="utf-8")


def test_load_article_returns_a_valid_article_item() -> None:
    item = load_article(_response(PAGE))
    assert isinstance(item, Article)
    data = ItemAdapter(item).asdict()
    assert validation_errors(data) == []
    assert data["headline"] == "Un titre"
    assert data["url"] == "https://portail.example/2021/11/22/un-titre/"


def test_hints_fill_only_empty_fields() -> None:
    hints = {"headline": "From sitemap", "tags": ["Chine", "Internet"], "language": "de"}
    item = load_article(_response(PAGE), hints=hints)
    assert item.headline == "Un titre", "the page wins over hints"
    assert item.language == "fr"
    assert item.tags == ["Chine", "Internet"], "hints fill what the page leaves empty"


def test_unique_keeps_first_occurrence_case_insensitively() -> None:
    assert unique(["Ana Lopez", "ana lopez", "Bo"]) == ["Ana Lopez", "Bo"]


def test_a_description_keeps_one_line_per_paragraph_in_the_crawl_path_too() -> None:
    lead = (
        '<div class="article-lead"><p>Premier paragraphe du chapeau, assez long.</p>'
        "<p>Second   paragraphe&nbsp;du chapeau.</p></div>"
    )
    item = load_article(_response(PAGE.replace("<h1>Un titre</h1>", f"<h1>Un titre</h1>{lead}")))
    assert item.description == (
        "Premier paragraphe du chapeau, assez long.\nSecond paragraphe du chapeau."
    )
