"""Settings of a plain Scrapy project: no newscrawler anywhere."""

BOT_NAME = "wpsite"
SPIDER_MODULES = ["wpsite.spiders"]
NEWSPIDER_MODULE = "wpsite.spiders"
ROBOTSTXT_OBEY = False
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
