"""The headline: the article's own title, from the on-page <h1> and the page's metadata titles.

Why not <title>: it carries the site name ("Story | Site"). Many pages also have several <h1>
(logo, section name, teasers), so an <h1> counts only when a metadata title confirms it. When
the <h1> and og:title are the same title (or the <h1> is og:title plus a kicker), og:title wins: it
is the publisher's clean text, where the <h1> may glue a kicker <span> on without punctuation.
A " | Site" suffix is removed from metadata titles only when it names the site; from <title>
whenever it looks like one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from newscrawler.extraction.sitenames import fold, names_site

_SUFFIX = re.compile(
    r"^(?P<head>.+?)(?:\s+(?:[|\-–—:·•»]|::)\s+|\s*[｜：]\s*)(?P<tail>(?:(?!\s[|\-–—:·•»]\s)[^｜：]){1,60})$"
)
_SITE_IN_PARENS = re.compile(r"^(?P<head>.{12,}?)\s+\((?P<tail>[^()]{3,60})\)$")
_TAIL_SEPARATOR = re.compile(r"\s+(?:[|\-–—⋆·•»]|::)(?:\s|$)")
_DATE_TAIL = re.compile(r"^[\d\s./-]{6,}$")
_BYLINE_TAIL = re.compile(r"^(?:by|von|par|por|di|door|av|af)\s+\S", re.IGNORECASE)
_MAX_SUFFIX_WORDS = 5
_MIN_TITLE_CHARS = 12  # a <title> shorter than this ("T", "Home") is no headline
SAME_STORY = 0.34  # an <h1> sharing this share of its words with a metadata title tells that story
MIN_SHOWN_WORDS = 3  # an <h1> this long that opens a metadata title is the title without its tail
KICKER_TAIL = 4  # titles ending in this many same words are one title with different openings
MIN_H1_CHARS = 8  # an <h1> shorter than this is a logo or a label, not a headline
TRUNCATED_CHARS = 100  # a title this long that another title extends was cut


def strip_site_suffix(
    title: str,
    site_names: Sequence[str] = (),
    *,
    guess: bool = False,
    sections: Sequence[str] = (),
) -> str:
    """Remove trailing " | Site" and " (Site)" parts that name the site (or, with `guess`, " | X"
    that looks like one), or
    name the page's section as its URL path spells it (" | Patient Education" on a page under
    /patient-education/).

    >>> strip_site_suffix("Storm hits coast | Daily News", ["Daily News"])
    'Storm hits coast'
    >>> strip_site_suffix("FDP - Generalsekretär tritt zurück", ["freiepresse.de"])
    'FDP - Generalsekretär tritt zurück'
    >>> strip_site_suffix("Storm hits coast - Le Monde.fr", guess=True)
    'Storm hits coast'
    >>> strip_site_suffix("Gardens thrive | District | BSS", ["BSS"], sections=["district"])
    'Gardens thrive'
    >>> strip_site_suffix("Why tides have two peaks (Ana Ribeiro)", ["anaribeiro"])
    'Why tides have two peaks'
    """
    folded = {fold(s) for s in sections} - {""}
    names = {fold(n) for n in site_names}
    while True:
        named = _SITE_IN_PARENS.match(title)  # "Why tides have two peaks (Ana Ribeiro)": the
        # whole parenthesis is a site name ("Sleep (and Why We Need It)" keeps its own)
        if named and fold(named.group("tail")) in names:
            title = named.group("head").strip()
            continue
        match = _SUFFIX.match(title)
        if not match:
            return title
        head, tail = match.group("head").strip(), match.group("tail").strip()
        known = (
            names_site(tail, site_names)
            or fold(tail) in folded
            or _DATE_TAIL.match(tail)
            or _BYLINE_TAIL.match(tail)
        )
        looks_like_site = (
            guess and len(tail.split()) <= _MAX_SUFFIX_WORDS and len(head) >= len(tail)
        )
        if not (known or looks_like_site):
            return title
        title = head


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def og_wins(h1: str, og: str) -> bool | None:
    """How an <h1> and og:title relate: True when they are one title and og:title's text is the
    one to keep (same words; or the <h1> is og:title with a kicker glued before it), False when
    the <h1> is og:title plus a subtitle, or og:title with words before and after it (then
    og:title is a shortened title, not the <h1> without its kicker), or og:title is the <h1>
    with a kicker before it or a tail after it (" | Site | by Author"): the <h1> as shown on the
    page is then the headline. None when they are different titles.

    >>> og_wins("Premier League Rückschlag für Liverpool", "Rückschlag für Liverpool")
    True
    >>> og_wins("«Die Waffenruhe hält»", "Krise am Golf: «Die Waffenruhe hält»")
    False
    >>> og_wins("Our 7 easy bread recipes for a busy week", "7 Easy Bread Recipes")
    False
    """
    kh, ko = _key(h1), _key(og)
    if not kh or not ko:
        return None
    if kh == ko:
        return True
    shorter, longer = sorted((kh, ko), key=len)
    if len(shorter) < 0.5 * len(longer):
        return None
    if longer.startswith(shorter) or (longer == ko and longer.endswith(shorter)):
        return False
    if longer == kh and f" {shorter} " in longer:  # words before and after og:title: the
        return False  # <h1> is the fuller title as shown, og:title a shortened one
    return True if longer.endswith(shorter) or f" {shorter} " in longer else None


def choose_headline(
    h1s: Sequence[str],
    og_title: str | None,
    structured: Sequence[str],
    title: str | None,
    site_names: Sequence[str] = (),
    *,
    ld_headline: str | None = None,
    shown: Sequence[str] = (),
    sections: Sequence[str] = (),
) -> str | None:
    """The headline from on-page <h1> texts (document order), og:title, the JSON-LD headline,
    other metadata titles and <title>.

    `shown` are the <h1>s that stand in the article rather than in the page's chrome (see
    `chrome.in_page_chrome`). When exactly one of them reads as a headline, it is the headline
    as shown, spelled as shown, whatever the metadata titles say (publishers tune those for
    search and sharing); og:title wins only when it is the same title without a kicker glued
    on. Otherwise og:title and the JSON-LD headline agreeing settle it.

    >>> choose_headline(["Daily", "Storm hits coast"], None, [], "Storm hits coast | Daily", [])
    'Storm hits coast'
    >>> choose_headline(["Premier League Rückschlag für Liverpool"], "Rückschlag für Liverpool",
    ...                 [], None)
    'Rückschlag für Liverpool'
    """
    og = strip_site_suffix(og_title, site_names, sections=sections) if og_title else None
    ld = strip_site_suffix(ld_headline, site_names, sections=sections) if ld_headline else None
    if _truncated(ld, [og, *structured, title]):
        ld = None
    others = [strip_site_suffix(t, site_names, sections=sections) for t in (ld, *structured) if t]
    page_title = (
        strip_site_suffix(title, site_names, guess=True, sections=sections) if title else None
    )
    # an <h1> that copies the document title keeps its named site and section suffixes there
    bare = {h: strip_site_suffix(h, site_names, sections=sections) for h in h1s}
    h1s = [bare[h] for h in h1s]
    shown = [bare.get(h) or strip_site_suffix(h, site_names, sections=sections) for h in shown]
    visible = _article_h1(shown, [og, *others, page_title], site_names)
    if visible is not None:
        return visible
    chosen = _pick(h1s, og, ld, others, page_title, title, site_names)
    return _spelling(chosen, [*h1s, og, *others, page_title]) if chosen else None


def _article_h1(
    shown: Sequence[str], titles: Sequence[str | None], site_names: Sequence[str]
) -> str | None:
    """The one article <h1> that reads as a headline, when no metadata title is a form of it
    (publishers tune those for search and sharing: a different title there is not the one
    shown). None when there are several such <h1>s or none, or when a metadata title shares
    its words (then `_pick` weighs kicker, suffix and spelling)."""
    # the same heading printed twice (a layout for small and one for large screens) is one
    candidates = list(
        dict.fromkeys(h for h in shown if len(h) >= MIN_H1_CHARS and not names_site(h, site_names))
    )
    if len(candidates) > 1:  # a blog's name or a box title in an <h1> too: the one the
        # metadata titles print, else the one telling their story
        titled = [h for h in candidates if any(_titled(h, t) for t in titles if t)]
        candidates = titled or [h for h in candidates if _shared(h, titles) >= SAME_STORY]
    if len(candidates) != 1:
        return None
    h1 = candidates[0]
    key = _key(h1)
    if len(key.split()) >= MIN_SHOWN_WORDS and any(_tail_added(h1, t) for t in titles if t):
        return h1  # the title with a tail added for search or sharing: the <h1> as shown
    for title in titles:
        other = _key(title) if title else ""
        if other and (key in other or other in key or _same_ending(key, other)):
            return None
    return h1 if _shared(h1, titles) >= SAME_STORY else None


def _shared(h1: str, titles: Sequence[str | None]) -> float:
    """The largest share of the <h1>'s words that one metadata title uses."""
    words = set(_key(h1).split())
    if not words:
        return 0.0
    return max((len(words & set(_key(t).split())) / len(words) for t in titles if t), default=0.0)


