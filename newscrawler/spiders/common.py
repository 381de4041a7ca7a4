"""What both spiders do to an article before emitting it: a stable canonical URL and id."""

from __future__ import annotations

from importlib.metadata import version

from scrapy.http import Response
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings

from newscrawler.extraction.article import article_id
from newscrawler.items import Article
from newscrawler.urls import amp_to_canonical, clean_url, is_amp_url


def settle_identity(item: Article, response: Response) -> Article:
    """canonical_url = the page's canonical link (else its URL, AMP mapped), tracking removed.

    Why here: the id is a hash of canonical_url, so every URL variant that reaches the same
    article (utm-tagged, AMP, redirect alias) must give the same canonical_url.
    """
    # extraction read <link rel=canonical> (else og:url) already; the URL is the last resort
    canonical = item.canonical_url or response.url
    canonical = clean_url(canonical)
    if is_amp_url(canonical):
        canonical = amp_to_canonical(canonical)
    item.canonical_url = canonical
    item.id = article_id(canonical)
    return item


def parse_arg_int(name: str, value: object) -> int | None:
    """A positive integer spider argument (-a name=N), None when absent."""
    if value in (None, ""):
        return None
    try:
        number = int(str(value))
    except ValueError:
        raise ValueError(f"{name} must be a positive integer, got {value!r}") from None
    if number <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return number


def apply_contact_user_agent(settings: BaseSettings) -> None:
    """USER_AGENT = `newscrawler/VERSION (+NEWSCRAWLER_CONTACT_URL)`, unless set explicitly.

    Why: operators set only their contact URL (`-s NEWSCRAWLER_CONTACT_URL=...`) and the
    identifying user agent follows; an explicit `-s USER_AGENT=...` still wins.
    """
    if (settings.getpriority("USER_AGENT") or 0) > SETTINGS_PRIORITIES["project"]:
        return
    contact = settings.get("NEWSCRAWLER_CONTACT_URL")
    if contact:
        agent = f"newscrawler/{version('newscrawler')} (+{contact})"
        settings.set("USER_AGENT", agent, priority="spider")
