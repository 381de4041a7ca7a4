"""HTML pages of the demo portal, rendered from the small templates in `content/templates/`.

The markup copies the WordPress Penci/Soledad theme, chrome included (navigation, ticker, sidebar,
share buttons, author box, related posts, comments), because telling the article apart from that
chrome is exactly what the crawler must get right. All links are absolute, as WordPress writes them.
"""

from __future__ import annotations

import html
import zlib
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from string import Template

from newscrawler.demo.data import CONTENT, PLACEHOLDER, Post, Site

MONTHS_FR = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
PER_PAGE = 5  # posts per listing page: small, so every category needs /page/N/


@cache
def template(name: str) -> Template:
    """A template file from content/templates (cached)."""
    return Template(CONTENT.joinpath("templates", f"{name}.html").read_text(encoding="utf-8"))


def french_date(moment: datetime) -> str:
    """The date as the French WordPress locale prints it ("j F Y").

    >>> french_date(datetime(2021, 11, 2))
    '2 novembre 2021'
    """
    return f"{moment.day} {MONTHS_FR[moment.month - 1]} {moment.year}"


def esc(text: str) -> str:
    """Escape text for HTML content and attribute values."""
    return html.escape(text, quote=True)


def post_fields(post: Post, base: str) -> dict[str, str]:
    """The template values every post rendering shares (list item, related item, article)."""
    return {
        "base": base,
        "post_id": str(post.post_id),
        "url": base + post.path,
        "title": esc(post.title),
        "image_url": f"{base}/wp-content/uploads/{post.published:%Y/%m}/{post.image}",
        "category_id": str(zlib.crc32(post.category.slug.encode()) % 97),
        "category_slug": post.category.slug,
        "category_name": esc(post.category.name),
        "author_slug": post.author.slug,
        "author_name": esc(post.author.name),
        "published_iso": post.published.isoformat(),
        "published_fr": french_date(post.published),
        "excerpt": esc(post.excerpt),
    }


def expand_links(body: str, site: Site, base: str) -> str:
    """Replace {{link:slug}}, {{url:slug}} (the target post) and {{base}} (the site root)."""

    def link(match: object) -> str:
        kind, slug = match.group(1), match.group(2)  # type: ignore[attr-defined]
        target = site.post(slug)
        url = base + target.path
        return url if kind == "url" else f'<a href="{url}">{esc(target.title)}</a>'

    return PLACEHOLDER.sub(link, body).replace("{{base}}", base)


def sidebar(site: Site, base: str) -> str:
    """Search, recent posts, categories with counts, tag cloud, newsletter."""
    recent = "\n".join(
        f'<li class="penci-feed"><div class="side-item"><div class="side-item-text">'
        f'<h4 class="side-title-post"><a href="{base}{p.path}" rel="bookmark" '
        f'title="{esc(p.title)}">{esc(p.title)}</a></h4><span class="side-item-meta">'
        f'<time class="entry-date published" datetime="{p.published.isoformat()}">'
        f"{french_date(p.published)}</time></span></div></div></li>"
        for p in site.posts[:5]
    )
    counts = {slug: sum(p.category.slug == slug for p in site.posts) for slug in site.categories}
    categories = "\n".join(
        f'<li class="cat-item"><a href="{base}/category/{slug}/">{esc(term.name)}</a> '
        f"({counts[slug]})</li>"
        for slug, term in site.categories.items()
    )
    tag_cloud = "\n".join(
        f'<a href="{base}/tag/{slug}/" class="tag-cloud-link tag-link-{i + 40}" '
        f'aria-label="{esc(term.name)}">{esc(term.name)}</a>'
        for i, (slug, term) in enumerate(site.tags.items())
    )
    return template("sidebar").substitute(
        base=base, recent=recent, categories=categories, tag_cloud=tag_cloud
    )


def layout(
    site: Site,
    base: str,
    *,
    title: str,
    main: str,
    body_class: str,
    head_extra: str = "",
    charset: bool = True,
    container_class: str = "container-archive",
) -> str:
    """The whole page around `main`: head, top bar, navigation, sidebar, footer."""
    menu = "\n".join(
        f'<li class="menu-item menu-item-type-taxonomy menu-item-object-category">'
        f'<a href="{base}/category/{slug}/">{esc(term.name)}</a></li>'
        for slug, term in site.categories.items()
    )
    trending = "\n".join(
        f'<div><a class="penci-topbar-post" href="{base}{p.path}" title="{esc(p.title)}">'
        f"{esc(p.title)}</a></div>"
        for p in site.posts[:3]
    )
    return template("layout").substitute(
        base=base,
        title=esc(title),
        site_name=esc(site.name),
        charset_meta='<meta charset="UTF-8">\n' if charset else "",
        head_extra=head_extra,
        body_class=body_class,
        menu=menu,
        trending=trending,
        main=main,
        sidebar=sidebar(site, base),
        container_class=container_class,
    )