def _titled(h1: str, title: str) -> bool:
    """Whether a metadata title prints this <h1>: the same words, or the <h1> with a tail."""
    return _key(h1) == _key(title) or _tail_added(h1, title)


def _truncated(title: str | None, others: Sequence[str | None]) -> bool:
    """Whether `title` is cut short: another title begins with it and goes on, and it is as long
    as SEO plugins cut JSON-LD headlines (Google asked for at most 110 characters)."""
    if not title or len(title) < TRUNCATED_CHARS:
        return False
    head = title.rstrip(" .…")
    return any(o and len(o) > len(title) and o.startswith(head) for o in others)


def _tail_added(h1: str, title: str) -> bool:
    """Whether `title` is the <h1> with a tail after a separator or a question ("What is X? Our
    2026 Guide", "X | Whole Home Guide", "X ⋆"); a colon after it makes the <h1> a kicker.

    >>> _tail_added("What is mesh WiFi?", "What Is Mesh WiFi? Our 2026 Guide")
    True
    >>> _tail_added("Waffen an Israel", "Waffen an Israel: Beschwerde eingelegt")
    False
    """
    shown, full = h1.casefold(), title.casefold()
    if len(full) <= len(shown) or not full.startswith(shown):
        return False
    rest = full[len(shown) :]
    return (shown[-1] in "?!" and rest[0].isspace()) or bool(_TAIL_SEPARATOR.match(rest))


