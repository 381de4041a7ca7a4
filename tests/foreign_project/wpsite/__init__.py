"""A tiny Scrapy project that knows nothing of newscrawler (tests/test_foreign_project.py)."""
