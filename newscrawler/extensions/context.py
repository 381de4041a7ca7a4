"""What a run is about, as the extensions see it: its site, its output file, its request kinds."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.settings import BaseSettings

from newscrawler.feeds import part_path

# Request meta keys that spiders set so state and report know what a request is for.
# The sitemap <lastmod> / feed <updated> of the listed article (ISO 8601 or RFC 822 text):
# a known article is fetched again only when this is newer than what the state remembers.
LASTMOD_META = "newscrawler_lastmod"
# What the request fetches: "article", "listing", "sitemap", "feed", "robots"...
KIND_META = "newscrawler_kind"
# Set by the state middleware on a request it counted in newscrawler/sources/new_listed: the
# spider takes the count back if the page turns out not to be an article (a quiet run of a site
# whose sitemap lists an "about" page must not look like "new articles listed, none delivered").
NEW_LISTED_META = "newscrawler_new_listed"


def resolve_site(settings: BaseSettings, spider: Any) -> str:
    """The site a run belongs to: setting NEWSCRAWLER_SITE, else the spider's site or URL host."""
    site = settings.get("NEWSCRAWLER_SITE")
    if site:
        return str(site)
    for attribute in ("site_name", "site"):
        value = getattr(spider, attribute, None)
        if isinstance(value, str) and value:
            return value
    profile_name = getattr(getattr(spider, "profile", None), "name", None)
    if isinstance(profile_name, str) and profile_name:
        return profile_name
    for attribute in ("url", "base_url"):
        url = getattr(spider, attribute, None)
        if isinstance(url, str) and urlsplit(url).hostname:
            return str(urlsplit(url).hostname).removeprefix("www.")
    return str(getattr(spider, "name", "unknown"))


def feed_output(settings: BaseSettings) -> Path | None:
    """The local file of the run's (first) feed, or None when the run writes no local feed."""
    for uri in settings.getdict("FEEDS"):
        text = str(uri)
        scheme = urlsplit(text).scheme
        if scheme == "file":
            return Path(urlsplit(text).path)
        if scheme == "" or len(scheme) == 1:  # a plain path (or a Windows drive letter)
            return Path(text)
    return None


def is_finalized(output: Path) -> bool:
    """A feed file is finalized when it exists and its `.part` is gone (see newscrawler.feeds)."""
    return output.exists() and not part_path(output).exists()


# Set by spiders on requests that only guess where a sitemap or feed might be: a 404 is expected.
PROBE_META = "probe"


def request_kind(meta: dict[str, Any], url: str) -> str:
    """The kind a spider gave a request, else robots for robots.txt, else "other"."""
    kind = meta.get(KIND_META)
    if isinstance(kind, str) and kind:
        return kind
    return "robots" if urlsplit(url).path == "/robots.txt" else "other"
