"""Cleaning counters passed out of extraction (issue 4's `Cleaned.stats`) and into crawl stats.

The article itself is unchanged by asking for them: they travel beside it, never in the schema.
"""

from __future__ import annotations

from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from newscrawler.extraction.article import extract_article
from newscrawler.loaders import load_article

URL = "https://portail.example/2026/11/28/greve/"
PAGE = """<html lang="fr"><head><title>T</title></head><body><article><h1>La grève continue</h1>
<div class="entry-content">
<p>[vc_row][vc_column]Le trafic était très perturbé jeudi dans les transports de la région.</p>
<p>[penci_blockquote style= »style-2″ author= »Un syndicaliste »]Nous irons jusqu’au bout.
[/penci_blockquote]</p>
<p>La direction prévoit un train sur trois sur les grandes lignes.[/vc_column][/vc_row]</p>
<blockquote><p>Le service minimum sera assuré.</p><cite>La direction</cite></blockquote>
<p>[caption id="x"]<img src="/a.jpg"> Une gare vide.[/caption]</p>
<p>Lire aussi : <a href="/2026/11/27/droits/?utm_source=x">Vos droits en cas de grève</a></p>
<p>Les négociations doivent reprendre lundi au ministère du travail.</p>
</div></article></body></html>"""
EXPECTED = {
    "shortcodes/wrapper": 2,  # vc_row and vc_column: one count per shortcode, not per tag
    "shortcodes/quote": 1,
    "shortcodes/caption": 1,
    "quotes": 2,
    "read_also": 1,
}


def test_extract_article_counts_what_cleaning_did_without_changing_the_article() -> None:
    stats: dict[str, int] = {"quotes": 1}  # counts add to what the dict already holds
    with_stats = extract_article(PAGE, URL, stats=stats)
    assert stats == {**EXPECTED, "quotes": 3}
    without = extract_article(PAGE, URL, now=None)
    assert {k: v for k, v in with_stats.items() if k != "crawled_at"} == {
        k: v for k, v in without.items() if k != "crawled_at"
    }
    assert [q["attribution"] for q in with_stats["quotes"]] == ["Un syndicaliste", "La direction"]
    assert with_stats["read_also"] == [
        {"title": "Vos droits en cas de grève", "url": "https://portail.example/2026/11/27/droits/"}
    ]


def test_a_page_with_nothing_to_clean_counts_nothing() -> None:
    stats: dict[str, int] = {}
    extract_article("<html><body><p>Rien.</p></body></html>", URL, stats=stats)
    assert stats == {}


def test_load_article_hands_the_counters_to_the_crawler_stats() -> None:
    crawler = get_crawler()
    response = HtmlResponse(url=URL, body=PAGE.encode("utf-8"), encoding="utf-8")
    load_article(response, stats=crawler.stats)
    load_article(response, stats=crawler.stats)
    counted = {
        k.removeprefix("newscrawler/cleaning/"): v
        for k, v in crawler.stats.get_stats().items()
        if k.startswith("newscrawler/cleaning/")
    }
    assert counted == {k: 2 * v for k, v in EXPECTED.items()}
