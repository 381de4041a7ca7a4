"""A zoo portal: a small news site built from one `Choice` (see design.py), served in memory.

Every portal has a home page (nav, the latest stories, a language switch), two sections paginated
to their end, author, tag and search pages, an "about" page, and 14 articles with related links.
Only the markup vocabularies of real sites are used where a class is written at all: WordPress
(entry-title, byline, nav-links, page-numbers), Bootstrap (card, pagination, page-item), schema.org
JSON-LD and microformats (h-entry, p-author, dt-published). The crawler must not key on anything
else of the zoo.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape

from newscrawler.demo.server import Page
from tests.zoo.design import Choice

PER_PAGE = 3
SECTIONS = ("politics", "culture")
AUTHORS = ("Jane Doe", "Marc Dubois", "Anna Schmidt", "Lucía García")
SUBJECTS = (
    "council", "harbour", "museum", "library", "orchestra", "railway", "festival",
    "bridge", "school", "hospital", "market", "theatre", "stadium", "airport",
)  # fmt: skip

# Visible words per language, as sites print them (dates are written out by hand so the text
# is what a reader sees, not what a library would print).
MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
           "September", "Oktober", "November", "Dezember"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"),
}  # fmt: skip
WORDS = {
    "en": {"by": "By", "published": "Published:", "author": "Author:", "next": "Older posts",
           "more": "Load more", "related": "Related", "home": "Home", "about": "About us"},
    "fr": {"by": "Par", "published": "Publié le", "author": "Auteur :", "next": "Suivant",
           "more": "Charger plus", "related": "À lire aussi", "home": "Accueil",
           "about": "Qui sommes-nous"},
    "de": {"by": "Von", "published": "Veröffentlicht am", "author": "Autor:", "next": "Weiter",
           "more": "Mehr laden", "related": "Mehr zum Thema", "home": "Startseite",
           "about": "Impressum"},
    "es": {"by": "Por", "published": "Publicado el", "author": "Autor:", "next": "Siguiente",
           "more": "Cargar más", "related": "Relacionados", "home": "Inicio",
           "about": "Quiénes somos"},
}  # fmt: skip
TEXT = {
    "en": ("The {s} plan was discussed for hours on Tuesday evening, and residents who came to "
           "the hall asked how the work would be paid for and when it would start. ",
           "Officials said the first phase would take most of next year and that the budget "
           "had been approved after a long debate among members of every group. "),
    "fr": ("Le projet concernant le {s} a été débattu pendant des heures mardi soir, et les "
           "habitants venus à la salle ont demandé comment les travaux seraient financés. ",
           "Les élus ont indiqué que la première phase occuperait l'essentiel de l'année "
           "prochaine et que le budget avait été voté après un long débat. "),
    "de": ("Das Vorhaben rund um {s} wurde am Dienstagabend stundenlang beraten, und die "
           "Anwohner im Saal fragten, wie die Arbeiten bezahlt werden und wann sie beginnen. ",
           "Die Verwaltung erklärte, der erste Abschnitt werde den größten Teil des nächsten "
           "Jahres dauern und der Haushalt sei nach langer Debatte beschlossen worden. "),
    "es": ("El proyecto sobre {s} se debatió durante horas el martes por la tarde, y los "
           "vecinos que acudieron a la sala preguntaron cómo se pagarían las obras. ",
           "Los responsables explicaron que la primera fase ocuparía casi todo el año próximo "
           "y que el presupuesto se aprobó tras un largo debate entre los grupos. "),
}  # fmt: skip
HEADLINE = {
    "en": "{S} works approved after long debate in the {n}th session",
    "fr": "Les travaux du {s} approuvés après un long débat, séance {n}",
    "de": "Arbeiten am {S} nach langer Debatte beschlossen, Sitzung {n}",
    "es": "Aprobadas las obras del {s} tras un largo debate, sesión {n}",
}
EPOCH = datetime(2025, 11, 20, 9, 30, tzinfo=UTC)


DATE_FORMATS = {
    "en": "{month} {day:02d}, {year}",
    "fr": "{day} {month} {year}",
    "de": "{day}. {month} {year}",
    "es": "{day} de {month} de {year}",
}


def shown_date(day: datetime, language: str) -> str:
    """The date as the site prints it in its language."""
    month = MONTHS[language][day.month - 1]
    return DATE_FORMATS[language].format(month=month, day=day.day, year=day.year)


@dataclass(frozen=True)
class Story:
    """One zoo article."""

    n: int
    section: str
    headline: str
    author: str
    published: datetime
    path: str
    slug: str

    @property
    def date(self) -> str:
        return self.published.date().isoformat()


@dataclass
class ZooPortal:
    """The portal callable for `newscrawler.demo.server.serve`: (path, base) -> Page | None."""

    choice: Choice
    stories: list[Story] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        lang = self.choice.language
        for n in range(14):
            subject = SUBJECTS[n]
            headline = HEADLINE[lang].format(s=subject, S=subject.capitalize(), n=n + 3)
            slug = f"{subject}-works-approved-{n + 3}"
            section = SECTIONS[n % 2]
            published = EPOCH - timedelta(days=n, hours=n)
            story = Story(n, section, headline, AUTHORS[n % 4], published, "", slug)
            self.stories.append(Story(**{**story.__dict__, "path": self._article_path(story)}))

    # --- URLs -----------------------------------------------------------------------------
    def _slash(self, path: str) -> str:
        return path + "/" if self.choice.slash == "yes" else path

    def _article_path(self, s: Story) -> str:
        shape = self.choice.url
        if shape == "numeric":
            return self._slash(f"/article/{100 + s.n}")
        if shape == "slug":
            return self._slash(f"/news/{s.slug}")
        if shape == "date":
            return self._slash(f"/{s.published:%Y/%m}/{s.slug}")
        if shape == "query":
            return f"/?p={100 + s.n}"
        return f"/{s.section}/{s.slug}-{100 + s.n}.html"

    def section_path(self, section: str) -> str:
        style = self.choice.section
        if style == "wordpress":
            return self._slash(f"/category/{section}")
        if style == "bare":
            return self._slash(f"/{section}")
        return self._slash(f"/articles/{SECTIONS.index(section) + 1}")

    def page_path(self, section: str, page: int) -> str:
        """Page `page` (1-based) of a section, as the pagination style addresses it."""
        first = self.section_path(section)
        if page == 1:
            return first
        style = self.choice.pagination
        if style == "numbers":
            return f"{first}?page={page}"
        if style == "wordpress":
            return f"{first.rstrip('/')}/page/{page}/"
        if style == "rel_next":
            return f"{first}?pg={page}"
        if style == "words":
            return f"{first}?start={(page - 1) * PER_PAGE}"
        return f"{first}?offset={(page - 1) * PER_PAGE}"

    # --- serving --------------------------------------------------------------------------
    def __call__(self, path: str, base: str) -> Page | None:
        self.requests.append(path)
        routes = self.routes(base)
        page = routes.get(path)
        return page

    def listing_paths(self) -> list[str]:
        """Every page of every section: a crawl must go through each pagination to its end."""
        count = {s: sum(x.section == s for x in self.stories) for s in SECTIONS}
        return [
            self.page_path(section, page)
            for section in SECTIONS
            for page in range(1, -(-count[section] // PER_PAGE) + 1)
        ]

    def routes(self, base: str) -> dict[str, Page]:
        lang = self.choice.language
        routes: dict[str, Page] = {"/": self.home(base, lang)}
        for other in WORDS:  # the language switch: the home page in the other languages
            if other != lang:
                routes[f"/{other}/"] = self.home(base, other)
        for story in self.stories:
            routes[story.path] = self.article(story, base)
        for section in SECTIONS:
            stories = [s for s in self.stories if s.section == section]
            pages = -(-len(stories) // PER_PAGE)
            for page in range(1, pages + 1):
                chunk = stories[(page - 1) * PER_PAGE : page * PER_PAGE]
                routes[self.page_path(section, page)] = self.listing(section, page, pages, chunk)
        for i, author in enumerate(AUTHORS):
            mine = [s for s in self.stories if s.author == author]
            routes[f"/author/{i + 1}/"] = self.document(author, self.teasers(mine))
        routes["/tag/works/"] = self.document("works", self.teasers(self.stories[:5]))
        routes["/search?q=works"] = self.document("search", self.teasers(self.stories[:4]))
        about = f"<main><h1>{WORDS[lang]['about']}</h1><p>{TEXT[lang][1] * 4}</p></main>"
        routes["/about/"] = self.document(WORDS[lang]["about"], about)
        syndication = self.choice.syndication
        if syndication == "sitemap":
            routes["/robots.txt"] = Page(
                f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n".encode(),
                content_type="text/plain",
            )
            routes["/sitemap.xml"] = self.sitemap(base)
        elif syndication == "feed_link":
            routes["/syndication/latest.rss"] = self.feed(base)
        elif syndication == "feed_anchor":
            routes["/feeds/news.xml"] = self.feed(base)
        return routes

    # --- pages ----------------------------------------------------------------------------
    def nav(self, lang: str) -> str:
        words = WORDS[lang]
        other = {"en": "fr", "fr": "de", "de": "es", "es": "en"}[lang]
        sections = "".join(
            f'<li class="nav-item"><a class="nav-link" href="{self.section_path(s)}">'
            f"{s.capitalize()}</a></li>"
            for s in SECTIONS
        )
        feed = ""
        if self.choice.syndication == "feed_anchor":
            feed = '<li><a href="/feeds/news.xml" type="application/rss+xml">RSS</a></li>'
        return (
            f'<header><nav class="navbar"><ul class="navbar-nav"><li class="nav-item">'
            f'<a class="nav-link" href="/">{words["home"]}</a></li>{sections}'
            f'<li><a href="/author/1/">{AUTHORS[0]}</a></li><li><a href="/tag/works/">#works</a>'
            f'</li><li><a href="/about/">{words["about"]}</a></li>{feed}'
            f'<li><a href="/{other}/" hreflang="{other}">{other.upper()}</a></li></ul>'
            f'<form action="/search"><input name="q"></form></nav></header>'
        )

    def head(self, title: str, lang: str, extra: str = "") -> str:
        feed = ""
        if self.choice.syndication == "feed_link":
            feed = (
                '<link rel="alternate" type="application/rss+xml" href="/syndication/latest.rss">'
            )
        return (
            f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title>{feed}{extra}</head>"
        )

    def document(self, title: str, main: str, *, lang: str | None = None, extra: str = "") -> Page:
        lang = lang or self.choice.language
        html = (
            f"{self.head(title, lang, extra)}<body>{self.nav(lang)}"
            f'<div class="container">{main}</div><footer><p>© Zoo</p></footer></body></html>'
        )
        return Page(html.encode("utf-8"))

    def teasers(self, stories: list[Story]) -> str:
        """The stories as the listing style prints them."""
        lang, style = self.choice.language, self.choice.listing
        if style == "cards":
            cards = "".join(
                f'<div class="col-md-4"><div class="card"><div class="card-body">'
                f'<h5 class="card-title"><a href="{s.path}">{escape(s.headline)}</a></h5>'
                f'<p class="card-text">{escape(TEXT[lang][0].format(s=SUBJECTS[s.n]))}</p>'
                f'<p class="card-text"><small><strong>{WORDS[lang]["author"]}</strong> '
                f'<a href="/author/{AUTHORS.index(s.author) + 1}/">{s.author}</a></small></p>'
                f"</div></div></div>"
                for s in stories
            )
            return f'<div class="row">{cards}</div>'
        if style == "headlines":
            items = "".join(
                f'<li><a href="{s.path}">{escape(s.headline)}</a></li>' for s in stories
            )
            return f'<ul class="list-unstyled">{items}</ul>'
        if style == "table":
            rows = "".join(
                f'<tr><td><a href="{s.path}">{escape(s.headline)}</a></td>'
                f"<td>{shown_date(s.published, lang)}</td><td>{s.author}</td></tr>"
                for s in stories
            )
            return f'<table class="table"><tbody>{rows}</tbody></table>'
        tiles = "".join(
            f'<div class="col"><a href="{s.path}"><img src="/img/{s.n}.jpg" '
            f'alt="{escape(s.headline)}"></a></div>'
            for s in stories
        )
        return f'<div class="row row-cols-3">{tiles}</div>'

    def home(self, base: str, lang: str) -> Page:
        latest = self.teasers(self.stories[:4])
        return self.document("Zoo", f"<main><h1>Zoo</h1>{latest}</main>", lang=lang)

    def pagination(self, section: str, page: int, pages: int) -> tuple[str, str]:
        """(markup in the body, markup in the head) of a section page's pagination."""
        style, words = self.choice.pagination, WORDS[self.choice.language]
        nxt = None if page >= pages else self.page_path(section, page + 1)
        if style == "numbers":
            items = "".join(
                f'<li class="page-item active"><span class="page-link">{p}</span></li>'
                if p == page
                else f'<li class="page-item"><a class="page-link" '
                f'href="{self.page_path(section, p)}">{p}</a></li>'
                for p in range(1, pages + 1)
            )
            return f'<nav><ul class="pagination">{items}</ul></nav>', ""
        if style == "wordpress":
            links = "".join(
                f'<span aria-current="page" class="page-numbers current">{p}</span>'
                if p == page
                else f'<a class="page-numbers" href="{self.page_path(section, p)}">{p}</a>'
                for p in range(1, pages + 1)
            )
            if nxt:
                links += f'<a class="next page-numbers" href="{nxt}">{words["next"]} »</a>'
            return (
                f'<nav class="navigation pagination"><div class="nav-links">{links}</div></nav>',
                "",
            )
        if not nxt:
            return "", ""
        if style == "rel_next":
            return "", f'<link rel="next" href="{nxt}">'
        if style == "words":
            return f'<p><a href="{nxt}">{words["next"]}</a></p>', ""
        return f'<p><a class="btn btn-primary load-more" href="{nxt}">{words["more"]}</a></p>', ""

    def listing(self, section: str, page: int, pages: int, stories: list[Story]) -> Page:
        body, head = self.pagination(section, page, pages)
        main = f"<main><h1>{section.capitalize()}</h1>{self.teasers(stories)}{body}</main>"
        return self.document(section.capitalize(), main, extra=head)

    def article(self, s: Story, base: str) -> Page:
        lang, meta = self.choice.language, self.choice.metadata
        words = WORDS[lang]
        extra = ""
        if meta in ("full", "partial"):
            extra += f'<meta property="og:title" content="{escape(s.headline)}">'
        if meta == "full":
            ld = {
                "@context": "https://schema.org",
                "@type": "NewsArticle",
                "headline": s.headline,
                "datePublished": s.published.isoformat(),
                "author": {"@type": "Person", "name": s.author},
            }
            extra += (
                '<meta property="og:type" content="article">'
                f'<meta property="article:published_time" content="{s.published.isoformat()}">'
                f'<script type="application/ld+json">{json.dumps(ld)}</script>'
            )
        author_url = f"/author/{AUTHORS.index(s.author) + 1}/"
        byline = (
            f'<p class="byline"><strong>{words["author"]}</strong> '
            f'<a href="{author_url}">{s.author}</a></p>'
            f'<p class="posted-on"><strong>{words["published"]}</strong> '
            f"{shown_date(s.published, lang)}</p>"
        )
        if meta == "full":  # microformats beside the JSON-LD, as WordPress themes print them
            byline = (
                f'<p class="entry-meta">{words["by"]} <span class="byline author vcard">'
                f'<a class="url fn n p-author h-card" rel="author" href="{author_url}">'
                f'{s.author}</a></span> · <time class="entry-date published dt-published" '
                f'datetime="{s.published.isoformat()}">{shown_date(s.published, lang)}</time></p>'
            )
        paragraphs = "".join(
            f"<p>{escape(TEXT[lang][i % 2].format(s=SUBJECTS[s.n]) * 2)}</p>" for i in range(4)
        )
        related = [r for r in self.stories if r.n != s.n][s.n % 5 : s.n % 5 + 3]
        aside = "".join(f'<li><a href="{r.path}">{escape(r.headline)}</a></li>' for r in related)
        main = (
            f'<main><article class="post h-entry"><h1 class="entry-title p-name">'
            f"{escape(s.headline)}</h1>{byline}"
            f'<div class="entry-content e-content">{paragraphs}</div></article>'
            f'<aside class="related"><h2>{words["related"]}</h2><ul>{aside}</ul></aside></main>'
        )
        return self.document(s.headline, main, extra=extra)

    def sitemap(self, base: str) -> Page:
        urls = "".join(
            f"<url><loc>{base}{escape(s.path)}</loc><lastmod>{s.published.isoformat()}</lastmod></url>"
            for s in self.stories
        )
        text = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
        )
        return Page(text.encode("utf-8"), content_type="application/xml")

    def feed(self, base: str) -> Page:
        """RSS with the five latest stories (pagination must find the rest)."""
        items = "".join(
            f"<item><title>{escape(s.headline)}</title><link>{base}{escape(s.path)}</link>"
            f"<pubDate>{format_datetime(s.published)}</pubDate>"
            f"<author>desk@zoo.invalid ({s.author})</author></item>"
            for s in self.stories[:5]
        )
        channel = f"<channel><title>Zoo</title>{items}</channel>"
        text = f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'
        return Page(text.encode("utf-8"), content_type="application/rss+xml")