def _same_ending(one: str, other: str) -> bool:
    """Two titles ending in the same `KICKER_TAIL` words differ only by what stands before:
    a kicker or a rewording of its first words (that choice is `_pick`'s)."""
    a, b = one.split(), other.split()
    return len(a) >= KICKER_TAIL and a[-KICKER_TAIL:] == b[-KICKER_TAIL:]


def _spelling(chosen: str, variants: Sequence[str | None]) -> str:
    """Among the sources giving the same words, the spelling most of them use (quotes,
    apostrophes, separators differ between <h1>, og:title and JSON-LD); ties keep `chosen`."""
    key = _key(chosen)
    counts = Counter(v for v in variants if v and _key(v) == key)
    best = max(counts.values(), default=0)
    if counts[chosen] >= best:
        return chosen
    return next(v for v in variants if v and counts[v] == best)


def _pick(
    h1s: Sequence[str],
    og: str | None,
    ld: str | None,
    others: list[str],
    page_title: str | None,
    title: str | None,
    site_names: Sequence[str],
) -> str | None:
    if og and ld and _key(og) == _key(ld):
        return og  # two declarations by the publisher agree: its chosen headline
    titles = [t for t in (page_title, title) if t]
    for h1 in h1s:
        if len(h1) < MIN_H1_CHARS:
            continue
        relation = og_wins(h1, og) if og else None
        if relation:
            return og
        key = _key(h1)
        same = next((t for t in others if _key(t) == key), None)
        if same:  # metadata keeps the separators that <span>-built <h1>s lose
            return same
        if relation is False or any(_key(t) == key for t in titles):
            return h1
    if others:
        return others[0]
    if og:
        return og
    long_h1s = [h for h in h1s if len(h.split()) >= 3]
    if len(long_h1s) == 1:
        return long_h1s[0]
    if page_title and len(page_title) >= _MIN_TITLE_CHARS:
        return page_title
    own = [h for h in h1s if not names_site(h, site_names)]  # not the logo's <h1>
    return (long_h1s or own or [page_title or ""])[0] or None
