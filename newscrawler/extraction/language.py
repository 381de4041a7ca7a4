"""Page language as ISO 639-1: declared (html lang, og:locale, JSON-LD) first, else detected.

Why declared first: it is free and usually right; detection (py3langid, model shipped in the
wheel, no download) costs a model load once per process and a few ms per page.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from functools import cache
from operator import itemgetter
from typing import Any

_CODE = re.compile(r"^\s*([a-zA-Z]{2})(?:$|[-_\s])")
_MIN_DETECT_CHARS = 40
_SAMPLE_CHARS = 3000
_CHECK_CHARS, _MIN_CHECK_CHARS = 600, 200
_MARGIN = 0.5  # log-probability per character by which another language must beat English


def iso_code(value: Any) -> str | None:
    """ "de-AT", "en_GB", "FR" -> "de", "en", "fr"; anything else -> None.

    >>> iso_code("en_GB"), iso_code("x-default"), iso_code(None)
    ('en', None, None)
    """
    if not isinstance(value, str):
        return None
    match = _CODE.match(value)
    return match.group(1).lower() if match else None


def detect(text: str) -> str | None:
    """The language of a text sample, or None when it is too short to tell."""
    sample = text[:_SAMPLE_CHARS]
    if len(sample.strip()) < _MIN_DETECT_CHARS:
        return None
    import py3langid  # loads its shipped model on first use (~1 s, once per process)

    try:
        code, _ = py3langid.classify(sample)
    except Exception:  # the detector is best effort; a missing language is allowed
        return None
    return iso_code(code)


# py3langid reads text with an automaton over its UTF-8 bytes, one byte at a time in Python (the
# most of a check's cost). After any SYNC_BYTES bytes, that automaton is in the same state
# whatever state it started from (proved for the model below by `synchronises`, tested), so
# the state after each byte depends only on the last SYNC_BYTES bytes and all states can be
# computed at once with numpy, SYNC_BYTES table lookups per byte. The scores are then computed
# exactly as py3langid computes them, so the ranking is the same. Any other model (another
# py3langid release) is read by py3langid itself.
SYNC_BYTES = 6
MODEL_DIGEST = "d1fbac71e33ccf4e6e3f7e1af796da79"


def model_digest(identifier: Any) -> str:
    """A digest of a py3langid model's automaton (transitions, rows, outputs)."""
    import numpy as np

    digest = hashlib.blake2b(memoryview(identifier.tk_nextmove).cast("B"), digest_size=16)
    digest.update(np.asarray(identifier._rowbase, dtype=np.int64).tobytes())
    digest.update(np.asarray(identifier.tk_output, dtype=np.int64).tobytes())
    return digest.hexdigest()


def synchronises(identifier: Any, steps: int) -> bool:
    """Whether every pair of start states reaches the same state after any `steps` bytes: the
    pairs that still differ are followed byte by byte (a few seconds)."""
    import numpy as np

    moves = np.frombuffer(identifier.tk_nextmove, dtype=np.uint32).astype(np.int64)
    rows = np.asarray(identifier._rowbase, dtype=np.int64)
    count = len(rows)
    first, second = np.arange(1, count, dtype=np.int64), np.zeros(count - 1, dtype=np.int64)
    for _ in range(steps):
        codes = np.zeros(0, dtype=np.int64)
        for start in range(0, 256, 16):  # 16 bytes at a time, to bound the memory
            pairs = [codes]
            for byte in range(start, start + 16):
                a, b = moves[rows[first] + byte], moves[rows[second] + byte]
                differ = a != b
                pairs.append(a[differ] * count + b[differ])
            codes = np.unique(np.concatenate(pairs))
        first, second = codes // count, codes % count
    return len(first) == 0


@cache
def _automaton() -> tuple[Any, Any, Any, Any] | None:
    """(identifier, transitions, row offsets, outputs) as numpy arrays, for the proven model."""
    import numpy as np
    import py3langid.langid

    try:
        identifier = py3langid.langid._get_identifier()
        if identifier._norm_probs or model_digest(identifier) != MODEL_DIGEST:
            return None
        moves = np.frombuffer(identifier.tk_nextmove, dtype=np.uint32)
        rows = np.asarray(identifier._rowbase, dtype=np.intp)
        outputs = np.asarray(identifier.tk_output, dtype=np.intp)
    except (AttributeError, TypeError, ValueError):  # another py3langid: its own code
        return None
    return identifier, moves, rows, outputs


def rank(text: str) -> list[tuple[str, float]]:
    """py3langid.rank(text), the same list, with the automaton run by numpy (see SYNC_BYTES)."""
    import numpy as np
    import py3langid

    model = _automaton()
    if model is None:
        return list(py3langid.rank(text))
    identifier, moves, rows, outputs = model
    data = identifier._encode(text)
    codes = np.frombuffer(data, dtype=np.uint8).astype(np.intp)
    size = len(codes)
    states = np.zeros(size, dtype=np.intp)
    for shift in range(min(SYNC_BYTES, size) - 1, -1, -1):  # byte i - shift moves state i
        states[shift:] = moves[rows[states[shift:]] + codes[: size - shift]]
    features = outputs[states]
    visits = Counter(features[features >= 0].tolist())  # as py3langid's visit_counts
    if visits:
        scores = identifier._sparse_score(visits, identifier.nb_ptc)
    else:
        scores = np.full(len(identifier.nb_classes), py3langid.langid.RAW_FLOOR, dtype=np.float32)
    for i, j in identifier._alias_pairs:  # as py3langid's _decide
        scores[i] = max(scores[i], scores[j])
        scores[j] = py3langid.langid.RAW_FLOOR
    merged: dict[str, float] = {}
    for code, score in zip(identifier.nb_classes, scores.tolist(), strict=True):
        merged.setdefault(code, score)
    return sorted(merged.items(), key=itemgetter(1), reverse=True)


def _overrules_default(text: str) -> str | None:
    """Another language when the text is clearly not in the CMS default "en", else None."""
    sample = text[:_CHECK_CHARS]
    if len(sample) < _MIN_CHECK_CHARS:
        return None
    try:
        ranked = rank(sample)
    except Exception:  # best effort: keep the declared language
        return None
    best, best_score = ranked[0]
    english = next((score for code, score in ranked if code == "en"), None)
    if best == "en" or english is None or best_score - english < _MARGIN * len(sample):
        return None
    return iso_code(best)


def page_language(*declared: Any, text: str = "") -> str | None:
    """The first well-formed declared code, else the detected language of `text`.

    A declared "en" is checked against the text: it is the default of many CMS themes, left in
    place on Swahili, Zulu or German sites, and the page language drives date parsing.
    """
    for value in declared:
        code = iso_code(value)
        if code == "en":
            return _overrules_default(text) or code
        if code:
            return code
    return detect(text)
