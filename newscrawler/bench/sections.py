"""Extra report sections: tables that other measurements add to `make bench` (extension point).

Why: some figures are not a field of the extracted article, such as the page-kind verdict
measured against the labelled page types of WCXB (a confusion table). Such a measurement lives in
its own module under newscrawler/bench/ with a module-level `SECTION` (a `Section`), and is listed
in `SECTION_MODULES` below. The report then collects it for each corpus and each half, puts its
data under "sections" in the JSON, and prints its lines after the per-group table.

A section's `collect` sees the page results (page, expected values, predicted article) and returns
JSON-ready data, or None when it has nothing to say about this corpus (such as no page types).
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from newscrawler.bench.runner import PageResult

# Modules that define SECTION; a module missing from this checkout is skipped.
SECTION_MODULES: tuple[str, ...] = ("newscrawler.bench.pagekind",)


class Section(Protocol):
    """One extra table of the report."""

    name: str  # key under "sections" in the JSON report

    def collect(self, results: Sequence[PageResult]) -> dict[str, Any] | None:
        """The section's figures for these pages, or None when it does not apply."""

    def render(self, data: dict[str, Any]) -> list[str]:
        """Printable lines for the data that `collect` returned (a title line first)."""


@cache
def registered() -> tuple[Section, ...]:
    """The sections of SECTION_MODULES that exist in this checkout, in that order."""
    found: list[Section] = []
    for module_name in SECTION_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise  # the module exists but one of its imports is broken: say so
            continue
        section = getattr(module, "SECTION", None)
        if section is not None:  # a module that does not (yet) declare a section adds none
            found.append(section)
    return tuple(found)


def collect(results: Sequence[PageResult]) -> dict[str, dict[str, Any]]:
    """Data of every section that applies to these results, by section name."""
    data: dict[str, dict[str, Any]] = {}
    for section in registered():
        found = section.collect(results)
        if found is not None:
            data[section.name] = found
    return data


def render(data: dict[str, dict[str, Any]]) -> list[str]:
    """Printed lines of the collected sections (each preceded by a blank line)."""
    lines: list[str] = []
    for section in registered():
        if section.name in data:
            lines += ["", *section.render(data[section.name])]
    return lines
