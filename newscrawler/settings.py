"""Scrapy settings of newscrawler: only what differs from Scrapy's defaults, grouped by concern.

Every engineer's block is marked; settings are documented in the README.
"""

from newscrawler import __version__

BOT_NAME = "newscrawler"
SPIDER_MODULES = ["newscrawler.spiders"]
NEWSPIDER_MODULE = "newscrawler.spiders"
# `scrapy crawl` checks spider arguments first: a bad -a is one line, not a traceback (issue 15)
COMMANDS_MODULE = "newscrawler.commands"

# --- the newscrawler add-on (issue 17) ---------------------------------------------------------
# What any Scrapy project gets from `ADDONS = {"newscrawler.Addon": 0}` (newscrawler/addon.py):
# cleaning pipeline, schema + duplicate checks, atomic `.part` feeds, SSRF guard, retry policy,
# content guards, run report + quality gate. Each part has an off switch (docs/scrapy-addon.md).
# The blocks below are newscrawler's own spider defaults; they extend the dicts the add-on fills.
ADDONS = {"newscrawler.Addon": 0}
ITEM_PIPELINES: dict[str, int | None] = {}
EXTENSIONS: dict[str, int | None] = {}
DOWNLOADER_MIDDLEWARES: dict[str, int | None] = {}

# --- output (foundation) --------------------------------------------------------------------
FEED_STORE_EMPTY = True

# --- politeness (issue 5 refines) -------------------------------------------------------------
ROBOTSTXT_OBEY = True
NEWSCRAWLER_CONTACT_URL = "https://github.com/newscrawler/newscrawler"
USER_AGENT = f"newscrawler/{__version__} (+{NEWSCRAWLER_CONTACT_URL})"
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 8
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_TARGET_CONCURRENCY = 4.0

# --- logging ----------------------------------------------------------------------------------
LOG_LEVEL = "INFO"
# Scrapy's telnet console logs its password into every log and an unattended crawler has no use
# for it: off (`-s TELNETCONSOLE_ENABLED=1` for debugging a live run).
TELNETCONSOLE_ENABLED = False
# Same for Scrapy's remote-control HTTP server (it runs Python code sent to it; token in a file).
REMOTE_CONTROL_ENABLED = False

# --- hostile input and faults (issue 8) --------------------------------------------------------
# SSRF guard, retry policy, content guards, size caps: parts of the add-on (newscrawler/addon.py).
EXTENSIONS["newscrawler.extensions.logtrim.LogTrim"] = 1  # network failures: one line, no traceback

# --- scheduled runs: incremental state, run report, quality gate (issue 6) ----------------------
# State is on for `newscrawler crawl` (the cron entry point) and off for plain `scrapy crawl`.
NEWSCRAWLER_STATE_ENABLED = False
NEWSCRAWLER_STATE_DIR = ".newscrawler/state"  # one sqlite file + lock file per site
NEWSCRAWLER_FULL = False  # True: ignore the state for one run (re-fetch, re-emit everything)
# A listed page judged no article is not fetched again for this many days, unless its listing
# shows a newer lastmod (0: fetch every listed page on every run).
NEWSCRAWLER_RECHECK_NOT_ARTICLES_DAYS = 7
# Run report + quality gate: a part of the add-on (NEWSCRAWLER_REPORT_ENABLED, NEWSCRAWLER_QUALITY).
ITEM_PIPELINES["newscrawler.state.pipeline.IncrementalPipeline"] = 850
EXTENSIONS["newscrawler.state.delivery.StateExtension"] = 100
SPIDER_MIDDLEWARES = {  # extends any SPIDER_MIDDLEWARES set above
    **globals().get("SPIDER_MIDDLEWARES", {}),
    "newscrawler.state.middleware.KnownArticleMiddleware": 950,
    "newscrawler.state.templates.TemplateMemory": 940,  # learned URL templates (issue 13)
}

