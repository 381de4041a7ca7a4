"""The `article` spider: extract exactly the pages given, no discovery.

    scrapy crawl article -a urls="https://ex.com/a https://ex.com/b" -O out.jsonl
    scrapy crawl article -a file=urls.txt -O out.jsonl    (one URL a line, # comments)

Each page is emitted once (URL variants folded on their canonical form), whatever it looks like:
the caller chose it. A profile applies when `-a site=NAME` is given or a URL's domain matches one.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any, Self

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from scrapy.settings import BaseSettings

from newscrawler.extensions.context import KIND_META
from newscrawler.items import Article
from newscrawler.loaders import load_article
from newscrawler.profiles.loader import for_site, host_of, load_profile, profile_for_url
from newscrawler.profiles.model import Profile
from newscrawler.seen import SeenKeys
from newscrawler.spiders.common import apply_contact_user_agent, settle_identity
from newscrawler.urls import canonical_form, clean_url

logger = logging.getLogger(__name__)


def read_urls(text: str) -> list[str]:
    """URLs separated by whitespace or commas; blank and `#` comment lines ignored.

    >>> read_urls("https://a.ex/1, https://a.ex/2\\n# note\\nhttps://a.ex/3")
    ['https://a.ex/1', 'https://a.ex/2', 'https://a.ex/3']
    """
    lines = (
        line.split("#", 1)[0] if line.lstrip().startswith("#") else line
        for line in text.splitlines()
    )
    return [u for line in lines for u in re.split(r"[\s,]+", line) if u]


class ArticleSpider(Spider):
    """Fetch and extract the given article URLs."""

    name = "article"

    def __init__(
        self,
        urls: str | None = None,
        file: str | None = None,
        site: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        found = read_urls(urls or "")
        if file:
            try:
                found += read_urls(Path(file).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as exc:
                raise ValueError(f"cannot read the URL file {file}: {exc}") from exc
        bad = [u for u in found if not u.startswith(("http://", "https://"))]
        if bad:
            raise ValueError(f"not http(s) URLs: {', '.join(bad[:5])}")
        if not found:
            raise ValueError("the article spider needs -a urls='URL ...' or -a file=PATH")
        self.urls = list(dict.fromkeys(clean_url(u) for u in found))
        self.site_profile: Profile | None = load_profile(site) if site else None
        self.profile = self.site_profile
        if self.site_profile is not None and not self.site_profile.generic:
            self.site_name = self.site_profile.name
        else:  # what the run report names: the host, or each host when there are several
            self.site_name = ", ".join(dict.fromkeys(host_of(u) or u for u in self.urls))
        self.done = SeenKeys()

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        apply_contact_user_agent(settings)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        return spider

    async def start(self) -> AsyncIterator[Any]:
        for url in self.urls:
            yield Request(url, self.parse, meta={KIND_META: "article"})

    def _profile_for(self, url: str) -> Profile | None:
        if self.site_profile is not None:
            return for_site(self.site_profile, url)
        return profile_for_url(url)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Article]:
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("newscrawler/not_emitted/not_html")  # type: ignore[union-attr]
            logger.warning("Not an HTML page, skipped: %s", response.url)
            return
        item = load_article(
            response, profile=self._profile_for(response.url), stats=self.crawler.stats
        )
        settle_identity(item, response)
        key = canonical_form(item.canonical_url or response.url)
        if key in self.done:
            self.crawler.stats.inc_value("newscrawler/not_emitted/duplicate")  # type: ignore[union-attr]
            return
        self.done.add(key)
        yield item
