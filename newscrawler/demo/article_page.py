"""The single-post page of the demo portal: Penci/Soledad markup plus optional Yoast metadata.

Posts with `metadata = true` carry what Yoast SEO writes (meta description, OpenGraph, article:*,
a JSON-LD `@graph` holding a NewsArticle); the others carry none, so the crawler's on-page path is
exercised too. The canonical link and shortlink are on every post, as WordPress core writes them.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from newscrawler.demo.data import Post, Site
from newscrawler.demo.pages import esc, expand_links, french_date, layout, post_fields, template


def related_posts(site: Site, post: Post, count: int = 3) -> list[Post]:
    """Posts of the same category closest in date: the "Vous aimerez aussi" box."""
    same = [p for p in site.posts if p.category == post.category and p != post]
    return sorted(same, key=lambda p: (abs(p.published - post.published), p.slug))[:count]


def navigation(site: Site, post: Post, base: str) -> str:
    """Previous (older) and next (newer) post links under the article."""
    index = site.posts.index(post)
    parts = []
    if index + 1 < len(site.posts):
        older = site.posts[index + 1]
        parts.append(
            f'<div class="prev-post"><div class="prev-post-inner"><div class="prev-post-title">'
            f'<span>Article précédent</span></div><a href="{base}{older.path}"><div '
            f'class="pagi-text"><h5 class="prev-title">{esc(older.title)}</h5></div></a>'
            "</div></div>"
        )
    if index > 0:
        newer = site.posts[index - 1]
        parts.append(
            f'<div class="next-post"><div class="next-post-inner"><div class="prev-post-title '
            f'next-post-title"><span>Article suivant</span></div><a href="{base}{newer.path}"><div '
            f'class="pagi-text"><h5 class="next-title">{esc(newer.title)}</h5></div></a>'
            "</div></div>"
        )
    return "\n".join(parts)


def comments(site: Site, post: Post, url: str) -> str:
    """The post's reader comments, each with a WordPress ?replytocom= reply link."""
    return "\n".join(
        template("comment").substitute(
            comment_id=str(c.comment_id),
            comment_author=esc(c.comment.author),
            comment_date=f"{french_date(c.date)} à {c.date.hour} h {c.date.minute:02d} min",
            comment_text=esc(c.comment.text),
            url=url,
            post_id=str(post.post_id),
        )
        for c in site.comments_of(post)
    )


def json_ld(site: Site, post: Post, base: str, image: str) -> str:
    """The Yoast SEO JSON-LD graph, with the NewsArticle node among the others."""
    url = base + post.path
    modified = (post.modified or post.published).isoformat()
    person = f"{base}/#/schema/person/{post.author.slug}"
    graph = [
        {"@type": "Organization", "@id": f"{base}/#organization", "name": site.name,
         "url": f"{base}/", "logo": {"@type": "ImageObject", "@id": f"{base}/#logo",
         "url": f"{base}/wp-content/uploads/2021/03/logo-echo.png", "caption": site.name}},
        {"@type": "WebSite", "@id": f"{base}/#website", "url": f"{base}/", "name": site.name,
         "description": site.tagline, "publisher": {"@id": f"{base}/#organization"},
         "inLanguage": "fr-FR"},
        {"@type": "ImageObject", "@id": f"{url}#primaryimage", "inLanguage": "fr-FR",
         "url": image, "contentUrl": image, "width": 1170, "height": 658},
        {"@type": "WebPage", "@id": f"{url}#webpage", "url": url,
         "name": f"{post.title} - {site.name}", "isPartOf": {"@id": f"{base}/#website"},
         "primaryImageOfPage": {"@id": f"{url}#primaryimage"},
         "datePublished": post.published.isoformat(), "dateModified": modified,
         "breadcrumb": {"@id": f"{url}#breadcrumb"}, "inLanguage": "fr-FR"},
        {"@type": "BreadcrumbList", "@id": f"{url}#breadcrumb", "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "Accueil", "item": f"{base}/"},
            {"@type": "ListItem", "position": 2, "name": post.title}]},
        {"@type": "NewsArticle", "@id": f"{url}#article", "isPartOf": {"@id": f"{url}#webpage"},
         "author": {"@id": person}, "headline": post.title,
         "datePublished": post.published.isoformat(), "dateModified": modified,
         "mainEntityOfPage": {"@id": f"{url}#webpage"}, "commentCount": 2,
         "publisher": {"@id": f"{base}/#organization"}, "image": {"@id": f"{url}#primaryimage"},
         "thumbnailUrl": image, "keywords": [t.name for t in post.tags],
         "articleSection": [post.category.name], "inLanguage": "fr-FR"},
        {"@type": "Person", "@id": person, "name": post.author.name,
         "url": f"{base}/author/{post.author.slug}/"},
    ]  # fmt: skip
    data = json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False)
    return data.replace("</", "<\\/")


