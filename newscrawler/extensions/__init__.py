"""Scrapy extensions of newscrawler: run report and quality gate (`runreport`)."""
