"""The demo portal's content, loaded from the TOML files in `content/`: site, people, posts.

Site knowledge is data: articles, authors, categories and tags live in `content/*.toml`, so adding
an article means adding a table, not code. Loading validates every cross-reference (author,
category, tag, in-body link) and fails naming the post, so a typo never yields a silent 404.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

CONTENT = files("newscrawler.demo").joinpath("content")
FIRST_POST_ID = 4100  # WordPress post ids: increasing with the publication date
# In-body placeholders: {{link:slug}} -> <a href=URL>Title</a>, {{url:slug}} -> URL.
PLACEHOLDER = re.compile(r"\{\{(link|url):([a-z0-9-]+)\}\}")


@dataclass(frozen=True)
class Term:
    """A category or a tag: the slug in URLs and the name shown on pages."""

    slug: str
    name: str


@dataclass(frozen=True)
class Author:
    """A byline: slug for /author/<slug>/, display name and the author-box biography."""

    slug: str
    name: str
    bio: str


@dataclass(frozen=True)
class Comment:
    """A reader comment from the shared pool; posts show two of them."""

    author: str
    text: str


@dataclass(frozen=True)
class StaticPage:
    """A WordPress "page" (about, legal notice...): linked from every page, never an article."""

    slug: str
    title: str
    body: str


@dataclass(frozen=True)
class PostComment:
    """One comment as shown under a post: its global id, the pooled comment and its date."""

    comment_id: int
    comment: Comment
    date: datetime


@dataclass(frozen=True)
class Post:
    """One article as the CMS stores it. `body` is an HTML fragment with link placeholders."""

    post_id: int
    slug: str
    title: str
    author: Author
    published: datetime
    modified: datetime | None
    category: Term
    tags: tuple[Term, ...]
    excerpt: str
    body: str
    image: str
    metadata: bool  # JSON-LD + OpenGraph in the head (Yoast on) or none at all
    encoding: str  # "utf-8", or "windows-1252" served without any charset declaration

    @property
    def path(self) -> str:
        """The WordPress permalink path: /yyyy/mm/dd/slug/."""
        return f"/{self.published:%Y/%m/%d}/{self.slug}/"


@dataclass(frozen=True)
class Site:
    """Everything the portal serves, newest post first."""

    name: str
    tagline: str
    authors: dict[str, Author]
    categories: dict[str, Term]
    tags: dict[str, Term]
    comments: tuple[Comment, ...]
    pages: dict[str, StaticPage]
    posts: tuple[Post, ...]

    def post(self, slug: str) -> Post:
        """The post with this slug; KeyError names it when missing."""
        for post in self.posts:
            if post.slug == slug:
                return post
        raise KeyError(f"no demo post with slug {slug!r}")

    def comments_of(self, post: Post) -> list[PostComment]:
        """The two comments under a post: picked from the pool by post id, dated after it."""
        first = (post.post_id // 3) % len(self.comments)
        picks = (first, (first + 3) % len(self.comments))
        return [
            PostComment(
                post.post_id * 10 + n + 1,
                self.comments[pick],
                post.published + timedelta(hours=5 + 19 * n, minutes=12 + 7 * n),
            )
            for n, pick in enumerate(picks)
        ]


def _terms(table: dict[str, str]) -> dict[str, Term]:
    return {slug: Term(slug, name) for slug, name in table.items()}


def _lookup(mapping: dict[str, Any], key: str, what: str, slug: str) -> Any:
    try:
        return mapping[key]
    except KeyError:
        raise ValueError(f"demo post {slug!r}: unknown {what} {key!r}") from None


def _post(raw: dict[str, Any], post_id: int, site: dict[str, Any]) -> Post:
    slug = raw["slug"]
    return Post(
        post_id=post_id,
        slug=slug,
        title=raw["title"],
        author=_lookup(site["authors"], raw["author"], "author", slug),
        published=raw["published"],
        modified=raw.get("modified"),
        category=_lookup(site["categories"], raw["category"], "category", slug),
        tags=tuple(_lookup(site["tags"], tag, "tag", slug) for tag in raw["tags"]),
        excerpt=raw["excerpt"],
        body=raw["body"].strip(),
        image=raw["image"],
        metadata=raw.get("metadata", False),
        encoding=raw.get("encoding", "utf-8"),
    )


def _check(posts: list[Post]) -> None:
    slugs = {post.slug for post in posts}
    for post in posts:
        if post.published.utcoffset() is None:
            raise ValueError(f"demo post {post.slug!r}: published date needs an offset")
        for _, target in PLACEHOLDER.findall(post.body):
            if target not in slugs:
                raise ValueError(f"demo post {post.slug!r}: link to unknown post {target!r}")
    if len(slugs) != len(posts):
        raise ValueError("demo posts: duplicate slugs")


@cache
def load_site(root: Traversable = CONTENT) -> Site:
    """Read and validate `root`/site.toml and every `root`/articles/*.toml (cached per root)."""
    meta = tomllib.loads(root.joinpath("site.toml").read_text(encoding="utf-8"))
    authors = {slug: Author(slug, a["name"], a["bio"]) for slug, a in meta["authors"].items()}
    categories, tags = _terms(meta["categories"]), _terms(meta["tags"])
    refs: dict[str, Any] = {"authors": authors, "categories": categories, "tags": tags}
    raw_posts: list[dict[str, Any]] = []
    for entry in sorted(root.joinpath("articles").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            raw_posts += tomllib.loads(entry.read_text(encoding="utf-8"))["article"]
    try:
        raw_posts.sort(key=lambda raw: (raw["published"], raw["slug"]))
        posts = [_post(raw, FIRST_POST_ID + 3 * i, refs) for i, raw in enumerate(raw_posts)]
    except KeyError as missing:
        raise ValueError(f"demo content in {root}: an article lacks field {missing}") from None
    _check(posts)
    if not meta.get("comments"):
        raise ValueError(f"demo content in {root}: site.toml needs at least one [[comments]]")
    return Site(
        name=meta["name"],
        tagline=meta["tagline"],
        authors=authors,
        categories=categories,
        tags=tags,
        comments=tuple(Comment(c["author"], c["text"]) for c in meta["comments"]),
        pages={
            slug: StaticPage(slug, page["title"], page["body"].strip())
            for slug, page in meta.get("pages", {}).items()
        },
        posts=tuple(reversed(posts)),
    )