def head_metadata(site: Site, post: Post, base: str, image: str) -> str:
    """Meta description, OpenGraph, article:* and JSON-LD, as Yoast SEO writes them."""
    modified = (post.modified or post.published).isoformat()
    metas = [
        f'<meta name="description" content="{esc(post.excerpt)}">',
        '<meta property="og:locale" content="fr_FR">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{esc(post.title)} - {esc(site.name)}">',
        f'<meta property="og:description" content="{esc(post.excerpt)}">',
        f'<meta property="og:url" content="{base}{post.path}">',
        f'<meta property="og:site_name" content="{esc(site.name)}">',
        '<meta property="article:publisher" content="https://www.facebook.com/lechodesnouvelles">',
        f'<meta property="article:published_time" content="{post.published.isoformat()}">',
        f'<meta property="article:modified_time" content="{modified}">',
        f'<meta property="article:section" content="{esc(post.category.name)}">',
        *(f'<meta property="article:tag" content="{esc(t.name)}">' for t in post.tags),
        f'<meta property="og:image" content="{image}">',
        '<meta property="og:image:width" content="1170">',
        '<meta property="og:image:height" content="658">',
        '<meta name="twitter:card" content="summary_large_image">',
        '<meta name="twitter:label1" content="Écrit par">',
        f'<meta name="twitter:data1" content="{esc(post.author.name)}">',
        '<script type="application/ld+json" class="yoast-schema-graph">'
        + json_ld(site, post, base, image)
        + "</script>",
    ]
    return "\n".join(metas) + "\n"


def article_page(site: Site, post: Post, base: str) -> str:
    """The full HTML of one post (a str; the portal encodes it with the post's encoding)."""
    fields = post_fields(post, base)
    url = fields["url"]
    head = f'<link rel="canonical" href="{url}">\n'
    head += f'<link rel="shortlink" href="{base}/?p={post.post_id}">\n'
    if post.metadata:
        head = head_metadata(site, post, base, fields["image_url"]) + head
    tags = "\n".join(
        f'<a href="{base}/tag/{t.slug}/" rel="tag">{esc(t.name)}</a>' for t in post.tags
    )
    related = "\n".join(
        template("related_item").substitute(post_fields(p, base)) for p in related_posts(site, post)
    )
    main = template("article").substitute(
        fields,
        body=expand_links(post.body, site, base),
        tags=tags,
        url_quoted=quote(url, safe=""),
        title_quoted=quote(post.title, safe=""),
        image_title=esc(post.slug.replace("-", " ").capitalize()),
        view_count=str(post.post_id % 97 + 12),
        author_bio=esc(post.author.bio),
        post_navigation=navigation(site, post, base),
        related=related,
        comments=comments(site, post, url),
    )
    return layout(
        site,
        base,
        title=f"{post.title} - {site.name}",
        main=main,
        head_extra=head,
        body_class=f"post-template-default single single-post postid-{post.post_id} "
        "single-format-standard",
        charset=post.encoding == "utf-8",
        container_class="container-single",
    )
