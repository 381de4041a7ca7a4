"""Load site profiles from TOML files and validate them: data only, never code.

Why strict: a typo in a profile ("selector" for "selectors", an unclosed bracket in a regex)
would otherwise silently disable part of a site's extraction. Every error names the file and key.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import fields, replace
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from newscrawler.extraction.selectors import SelectorError, compile_selector
from newscrawler.extraction.shortcodes import KINDS
from newscrawler.items import Article
from newscrawler.profiles.model import Profile
from newscrawler.quality import Thresholds

BUILTIN_DIR = "profiles"
TOP_KEYS = {
    "name", "domains", "start_urls", "sitemaps", "feeds", "language", "description", "generic",
    "urls", "selectors", "read_also", "shortcodes", "quality",
}  # fmt: skip
URL_KEYS = {"article", "listing"}
SELECTOR_KEYS = {f.name for f in fields(Article)} - {
    "id", "url", "canonical_url", "site", "revision", "crawled_at", "schema_version",
    "is_accessible_for_free",
}  # fmt: skip
SHORTCODE_KINDS = KINDS  # the registry kinds that extraction knows, defined once there
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


class ProfileError(ValueError):
    """A profile file that cannot be used; the message names the file and the key."""


def _fail(source: str, key: str, problem: str) -> ProfileError:
    return ProfileError(f"{source}: key {key!r}: {problem}")


def _strings(source: str, key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(source, key, "expected a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _table(source: str, key: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(source, key, "expected a table")
    return value


def _regexes(source: str, key: str, value: Any) -> tuple[re.Pattern[str], ...]:
    compiled = []
    for i, pattern in enumerate(_strings(source, key, value)):
        try:
            compiled.append(re.compile(pattern, re.IGNORECASE))
        except re.error as exc:
            raise _fail(source, f"{key}[{i}]", f"bad regex {pattern!r}: {exc}") from exc
    return tuple(compiled)


def _selectors(source: str, value: Any) -> Mapping[str, tuple[str, ...]]:
    table = _table(source, "selectors", value)
    out = {}
    for name, selectors in table.items():
        key = f"selectors.{name}"
        if name not in SELECTOR_KEYS:
            raise _fail(source, key, f"unknown field; expected one of {sorted(SELECTOR_KEYS)}")
        out[name] = _strings(source, key, selectors)
        for i, selector in enumerate(out[name]):
            try:
                compile_selector(selector)
            except SelectorError as exc:
                raise _fail(source, f"{key}[{i}]", str(exc)) from exc
    return MappingProxyType(out)


def _domains(source: str, value: Any) -> tuple[str, ...]:
    domains = tuple(d.lower().removeprefix("www.") for d in _strings(source, "domains", value))
    for i, domain in enumerate(domains):
        if "/" in domain or ":" in domain or " " in domain:
            raise _fail(source, f"domains[{i}]", f"expected a bare host name, got {domain!r}")
    return domains


def _quality(source: str, value: Any) -> Mapping[str, float]:
    table = _table(source, "quality", value)
    out = {}
    for name, number in table.items():
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise _fail(source, f"quality.{name}", "expected a number")
        out[name] = float(number)
    try:  # known keys and ranges: the quality gate's own check (newscrawler.quality)
        Thresholds().updated(out, f"{source}: key 'quality'")
    except ValueError as exc:
        raise ProfileError(str(exc)) from None
    return MappingProxyType(out)


def _shortcodes(source: str, value: Any) -> Mapping[str, str]:
    table = _table(source, "shortcodes", value)
    for name, kind in table.items():
        if kind not in SHORTCODE_KINDS:
            raise _fail(
                source, f"shortcodes.{name}", f"kind must be one of {sorted(SHORTCODE_KINDS)}"
            )
    return MappingProxyType(dict(table))


def _read_also(source: str, value: Any) -> Mapping[str, tuple[str, ...]]:
    table = _table(source, "read_also", value)
    return MappingProxyType(
        {lang: _strings(source, f"read_also.{lang}", phrases) for lang, phrases in table.items()}
    )


def parse_profile(data: Mapping[str, Any], source: str) -> Profile:
    """Validate a decoded TOML document into a Profile; ProfileError names `source` and the key."""
    for key in data:
        if key not in TOP_KEYS:
            raise _fail(source, key, f"unknown key; expected one of {sorted(TOP_KEYS)}")
    name = data.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise _fail(source, "name", "required: lower-case letters, digits, '-' or '_'")
    urls = _table(source, "urls", data.get("urls", {}))
    for key in urls:
        if key not in URL_KEYS:
            raise _fail(source, f"urls.{key}", f"unknown key; expected one of {sorted(URL_KEYS)}")
    language = data.get("language")
    generic = data.get("generic", False)
    if not isinstance(generic, bool):
        raise _fail(source, "generic", "expected true or false")
    description = data.get("description")
    if description is not None and not isinstance(description, str):
        raise _fail(source, "description", "expected a string")
    if language is not None and (not isinstance(language, str) or not language.isalpha()):
        raise _fail(source, "language", "expected an ISO 639-1 code such as 'fr'")
    return Profile(
        name=name,
        domains=_domains(source, data.get("domains", [])),
        start_urls=_strings(source, "start_urls", data.get("start_urls", [])),
        sitemaps=_strings(source, "sitemaps", data.get("sitemaps", [])),
        feeds=_strings(source, "feeds", data.get("feeds", [])),
        article_url_patterns=_regexes(source, "urls.article", urls.get("article", [])),
        listing_url_patterns=_regexes(source, "urls.listing", urls.get("listing", [])),
        selectors=_selectors(source, data.get("selectors", {})),
        read_also_phrases=_read_also(source, data.get("read_also", {})),
        shortcodes=_shortcodes(source, data.get("shortcodes", {})),
        quality=_quality(source, data.get("quality", {})),
        language=language.lower() if isinstance(language, str) else None,
        generic=generic,
        description=description,
    )


def load_profile_file(path: Path) -> Profile:
    """Read and validate one profile file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"{path}: cannot read: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: not valid TOML: {exc}") from exc
    return parse_profile(data, str(path))


def builtin_profiles() -> Iterator[Profile]:
    """The profiles shipped with newscrawler, sorted by file name."""
    folder = resources.files("newscrawler").joinpath(BUILTIN_DIR)
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            yield load_profile_file(Path(str(entry)))


def load_profile(name_or_path: str) -> Profile:
    """A built-in profile by name, or a profile file by path (ending in .toml)."""
    if name_or_path.endswith(".toml"):
        return load_profile_file(Path(name_or_path))
    for profile in builtin_profiles():
        if profile.name == name_or_path:
            return profile
    known = ", ".join(p.name for p in builtin_profiles())
    raise ProfileError(f"no profile named {name_or_path!r} (known: {known})")


def host_of(url: str) -> str:
    """Lower-case host without "www." ("" when the URL has none)."""
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def profile_for_url(url: str) -> Profile | None:
    """The built-in profile whose domains include the URL's host (or a parent domain)."""
    host = host_of(url)
    for profile in builtin_profiles():
        if any(host == d or host.endswith(f".{d}") for d in profile.domains):
            return profile
    return None


def for_site(profile: Profile, url: str) -> Profile:
    """A generic profile (e.g. `wordpress`) applied to one site: named after the site's host."""
    if not profile.generic:
        return profile
    host = host_of(url)
    return replace(profile, name=host or profile.name, domains=(host,) if host else ())
