"""Discovery: where article URLs come from (sitemaps, feeds, listings) and which URLs are articles.

Pure functions over bytes/text/URLs; the spiders do the fetching.
"""
