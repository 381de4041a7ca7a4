"""What both spiders do to an article before emitting it: a stable canonical URL and id."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from importlib.metadata import version

from scrapy.http import Response
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings

from newscrawler.extraction.article import article_id
from newscrawler.items import Article
from newscrawler.profiles.loader import for_site, load_profile, profile_for_url
from newscrawler.profiles.model import Profile
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


def resolve_profile(site: str | None, url: str | None) -> Profile | None:
    """The profile to crawl with: named (-a site=), else matched by the URL's domain, else none."""
    if site:
        profile = load_profile(site)
        return for_site(profile, url) if url else profile
    return profile_for_url(url) if url else None


def recency_bonus(date: datetime | None, now: datetime | None = None) -> int:
    """Request priority bonus for recent articles, so `max_articles` keeps the newest.

    >>> from datetime import UTC, datetime, timedelta
    >>> now = datetime(2024, 5, 10, tzinfo=UTC)
    >>> [recency_bonus(now - timedelta(days=d), now) for d in (0.5, 3, 20, 90)], recency_bonus(None)
    ([3, 2, 1, 0], 0)
    """
    if date is None:
        return 0
    age = (now or datetime.now(UTC)) - date
    return next(
        (bonus for bonus, days in ((3, 1), (2, 7), (1, 31)) if age < timedelta(days=days)), 0
    )


def start_url(profile: Profile | None, url: str | None) -> str:
    """Where the crawl starts: `url`, else the profile's first absolute start URL (ValueError)."""
    start = url or next((u for u in (profile.start_urls if profile else ()) if "://" in u), None)
    if not start:
        name = profile.name if profile else None
        raise ValueError(f"profile {name!r} has no absolute start URL: give a URL (-a url=, --url)")
    return start if start.startswith(("http://", "https://")) else f"https://{start}"