# --- discovery and politeness (issue 5) --------------------------------------------------------
# USER_AGENT is built from NEWSCRAWLER_CONTACT_URL by the spiders unless USER_AGENT is set with -s.
AUTOTHROTTLE_MAX_DELAY = 30.0
NEWSCRAWLER_MAX_LISTING_PAGES = 500  # listing pages (home, sections, pagination) parsed per run
NEWSCRAWLER_MAX_PAGINATION = 20  # pages followed along one pagination chain
NEWSCRAWLER_MAX_LINK_DEPTH = 3  # link hops from the home page (home -> section -> article = 2)
NEWSCRAWLER_PROBE_COMMON_PATHS = True  # try /sitemap.xml, /feed/, /rss, /feed.xml when none known
# Scrapy starts CONCURRENT_ITEMS asyncio workers for every response's output (default 100); a page
# yields one article or a few requests, so 8 halves crawl CPU time (make bench-crawl).
CONCURRENT_ITEMS = 8
# The request queue is kept on disk (Scrapy's disk queues, in a private temporary directory when
# JOBDIR is unset), so memory stays flat however many articles the sitemaps list at once.
SCHEDULER = "newscrawler.scheduler.SpillingScheduler"
DUPEFILTER_CLASS = "newscrawler.seen.CompactDupeFilter"  # 64-bit digests of Scrapy's fingerprints
NEWSCRAWLER_QUEUE_ON_DISK = True  # False: Scrapy's memory queue
NEWSCRAWLER_QUEUE_DIR = ""  # where the temporary queue directory goes ("" = system temp dir)
NEWSCRAWLER_SITEMAPS_IN_FLIGHT = 2  # sitemaps fetched and parsed at once (the rest wait in order)
# Development: `-s HTTPCACHE_ENABLED=1` replays pages from .scrapy/httpcache (never for cron).
HTTPCACHE_ENABLED = False
HTTPCACHE_DIR = "httpcache"
HTTPCACHE_IGNORE_HTTP_CODES = [301, 302, 303, 307, 308, 429, 500, 502, 503, 504]
DOWNLOADER_MIDDLEWARES["newscrawler.spiders.middlewares.CrossDomainRedirectMiddleware"] = 650
# Live progress line / periodic log lines; off unless NEWSCRAWLER_PROGRESS is "tty" or "log"
# (`newscrawler crawl` sets it).
NEWSCRAWLER_PROGRESS = ""
EXTENSIONS["newscrawler.extensions.progress.Progress"] = 500

# --- scale-out on a shared Redis frontier (issue 7) ---------------------------------------------
# Off unless a Redis URL is given: this setting, the REDIS_URL environment variable, or
# `newscrawler crawl --redis URL`. Then scrapy-redis's scheduler and dupefilter, and the Redis
# state store, are switched on by newscrawler.distributed (see README "Scale-out").
REDIS_URL: str | None = None
NEWSCRAWLER_REDIS_LEASE_SECONDS = 30.0  # a dead worker's run and claims are released after this

# --- web archive and replay (issue 16, docs/archive.md) ------------------------------------------
# NEWSCRAWLER_ARCHIVE: 1 (next to the feed: <feed dir>/archive/<feed stem>.warc.gz) or a path;
# every response is written as WARC 1.1 and each article gets `archive: {file, offset}`.
# NEWSCRAWLER_REPLAY: WARC path(s), comma-separated: the crawl is served from them, offline.
NEWSCRAWLER_ARCHIVE = ""
NEWSCRAWLER_REPLAY = ""
DOWNLOADER_MIDDLEWARES["newscrawler.archive.middleware.ArchiveMiddleware"] = 960
DOWNLOADER_MIDDLEWARES["newscrawler.archive.middleware.ReplayMiddleware"] = 945
SPIDER_MIDDLEWARES["newscrawler.archive.middleware.ArchivePointerMiddleware"] = 960
