"""Pure extraction: HTML + URL (+ optional site profile) in, one article out. No Scrapy."""

from newscrawler.extraction.article import extract_article
from newscrawler.extraction.page import extract_page
from newscrawler.extraction.pagekind import PageVerdict, judge_page

__all__ = ["PageVerdict", "extract_article", "extract_page", "judge_page"]
