"""Pure extraction: HTML + URL (+ optional site profile) in, one article out. No Scrapy."""

from newscrawler.extraction.article import extract_article

__all__ = ["extract_article"]
