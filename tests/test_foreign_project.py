"""A Scrapy project that is not newscrawler (tests/foreign_project) crawls a real local server,
once with `ADDONS = {"newscrawler.Addon": 0}` and once without (issue 17).

Its spider is naive: it yields plain dicts with the text as the page gives it (texturized and
entity-encoded WordPress shortcodes, "A (re) lire :" lines, entities). With the add-on the JSONL
is clean field by field, the feed appears only when complete, a redirect to a loopback address is
refused and the stats count the cleaning; without it the output is the spider's, untouched.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import read_jsonl
from tests.hostile_server import page, redirect, serve_hostile

PROJECT = Path(__file__).resolve().parent / "foreign_project"

POST = "/2026/11/28/sommet-numerique/"
ABOUT = "/page/a-propos/"
HOME = f"""<html><body>
<a href="{POST}">Sommet</a> <a href="{ABOUT}">À propos</a> <a href="/ancien-lien/">Archive</a>
</body></html>"""


# What a theme that lost its plugins prints: the editor's text, entities encoded once too often.
def html(*lines: str) -> str:
    """A page; each line of the article text is one <p> (a paragraph never wraps inside)."""
    return "<html lang='fr'><body>" + "\n".join(lines) + "</body></html>"


# What a theme that lost its plugins prints: the editor's text, entities encoded once too often.
POST_HTML = html(
    "<h1>Sommet du num&eacute;rique&nbsp;: l&amp;rsquo;Asie &amp;amp; l&amp;rsquo;Europe</h1>",
    "<p class='chapo'>Le chapeau&#8203; de l&amp;rsquo;article.</p>",
    "<div class='entry-content'>",
    "<p>Premier paragraphe&nbsp;: les dirigeants se sont r&eacute;unis &agrave; Wuzhen.</p>",
    "<p>[penci_blockquote style=&#8221;style-2&#8243; author=&#8221;Xi Jinping&#8221;]"
    "La Chine est pr&ecirc;te &agrave; coop&eacute;rer.</p>",
    "<p>Avec tous les pays.[/penci_blockquote]</p>",
    "<p>A (re) lire : Le sommet de l&amp;rsquo;an dernier</p>",
    "<p>[caption id=&#8221;attachment_12&#8221; align=&#8221;alignnone&#8221;]Photo AFP[/caption]"
    "Second paragraphe, apr&egrave;s la photo.</p>",
    "<p>[su_quote cite=&amp;raquo;Un d&eacute;l&eacute;gu&eacute;&amp;raquo;]"
    "Rien n&amp;rsquo;est fait.[/su_quote]</p>",
    "</div>",
)
ABOUT_HTML = html(
    "<h1>&Agrave; propos</h1><div class='entry-content'>",
    "<p>[vc_row][vc_column]Notre r&eacute;daction[/vc_column][/vc_row]</p>",
    "<p>[pullquote]Informer d&amp;rsquo;abord.[/pullquote]</p>",
    "<p>A lire aussi : Notre charte</p>",
    "</div>",
)

CLEAN_POST = {
    "headline": "Sommet du numérique : l’Asie & l’Europe",
    "description": "Le chapeau de l’article.",
    "body": "Premier paragraphe : les dirigeants se sont réunis à Wuzhen.\n"
    "Second paragraphe, après la photo.",
    "quotes": [
        {
            "text": "La Chine est prête à coopérer.\nAvec tous les pays.",
            "attribution": "Xi Jinping",
        },
        {"text": "Rien n’est fait.", "attribution": "Un délégué"},
    ],
    "read_also": [{"title": "Le sommet de l’an dernier", "url": None}],
}
# A page item has no quotes/read_also fields: what would move is cleaned in place.
CLEAN_ABOUT = {
    "headline": "À propos",
    "body": "Notre rédaction\nInformer d’abord.\nA lire aussi : Notre charte",
}


@dataclass
class Run:
    returncode: int
    log: str
    output: Path
    items: dict[str, dict[str, Any]]  # by URL path

    def stat(self, key: str) -> int | None:
        match = re.search(rf"'{re.escape(key)}': (\d+)", self.log)
        return int(match.group(1)) if match else None


def crawl(tmp_path: Path, *, addon: bool) -> Run:
    routes = {
        "/": page(HOME),
        POST: page(POST_HTML),
        ABOUT: page(ABOUT_HTML),
        # a redirect into the machine's loopback range (127.0.0.2: not the allowed 127.0.0.1)
        "/ancien-lien/": redirect("http://127.0.0.2:{port}/admin/"),
    }
    output = tmp_path / ("with-addon.jsonl" if addon else "without.jsonl")
    env = {**os.environ, "SCRAPY_PROJECT": "addon" if addon else "default"}
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    with serve_hostile(routes) as server:
        done = subprocess.run(
            [
                sys.executable, "-m", "scrapy", "crawl", "wp", "-a", f"url={server.url}/",
                "-O", str(output), "-s", "NEWSCRAWLER_ALLOW_PRIVATE_ADDRESSES=127.0.0.1",
                "-s", "RETRY_ENABLED=0",
            ],
            cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    items = {}
    if output.exists():
        items = {item["url"].split(":", 2)[2].split("/", 1)[1]: item for item in read_jsonl(output)}
        items = {"/" + path: item for path, item in items.items()}
    return Run(done.returncode, done.stdout + done.stderr, output, items)


def feed_files_seen(run: Run) -> list[tuple[str, str]]:
    """(final path exists, .part exists) as the spider saw them after each item (the first item
    may be seen before the feed exporter opened its file)."""
    return re.findall(r"During the crawl: final=(\w+) part=(\w+)", run.log)


@pytest.fixture(scope="module")
def with_addon(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return crawl(tmp_path_factory.mktemp("foreign"), addon=True)


@pytest.fixture(scope="module")
def without_addon(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return crawl(tmp_path_factory.mktemp("foreign"), addon=False)


def test_the_addon_is_enabled_only_where_asked(with_addon: Run, without_addon: Run) -> None:
    assert with_addon.returncode == 0, with_addon.log[-3000:]
    assert without_addon.returncode == 0, without_addon.log[-3000:]
    assert re.search(r"Enabled addons:\n\[<newscrawler\.addon\.Addon", with_addon.log)
    assert re.search(r"Enabled addons:\n\[\]", without_addon.log)


@pytest.mark.parametrize("name", sorted(CLEAN_POST))
def test_post_fields_are_clean_with_the_addon(with_addon: Run, name: str) -> None:
    assert with_addon.items[POST][name] == CLEAN_POST[name]


@pytest.mark.parametrize("name", sorted(CLEAN_ABOUT))
def test_page_fields_are_cleaned_in_place_with_the_addon(with_addon: Run, name: str) -> None:
    assert with_addon.items[ABOUT][name] == CLEAN_ABOUT[name]
    assert set(with_addon.items[ABOUT]) == {"url", *CLEAN_ABOUT}


def test_the_feed_is_finalized_atomically_with_the_addon(with_addon: Run) -> None:
    seen = feed_files_seen(with_addon)  # once an item is exported, only the .part exists
    assert ("False", "True") in seen and all(final == "False" for final, _ in seen)
    assert f"Feed finalized: {with_addon.output}" in with_addon.log
    assert not with_addon.output.with_name(with_addon.output.name + ".part").exists()
    assert len(with_addon.items) == 2


def test_a_loopback_redirect_is_refused_with_the_addon(with_addon: Run) -> None:
    assert re.search(
        r"SSRF guard refused <GET http://127\.0\.0\.2:\d+/admin/>: address 127\.0\.0\.2 is "
        r"loopback",
        with_addon.log,
    )
    assert with_addon.stat("newscrawler/ssrf/refused/loopback") == 1


def test_the_stats_hold_the_cleaning_counters(with_addon: Run) -> None:
    report = json.loads(with_addon.output.with_name("with-addon.stats.json").read_text("utf-8"))
    stats = report["scrapy_stats"]
    assert stats["newscrawler/cleaning/items"] == 2
    assert stats["newscrawler/cleaning/items_changed"] == 2
    assert stats["newscrawler/cleaning/quotes"] == 2
    assert stats["newscrawler/cleaning/read_also"] == 1
    assert stats["newscrawler/cleaning/shortcodes/quote"] == 2
    assert stats["newscrawler/cleaning/shortcodes/caption"] == 1
    assert stats["newscrawler/cleaning/entities"] >= 4
    assert with_addon.stat("newscrawler/cleaning/items") == 2
    assert "leftover" not in " ".join(stats), "leftovers are counted for newscrawler Articles only"


def test_without_the_addon_the_output_is_the_spiders_untouched(without_addon: Run) -> None:
    post, about = without_addon.items[POST], without_addon.items[ABOUT]
    assert post["headline"] == "Sommet du numérique\u00a0: l&rsquo;Asie &amp; l&rsquo;Europe"
    assert post["description"] == "Le chapeau\u200b de l&rsquo;article."
    assert post["body"].startswith("Premier paragraphe\u00a0: les dirigeants")
    assert "[penci_blockquote style=”style-2″ author=”Xi Jinping”]" in post["body"]
    assert "[su_quote cite=&raquo;Un délégué&raquo;]" in post["body"]
    assert "A (re) lire : Le sommet de l&rsquo;an dernier" in post["body"]
    assert post["quotes"] == [] and post["read_also"] == []
    assert about["body"].startswith("[vc_row][vc_column]Notre rédaction")
    assert "newscrawler/" not in without_addon.log.split("Dumping Scrapy stats", 1)[1]
    seen = feed_files_seen(without_addon)  # Scrapy's storage writes the final path at once
    assert ("True", "False") in seen and all(part == "False" for _, part in seen)
    assert not without_addon.output.with_name("without.stats.json").exists()
