"""Spiders: `news` (discover and crawl a whole portal) and `article` (exactly the URLs given).

Spiders find and follow links only; the page-to-article work is `newscrawler.loaders.load_article`.
"""
