"""Web archives of crawls: WARC writing, streaming reading, offline re-extraction and replay.

`records` and `reader` are plain warcio code (no Scrapy); `middleware` plugs the archive into a
crawl (write, or replay); `reextract` runs today's extraction on archived responses offline.
See docs/archive.md.
"""
