"""WordPress shortcodes in scraped text: WordPress's own grammar, as a linear-time scanner.

Why: portals that lost their plugins (or whose text was copied out of the editor) show raw
shortcodes such as ``[penci_blockquote author= »Xi Jinping »]…[/penci_blockquote]``. The grammar
follows ``get_shortcode_regex`` and ``shortcode_parse_atts`` (wp-includes/shortcodes.php):

- ``[name attrs]content[/name]`` encloses up to the FIRST ``[/name]`` after the opening tag;
- ``[name attrs /]`` is self-closing; a ``[name attrs]`` with no closing tag stands alone;
- ``[[name]]`` (and ``[[name]…[/name]]``) is escaped and stays literal, minus one bracket pair;
- other shortcodes nest inside the content; names are ``[A-Za-z0-9_-]+``;
- attributes: ``k="v"``, ``k='v'``, ``k=v`` and positional values, keys lower-cased.

On top of WordPress: texturized quotes around values (``“ ” ″ ‘ ’ ′ « »``, with ordinary, no-break
or narrow no-break spaces), entity-encoded values (``&raquo;``, ``&#8243;``, ``&quot;``), and
shortcodes split across blocks (the caller joins the blocks with ``SEP``).

WordPress only parses registered names. Here a registry (data/shortcodes.toml, overridable per
profile) says what each known name is; an unknown name counts as a shortcode only when its syntax
leaves no doubt (it encloses, self-closes, has ``key=value`` attributes or a lower-case name with
``_``/``-``), so ``[1]``, ``[sic]``, ``[Photo: AFP]``, ``[…]`` and markdown links are never touched.

Every search is indexed once (the positions of closing tags, of ``]`` and of quotes are listed
in one pass, then bisected), so the scan is linear in the input whatever the input.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import cache
from importlib.resources import files
from types import MappingProxyType

from w3lib.html import replace_entities

from newscrawler.extraction.quotes import split_attribution
from newscrawler.items import Quote
from newscrawler.profiles.model import Profile
from newscrawler.text import normalize_text

SEP = "\x1e"
"""Block separator: callers join block texts with it; no tag may span it inside its attributes."""

KINDS = frozenset({"quote", "caption", "media", "drop", "wrapper"})
_REMOVED = frozenset({"caption", "media", "drop"})

_OPEN_NAME = re.compile(r"[A-Za-z0-9_-]+(?=[ \t\n\r\f\v\]/])")  # a name, then what may follow it
_CLOSER = re.compile(r"\[/([A-Za-z0-9_-]+)\]")
_UNKNOWN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
_SHAPED = re.compile(r"[a-z][a-z0-9]*(?:[_-][a-z0-9]+)+\Z")

DQ = '"“”„‟″«»'
SQ = "'‘’‚‛′"
_DQ_END = re.compile(f"[{DQ}](?=\\s|\\Z)")
_SQ_END = re.compile(f"[{SQ}](?=\\s|\\Z)")
# What closes a quoted value, per opening quote, and whether the value is trimmed: an ASCII quote
# closes at the next same quote, value kept as is; a texturized one at the next quote-like
# character of its family that ends the token, value trimmed (texturized quotes come with spaces).
_CLOSING: dict[str, tuple[re.Pattern[str], bool]] = {
    '"': (re.compile('"'), False),
    "'": (re.compile("'"), False),
    **dict.fromkeys(DQ[1:], (_DQ_END, True)),
    **dict.fromkeys(SQ[1:], (_SQ_END, True)),
}
_TOKEN_END = re.compile(r"\s|\Z")
_BRACKET_OR_SEP = re.compile(f"[\\]{SEP}]")
_KEY_START = re.compile(r"\s[\w-]+\s*=", re.ASCII)
_SPACES = re.compile("[\u00a0\u200b\u202f]+")
_KEY = re.compile(r"([\w-]+)\s*=\s*", re.ASCII)
_UNQUOTED = re.compile(r"""[^\s'"]+(?=\s|\Z)""")
_TOKEN = re.compile(r"\S+")
_SAFE_HTML = re.compile(r"[^<]*+(?:<[^>]*+>[^<]*+)*+")


class _Next:
    """Where `pattern` matches in `text`: every match start listed in one pass (on first use),
    then each question answered by bisection, so any number of questions costs one pass."""

    def __init__(self, text: str, pattern: re.Pattern[str]) -> None:
        self._text = text
        self._pattern = pattern
        self._starts: list[int] | None = None

    def _listed(self) -> list[int]:
        if self._starts is None:
            self._starts = [m.start() for m in self._pattern.finditer(self._text)]
        return self._starts

    def find(self, pos: int) -> int:
        """Start of the first match at or after `pos`, or len(text) when there is none."""
        starts = self._listed()
        k = bisect.bisect_left(starts, pos)
        return starts[k] if k < len(starts) else len(self._text)

    def between(self, start: int, end: int) -> bool:
        """Whether a match starts in text[start:end]."""
        starts = self._listed()
        return bisect.bisect_left(starts, start) < bisect.bisect_left(starts, end)


@dataclass(frozen=True)
class Atts:
    """Parsed shortcode attributes: named (keys lower-cased) and positional, in order."""

    named: Mapping[str, str] = field(default_factory=dict)
    positional: tuple[str, ...] = ()


def _quoted(s: str, j: int, finders: dict[re.Pattern[str], _Next]) -> tuple[str, int] | None:
    """A quoted value starting at s[j] whose closing quote ends the token, WordPress-style, and
    where it ends; `finders` index each closing pattern once per attribute text."""
    closing = _CLOSING.get(s[j : j + 1])
    if closing is None:
        return None
    pattern, trimmed = closing
    k = finders.setdefault(pattern, _Next(s, pattern)).find(j + 1)
    after = _TOKEN_END.match(s, k + 1) if k < len(s) else None
    if after is None:
        return None
    value = s[j + 1 : k]
    return (value.strip() if trimmed else value), after.end()


def _unquoted(s: str, j: int) -> tuple[str, int] | None:
    """An unquoted value starting at s[j]: no quote in it, and it ends the token."""
    m = _UNQUOTED.match(s, j)
    return (m.group(), m.end()) if m else None


def _safe(value: str) -> str:
    """WordPress rejects values with unclosed HTML tags (they could break the page)."""
    return value if _SAFE_HTML.fullmatch(value) else ""


def parse_atts(text: str) -> Atts:
    """Attributes of one tag, per shortcode_parse_atts, plus texturized and entity-encoded quotes.

    >>> parse_atts(' style= »style-2″ author= »Xi Jinping » 3').named["author"]
    'Xi Jinping'
    >>> parse_atts("url=https://x.org 'pos one' b").positional
    ('pos one', 'b')
    """
    s = _SPACES.sub(" ", replace_entities(text))
    finders: dict[re.Pattern[str], _Next] = {}
    named: dict[str, str] = {}
    positional: list[str] = []
    i, n = 0, len(s)
    while i < n:
        if s[i].isspace():
            i += 1
            continue
        key = _KEY.match(s, i)
        if key:
            got = _quoted(s, key.end(), finders) or _unquoted(s, key.end())
            if got:
                named[key.group(1).lower()], i = _safe(got[0]), got[1]
                continue
        got = _quoted(s, i, finders)
        if got:
            positional.append(_safe(got[0]))
            i = got[1]
            continue
        token = _TOKEN.match(s, i)
        assert token is not None  # s[i] is not whitespace
        positional.append(_safe(token.group()))
        i = token.end()
    return Atts(named, tuple(positional))


@dataclass(frozen=True)
class Registry:
    """What cleaning does per shortcode name: exact names first, then globs in order."""

    exact: Mapping[str, str]
    globs: tuple[tuple[str, str], ...] = ()
    attribution_attributes: tuple[str, ...] = ("author", "cite")

    def kind(self, name: str) -> str | None:
        """The kind of `name` ("quote", "caption", "media", "drop", "wrapper"), None if unknown."""
        found = self.exact.get(name)
        if found is None:
            found = next((k for pattern, k in self.globs if fnmatchcase(name, pattern)), None)
        return found

    def override(self, entries: Mapping[str, str]) -> Registry:
        """A registry where `entries` (name or glob -> kind, e.g. from a profile) win."""
        exact = dict(self.exact)
        globs: list[tuple[str, str]] = []
        for name, kind in _checked(entries.items(), "profile shortcodes"):
            if any(ch in name for ch in "*?["):
                globs.append((name, kind))
            else:
                exact[name] = kind
        return Registry(MappingProxyType(exact), (*globs, *self.globs), self.attribution_attributes)


def _checked(entries: Iterable[tuple[str, str]], where: str) -> Iterable[tuple[str, str]]:
    for name, kind in entries:
        if kind not in KINDS:
            raise ValueError(f"{where}: unknown shortcode kind {kind!r} for {name!r}")
        yield name, kind


@cache
def default_registry() -> Registry:
    """The built-in registry from data/shortcodes.toml, loaded once."""
    with files("newscrawler").joinpath("data/shortcodes.toml").open("rb") as data:
        raw = tomllib.load(data)
    pairs = [(name, kind) for kind, names in raw["kinds"].items() for name in names]
    base = Registry(MappingProxyType({}), (), tuple(raw["attribution_attributes"]))
    return base.override(dict(_checked(pairs, "data/shortcodes.toml")))


def registry_for(profile: Profile | None) -> Registry:
    """The default registry, with the profile's overrides when it has any."""
    if profile is None or not profile.shortcodes:
        return default_registry()
    return _overridden(tuple(sorted(profile.shortcodes.items())))


@cache
def _overridden(entries: tuple[tuple[str, str], ...]) -> Registry:
    return default_registry().override(dict(entries))


@dataclass(frozen=True)
class Shortcode:
    """One recognised shortcode occurrence (positions index the scanned text)."""

    name: str
    kind: str  # a registry kind, or "unknown" (handled like "wrapper")
    atts: Atts
    start: int
    end: int  # after the closing tag (or the opening one when there is none)
    content: tuple[int, int] | None  # the enclosed text, None for lone and self-closing tags
    escaped: bool = False


@dataclass
class QuoteSpans:
    """A quote-like shortcode: where it starts, its attribution, the spans of text it encloses."""

    start: int
    attribution: str | None
    spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Scan:
    """What survives in the body (spans of the input), the quotes lifted out, the tags seen."""

    text: str
    body: list[tuple[int, int]] = field(default_factory=list)
    quotes: list[QuoteSpans] = field(default_factory=list)
    tags: list[Shortcode] = field(default_factory=list)

    def emit(self, sink: int | None, start: int, end: int) -> None:
        """Keep text[start:end], unless empty, in the body (sink None) or in quote number `sink`
        (spans may be adjacent: readers join them)."""
        if start < end:
            (self.body if sink is None else self.quotes[sink].spans).append((start, end))

    def joined(self, spans: list[tuple[int, int]]) -> str:
        return "".join(self.text[a:b] for a, b in spans)


def _closers(text: str) -> dict[str, list[int]]:
    """Start positions of every ``[/name]``, per name, in one pass."""
    found: dict[str, list[int]] = {}
    for m in _CLOSER.finditer(text):
        found.setdefault(m.group(1), []).append(m.start())
    return found


@dataclass
class _Frame:
    end: int  # the enclosing frame's end, restored on exit
    sink: int | None  # the enclosing frame's sink, restored on exit
    resume: int  # where scanning continues: after the closing tag


@dataclass
class _Tag:
    name: str
    kind: str | None
    open_end: int  # after the opening tag's "]"
    attrs: tuple[int, int]
    escaped_open: bool  # the opening "[" is doubled
    closer: int | None  # start of the matching "[/name]"


class _Scanner:
    """One left-to-right pass over the text; see `scan`."""

    def __init__(self, text: str, registry: Registry) -> None:
        self.text = text
        self.registry = registry
        self.closers = _closers(text)
        self.bracket = _Next(text, _BRACKET_OR_SEP)
        self.key = _Next(text, _KEY_START)
        self.kinds: dict[str, str | None] = {}
        self.seen: set[str] = set()

    def kind(self, name: str) -> str | None:
        if name not in self.kinds:
            self.kinds[name] = self.registry.kind(name)
        return self.kinds[name]

    def closer(self, name: str, after: int, end: int) -> int | None:
        """Start of the first ``[/name]`` at or after `after` if it ends by `end`."""
        starts = self.closers.get(name, [])
        k = bisect.bisect_left(starts, after)
        if k < len(starts) and starts[k] + len(name) + 3 <= end:
            return starts[k]
        return None

    def tag_at(self, i: int, end: int) -> _Tag | None:
        """The shortcode opening at text[i] == "[", if the grammar and the registry agree."""
        text = self.text
        escaped_open = text.startswith("[", i + 1)
        # a name never runs past `end`, where the parent's closer puts a "["
        m = _OPEN_NAME.match(text, i + (2 if escaped_open else 1))
        if not m:
            return None
        name = m.group()
        close = self.bracket.find(m.end())  # the first "]", unless a block ends before it
        if close >= end or text[close] != "]":
            return None
        self_closing = text[close - 1] == "/"
        open_end = close + 1
        closer = None if self_closing else self.closer(name, open_end, end)
        kind = self.kind(name)
        if kind is None and not (
            _UNKNOWN_NAME.match(name)
            and (
                closer is not None
                or self_closing
                or name in self.seen
                or (
                    not text.startswith("(", open_end)
                    and (_SHAPED.match(name) or self.key.between(m.end(), close))
                )
            )
        ):
            return None
        attrs_end = close - 1 if self_closing else close
        attrs = (m.end(), attrs_end)
        return _Tag(name, kind, open_end, attrs, escaped_open, closer)

    def orphan_closer(self, i: int) -> int | None:
        """End of a stray ``[/name]`` at `i` that cleaning removes (known or shortcode-shaped)."""
        m = _CLOSER.match(self.text, i)
        if not m:
            return None
        name = m.group(1)
        if name in self.seen or self.kind(name) is not None or _SHAPED.match(name):
            return m.end()
        return None

    def run(self) -> Scan:
        """Scan once; frames hold the enclosing shortcodes whose content is being scanned."""
        text = self.text
        out = Scan(text)
        frames: list[_Frame] = []
        sink: int | None = None  # None: the body; else the number of the quote being filled
        end, p, q = len(text), 0, 0  # end of the current frame, start of pending text, search
        while True:
            i = text.find("[", q, end)
            if i < 0:
                out.emit(sink, p, end)
                if not frames:
                    return out
                frame = frames.pop()
                end, sink, p = frame.end, frame.sink, frame.resume
                q = p
                continue
            tag = self.tag_at(i, end)
            if tag is None:
                stray = self.orphan_closer(i)
                if stray is None:
                    q = i + 1
                    continue
                out.emit(sink, p, i)
                p = q = stray
                continue
            out.emit(sink, p, i)
            kind = tag.kind or "unknown"
            atts = parse_atts(text[tag.attrs[0] : tag.attrs[1]])
            self.seen.add(tag.name)
            closer = tag.closer
            outer_end = tag.open_end if closer is None else closer + len(tag.name) + 3
            content = None if closer is None else (tag.open_end, closer)
            # [[name]] escapes; never beyond `end`, where the parent's closer puts a "["
            if tag.escaped_open and text.startswith("]", outer_end):
                out.tags.append(Shortcode(tag.name, kind, atts, i, outer_end + 1, content, True))
                out.emit(sink, i + 1, outer_end)  # [[name]] shows as [name]
                p = q = outer_end + 1
                continue
            out.tags.append(Shortcode(tag.name, kind, atts, i, outer_end, content))
            if tag.escaped_open:  # a doubled "[" that does not escape is plain text
                out.emit(sink, i, i + 1)
            if closer is None or kind in _REMOVED:
                p = q = outer_end
                continue
            frames.append(_Frame(end, sink, outer_end))
            if kind == "quote" and sink is None:
                sink = len(out.quotes)
                out.quotes.append(QuoteSpans(i, self._attribution(atts)))
            end = closer
            p = q = tag.open_end

    def _attribution(self, atts: Atts) -> str | None:
        for key in self.registry.attribution_attributes:
            value = " ".join(atts.named.get(key, "").split())
            if value and not value.startswith(("http://", "https://", "/")):
                return value
        return None


def scan(text: str, registry: Registry | None = None) -> Scan:
    """Parse `text` once: body spans kept, quote spans lifted, every recognised tag listed."""
    return _Scanner(text, registry or default_registry()).run()


def quote_of(lines: Iterable[str], attribution: str | None) -> Quote | None:
    """A Quote from raw lines: normalised, empty lines dropped, a trailing "— Name" line used as
    the attribution when none is given; None when no text is left."""
    kept = [line for line in (normalize_text(x) for x in lines) if line]
    if attribution is None:
        kept, attribution = split_attribution(kept)
    if not kept:
        return None
    return {"text": "\n".join(kept), "attribution": normalize_text(attribution or "") or None}


@dataclass(frozen=True)
class Stripped:
    """Text with its shortcodes handled, and the quotes lifted out of it."""

    text: str
    quotes: list[Quote]


def strip_shortcodes(text: str, registry: Registry | None = None) -> Stripped:
    """Handle every shortcode in `text` per the registry; other characters are kept verbatim.

    >>> strip_shortcodes("a [vc_row]b[/vc_row] [gallery ids=1,2] c [1]").text
    'a b  c [1]'
    """
    result = scan(text, registry)
    quotes = []
    for spans in result.quotes:
        lines = result.joined(spans.spans).replace(SEP, "\n").split("\n")
        found = quote_of(lines, spans.attribution)
        if found is not None:
            quotes.append(found)
    return Stripped(result.joined(result.body), quotes)
