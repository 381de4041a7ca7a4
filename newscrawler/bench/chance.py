"""How far apart two halves of a corpus fall by chance, with the very same outputs.

`--halves` splits a corpus by site with a fixed hash, which is one draw among many possible
splits. With a few dozen to a few hundred pages a half, the halves' figures differ even when no
rule favours either half. Shuffling the same sites into two halves many times (seeded, so the
figures repeat) gives, per figure, the gap that most random splits stay within: a fixed split's
A - B beyond it points at a rule fitted to one half; a gap within it is what sampling alone makes.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from newscrawler.bench.corpus import HALVES
from newscrawler.bench.report import by_page_type, field_totals, half_rows
from newscrawler.bench.runner import FIELDS, PageResult

ROUNDS = 400
LEVEL = 0.9  # the share of random splits whose gap the reported bound covers
SEED = 0


def _figures(results: Sequence[PageResult], fields: Sequence[str]) -> dict[str, Any]:
    """The part of a summary that half_rows reads, without the costly rest."""
    return {
        "fields": list(fields),
        "overall": field_totals(results, fields),
        "page_types": {k: field_totals(g, fields) for k, g in by_page_type(results).items()},
        "speed": {},
    }


def chance_gaps(
    results: Sequence[PageResult],
    fields: Sequence[str] = FIELDS,
    *,
    rounds: int = ROUNDS,
    level: float = LEVEL,
    seed: int = SEED,
) -> dict[str, Any]:
    """{"gaps": {figure label: |A - B| bound}, "rounds", "level"}; no gaps under two sites.

    Each round deals the sites (never single pages: a site's pages share their markup) into
    two halves of equal site count, as the fixed split does in expectation.
    """
    by_site: dict[str, list[PageResult]] = defaultdict(list)
    for result in results:
        by_site[result.page.site].append(result)
    sites = sorted(by_site)
    found: dict[str, list[float]] = defaultdict(list)
    if len(sites) >= 2:
        rng = random.Random(seed)
        for _ in range(rounds):
            rng.shuffle(sites)
            cut = len(sites) // 2
            parts = (sites[:cut], sites[cut:])
            reports = {
                half: _figures([r for s in part for r in by_site[s]], fields)
                for half, part in zip(HALVES, parts, strict=True)
            }
            for label, (x, y) in half_rows(reports):
                if x is not None and y is not None:
                    found[label].append(abs(x - y))
    gaps = {label: _quantile(values, level) for label, values in found.items()}
    return {"gaps": gaps, "rounds": rounds, "level": level}


def _quantile(values: list[float], level: float) -> float:
    """The value that `level` of `values` do not exceed (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(level * len(ordered)) - 1)]
