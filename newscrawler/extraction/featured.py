"""The featured image a reader sees on the page, for pages whose metadata names none.

Many pages show a lead picture without og:image or JSON-LD. Two markups say "this is the
article's picture" across CMSs: WordPress's post-thumbnail class `wp-post-image` (core adds it
to every featured image), and the first `<figure>` of the `<article>` element (HTML's own
"self-contained content" element) when it comes before the text: the lead picture. A figure
after the first paragraphs illustrates a passage (measured on wcxb-dev: in-text figures matched
the metadata's image half the time, lead figures and wp-post-image far more often). Teasers
are not the article's picture: an image that links to another page, an avatar, a logo or an
icon, and images drawn smaller than a thumbnail (width or height attribute under 100 px) are
skipped.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from newscrawler.extraction.selectors import elements

# WordPress core's class for a post's featured image (get_the_post_thumbnail).
_WP_FEATURED = etree.XPath(
    '//img[contains(concat(" ", normalize-space(@class), " "), " wp-post-image ")]'
)
# The article element (or schema.org's articleBody) and its first figure with a picture.
_ARTICLE = etree.XPath('(//article | //*[@itemprop="articleBody"])[1]')
_FIRST_FIGURE = etree.XPath(".//figure[.//img][1]")
_IMAGES = etree.XPath(".//img")
# A paragraph this long before the figure means the text has begun: the figure illustrates a
# passage, it is not the article's lead picture.
LEAD_TEXT_CHARS = 50
# Lazy-loading attributes of common themes and plugins, before the placeholder in src.
_SOURCE_ATTRIBUTES = ("data-src", "data-lazy-src", "data-original", "data-lazy", "src")
# Class words and URL words of pictures that are not the article's: people, brands, icons.
_NOT_FEATURED = re.compile(
    r"avatar|gravatar|logo|icon|emoji|sprite|spinner|placeholder|pixel", re.I
)
_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif)$", re.IGNORECASE)
MIN_SIZE = 100  # px: smaller pictures are thumbnails, icons or tracking pixels


def _source(img: HtmlElement) -> str | None:
    """The image's URL: a lazy-loading attribute, else src, else srcset's first candidate."""
    for name in _SOURCE_ATTRIBUTES:
        value = (img.get(name) or "").strip()
        if value and not value.startswith("data:"):
            return value
    srcset = (img.get("srcset") or img.get("data-srcset") or "").strip()
    first = srcset.split(",", 1)[0].split()
    return first[0] if first and not first[0].startswith("data:") else None


def _too_small(img: HtmlElement) -> bool:
    for name in ("width", "height"):
        value = (img.get(name) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) < MIN_SIZE:
            return True
    return False


def _is_teaser(img: HtmlElement) -> bool:
    """Inside a link to another page (not to the image file itself): another article's card."""
    for link in img.iterancestors("a"):
        href = urlsplit((link.get("href") or "").strip()).path
        if href and not _IMAGE_FILE.search(href):
            return True
    return False


def _usable(img: HtmlElement) -> str | None:
    source = _source(img)
    if source is None or _too_small(img) or _is_teaser(img):
        return None
    words = f"{img.get('class') or ''} {img.get('id') or ''} {source}"
    return None if _NOT_FEATURED.search(words) else source


def _lead_figure_images(tree: HtmlElement) -> list[HtmlElement]:
    """The images of the article's first figure, when it comes before the text begins."""
    for article in elements(_ARTICLE, tree):
        for figure in elements(_FIRST_FIGURE, article):
            for element in article.iter("p", figure.tag):
                if element is figure:
                    return elements(_IMAGES, figure)
                if len(element.text_content().strip()) >= LEAD_TEXT_CHARS:
                    return []
    return []


def visible_image(tree: HtmlElement) -> str | None:
    """The page's featured image URL as written in the page (made absolute by the caller).

    >>> from lxml.html import fromstring
    >>> visible_image(fromstring('<body><article><h1>T</h1><figure><img src="/a.jpg">'
    ...     '<figcaption>c</figcaption></figure></article></body>'))
    '/a.jpg'
    >>> visible_image(fromstring('<body><article><p>T</p></article><figure><img src="/x.jpg">'
    ...     '</figure></body>')) is None
    True
    """
    for img in (*elements(_WP_FEATURED, tree), *_lead_figure_images(tree)):
        source = _usable(img)
        if source:
            return source
    return None
