"""Site profile selectors: CSS (parsel dialect, with ::text and ::attr()) or XPath ("xpath:...").

Why compiled and cached: a profile's few selectors run on every page of a crawl, so each is
translated and compiled once per process. A selector that does not compile is a profile error,
reported with the selector in the message (profiles are validated at load time with `compile`).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import cast

from lxml import etree
from lxml.html import HtmlElement
from parsel.csstranslator import HTMLTranslator

from newscrawler.text import normalize_text

_TRANSLATOR = HTMLTranslator()
XPATH_PREFIX = "xpath:"


class SelectorError(ValueError):
    """A profile selector that is neither valid CSS nor valid XPath."""


@lru_cache(maxsize=1024)
def compile_selector(selector: str) -> etree.XPath:
    """One selector as a compiled XPath; raises SelectorError naming the bad selector."""
    try:
        if selector.startswith(XPATH_PREFIX):
            return etree.XPath(selector[len(XPATH_PREFIX) :].strip())
        return etree.XPath(_TRANSLATOR.css_to_xpath(selector))
    except Exception as exc:  # cssselect and lxml raise unrelated error types
        raise SelectorError(f"invalid selector {selector!r}: {exc}") from exc


def elements(xpath: etree.XPath, node: etree._Element) -> list[HtmlElement]:
    """Run a precompiled XPath that selects elements only (typed for the callers)."""
    return cast(list[HtmlElement], xpath(node))


def _value(item: object) -> str:
    if isinstance(item, HtmlElement):
        return str(item.text_content())
    if isinstance(item, etree._Element):  # comments, processing instructions
        return ""
    return str(item)


def select_all(tree: HtmlElement, selectors: Iterable[str]) -> list[str]:
    """Values of the first selector (in order) that matches something non-empty.

    Elements give their text; ::text / ::attr() / XPath strings give themselves. A selector that
    does not compile is skipped here (the profile loader reports it); extraction never raises.
    """
    for selector in selectors:
        try:
            found = compile_selector(selector)(tree)
        except (SelectorError, etree.XPathError):
            continue
        items = found if isinstance(found, list) else [found]
        values = [v for item in items if (v := normalize_text(_value(item)))]
        if values:
            return values
    return []


def select_first(tree: HtmlElement, selectors: Iterable[str]) -> str | None:
    """The first value of `select_all`, or None."""
    values = select_all(tree, selectors)
    return values[0] if values else None


def select_elements(tree: HtmlElement, selectors: Iterable[str]) -> list[HtmlElement]:
    """Elements matched by the first selector that matches any element (for the body)."""
    for selector in selectors:
        try:
            found = compile_selector(selector)(tree)
        except (SelectorError, etree.XPathError):
            continue
        items = found if isinstance(found, list) else []
        matched = [e for e in items if isinstance(e, HtmlElement)]
        if matched:
            return matched
    return []
