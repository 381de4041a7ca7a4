"""Scrapy settings of newscrawler: only what differs from Scrapy's defaults, grouped by concern.

Every engineer's block is marked; settings are documented in the README.
"""

BOT_NAME = "newscrawler"
SPIDER_MODULES = ["newscrawler.spiders"]
NEWSPIDER_MODULE = "newscrawler.spiders"

# --- output (foundation) --------------------------------------------------------------------
# Local feeds are written to `<path>.part` and renamed when complete (see newscrawler/feeds.py).
FEED_STORAGES = {
    "": "newscrawler.feeds.AtomicFileFeedStorage",
    "file": "newscrawler.feeds.AtomicFileFeedStorage",
}
FEED_EXPORT_ENCODING = "utf-8"  # JSON Lines with non-ASCII characters unescaped
FEED_STORE_EMPTY = True

ITEM_PIPELINES = {
    "newscrawler.pipelines.SchemaValidationPipeline": 800,
    "newscrawler.pipelines.DuplicateArticlePipeline": 900,
}

# --- politeness (issue 5 refines) -------------------------------------------------------------
ROBOTSTXT_OBEY = True
NEWSCRAWLER_CONTACT_URL = "https://github.com/newscrawler/newscrawler"
USER_AGENT = f"newscrawler/0.1 (+{NEWSCRAWLER_CONTACT_URL})"
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 8
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_TARGET_CONCURRENCY = 4.0

# --- logging ----------------------------------------------------------------------------------
LOG_LEVEL = "INFO"
