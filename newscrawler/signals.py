"""newscrawler's own Scrapy signals (sent with crawler.signals)."""

# Sent after a feed file has been finalized: its `.part` was flushed, fsynced and renamed to the
# final path. Arguments: path (pathlib.Path), spider. Only then is its content delivered.
feed_finalized = object()

# Sent when a page fetched as an article candidate is judged no article (not a listing either).
# Arguments: urls (list[str]: the URLs it was requested and redirected under), lastmod (str or
# None: the lastmod its sitemap or feed listed it with), spider. The state remembers it.
page_not_article = object()
