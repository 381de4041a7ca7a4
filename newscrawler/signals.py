"""newscrawler's own Scrapy signals (sent with crawler.signals)."""

# Sent after a feed file has been finalized: its `.part` was flushed, fsynced and renamed to the
# final path. Arguments: path (pathlib.Path), spider. Only then is its content delivered.
feed_finalized = object()