def static_page(site: Site, base: str, slug: str) -> str | None:
    """A WordPress page (about, legal notice...), or None when there is no such page."""
    page = site.pages.get(slug)
    if page is None:
        return None
    main = template("page").substitute(
        page_id=str(zlib.crc32(slug.encode()) % 900 + 10), title=esc(page.title), body=page.body
    )
    head = f'<link rel="canonical" href="{base}/{slug}/">\n'
    return layout(
        site, base, title=f"{page.title} - {site.name}", main=main, head_extra=head,
        body_class=f"page-template-default page page-{slug}", container_class="container-single",
    )  # fmt: skip


def list_items(posts: Sequence[Post], base: str) -> str:
    """The post cards of a listing page."""
    return "\n".join(template("list_item").substitute(post_fields(p, base)) for p in posts)


def page_numbers(current: int, total: int) -> list[int | None]:
    """WordPress paginate_links numbering (end_size=1, mid_size=1); None stands for dots.

    >>> page_numbers(4, 7)
    [1, None, 3, 4, 5, None, 7]
    """
    shown = sorted({1, total, current - 1, current, current + 1} & set(range(1, total + 1)))
    numbers: list[int | None] = []
    for n in shown:
        if numbers and n - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(n)
    return numbers


def listing_url(base: str, root: str, n: int) -> str:
    """Page n of a listing rooted at `root` ("/" or "/category/x/"): page 1 has no /page/1/."""
    return f"{base}{root}" if n == 1 else f"{base}{root}page/{n}/"


def pagination(base: str, root: str, current: int, total: int) -> str:
    """The numbered pagination list with prev/next arrows."""
    items = []
    if current > 1:
        href = listing_url(base, root, current - 1)
        items.append(f'<li><a class="prev page-numbers" href="{href}">&laquo; Précédent</a></li>')
    for n in page_numbers(current, total):
        if n is None:
            items.append('<li><span class="page-numbers dots">&hellip;</span></li>')
        elif n == current:
            current_span = f'<span aria-current="page" class="page-numbers current">{n}</span>'
            items.append(f"<li>{current_span}</li>")
        else:
            href = listing_url(base, root, n)
            items.append(f'<li><a class="page-numbers" href="{href}">{n}</a></li>')
    if current < total:
        href = listing_url(base, root, current + 1)
        items.append(f'<li><a class="next page-numbers" href="{href}">Suivant &raquo;</a></li>')
    return "\n".join(items)


def listing_page(
    site: Site,
    base: str,
    *,
    root: str,
    posts: Sequence[Post],
    page: int,
    heading: str | None,
    kind: str,
) -> str | None:
    """One page of a post listing (home, category, tag, author); None when past the end."""
    total = max(1, -(-len(posts) // PER_PAGE))
    if not 1 <= page <= total:
        return None
    shown = posts[(page - 1) * PER_PAGE : page * PER_PAGE]
    head = [f'<link rel="canonical" href="{listing_url(base, root, page)}">']
    if page > 1:
        head.append(f'<link rel="prev" href="{listing_url(base, root, page - 1)}">')
    if page < total:
        head.append(f'<link rel="next" href="{listing_url(base, root, page + 1)}">')
    if heading is None:
        header = '<div class="penci-border-arrow penci-homepage-title"><h3 class="inner-arrow">'
        header += "Derniers articles</h3></div>"
        title = site.name + (f" - Page {page} sur {total}" if page > 1 else f" - {site.tagline}")
    else:
        header = f'<div class="archive-box"><div class="title-bar"><span>{kind} : </span>'
        header += f"<h1>{esc(heading)}</h1></div></div>"
        suffix = f" - Page {page} sur {total}" if page > 1 else ""
        title = f"{heading} Archives{suffix} - {site.name}"
    main = template("listing").substitute(
        archive_header=header,
        items=list_items(shown, base),
        pagination=pagination(base, root, page, total) if total > 1 else "",
    )
    return layout(
        site,
        base,
        title=title,
        main=main,
        head_extra="\n".join(head) + "\n",
        body_class="archive paged" if heading else "home blog",
    )
