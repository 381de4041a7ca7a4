"""Site profiles: built-ins load, bad files fail naming the file and the key, domain matching."""

from __future__ import annotations

from pathlib import Path

import pytest

from newscrawler.profiles.loader import (
    ProfileError,
    builtin_profiles,
    for_site,
    load_profile,
    load_profile_file,
    profile_for_url,
)

GOOD = """
name = "example"
domains = ["www.example.com", "m.example.com"]
start_urls = ["https://www.example.com/"]
sitemaps = ["/news-sitemap.xml"]
feeds = ["/feed/"]
language = "fr"

[urls]
article = ['^/\\d{4}/\\d{2}/[a-z0-9-]+/$']
listing = ['^/rubrique/']

[selectors]
headline = ["h1.title", "xpath://h1"]
body = [".article-body"]

[read_also]
fr = ["Lire aussi"]

[shortcodes]
"vc_*" = "wrapper"

[quality]
body = 0.9
max_error_rate = 0.1
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_builtin_profiles_load() -> None:
    names = [p.name for p in builtin_profiles()]
    assert {"demo", "wordpress"} <= set(names)
    assert load_profile("wordpress").generic
    assert load_profile("demo").language == "fr"


def test_a_full_profile_file(tmp_path: Path) -> None:
    profile = load_profile_file(write(tmp_path, GOOD))
    assert profile.name == "example"
    assert profile.domains == ("example.com", "m.example.com")
    assert profile.sitemaps == ("/news-sitemap.xml",)
    assert profile.article_url_patterns[0].search("/2024/05/story-slug/")
    assert profile.selectors["headline"] == ("h1.title", "xpath://h1")
    assert profile.read_also_phrases["fr"] == ("Lire aussi",)
    assert profile.shortcodes == {"vc_*": "wrapper"}
    assert profile.quality == {"body": 0.9, "max_error_rate": 0.1}


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ('selector = ["h1"]', "selector"),  # unknown top-level key (typo of "selectors")
        ("[urls]\narticles = ['x']", "urls.articles"),
        ("[selectors]\nheadlines = ['h1']", "selectors.headlines"),
        ("[selectors]\nheadline = ['h1[']", "selectors.headline[0]"),
        ("[selectors]\nheadline = ['h1', 'xpath://h1[']", "selectors.headline[1]"),
        ("[urls]\narticle = ['^/(unclosed']", "urls.article[0]"),
        ("[shortcodes]\nvc_row = 'explode'", "shortcodes.vc_row"),
        ("[quality]\nbody = 'high'", "quality.body"),
        ('domains = ["https://ex.com/"]', "domains[0]"),
        ('domains = "ex.com"\nfeeds = [1]', "feeds"),
        ('language = "french!"', "language"),
    ],
)
def test_bad_profiles_name_the_file_and_the_key(tmp_path: Path, change: str, key: str) -> None:
    path = write(tmp_path, f'name = "bad"\n{change}\n')
    with pytest.raises(ProfileError) as error:
        load_profile_file(path)
    assert str(path) in str(error.value)
    assert repr(key) in str(error.value)


def test_missing_name_and_broken_toml(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="'name'"):
        load_profile_file(write(tmp_path, 'domains = ["ex.com"]\n'))
    with pytest.raises(ProfileError, match="not valid TOML"):
        load_profile_file(write(tmp_path, "name = \n"))


def test_unknown_profile_name_lists_the_known_ones() -> None:
    with pytest.raises(ProfileError, match="demo, wordpress"):
        load_profile("no-such-portal")


def test_profile_by_path(tmp_path: Path) -> None:
    assert load_profile(str(write(tmp_path, GOOD))).name == "example"


def test_domain_matching_for_url_crawls() -> None:
    assert profile_for_url("https://unknown.example/") is None
    demo = profile_for_url("https://www.demo.newscrawler.invalid/2024/01/01/x/")
    assert demo is not None and demo.name == "demo"


def test_generic_profile_takes_the_site_host() -> None:
    site = for_site(load_profile("wordpress"), "https://www.portal.example/")
    assert (site.name, site.domains) == ("portal.example", ("portal.example",))
    assert site.selectors == load_profile("wordpress").selectors
    demo = load_profile("demo")
    assert for_site(demo, "http://127.0.0.1:8000/") is demo
