"""The corpus metrics, exactly as the corpus README defines them (so figures compare).

- body: tokens are maximal runs of `\\w+` (case kept); shingles are the multiset of token 4-grams
  (a text of 1-3 tokens is one shingle). Page precision/recall over shingle multisets; corpus
  precision = mean over pages with a non-empty prediction, corpus recall = mean over all pages,
  F1 = harmonic mean of the two means.
- headline: exact after collapsing whitespace and stripping.
- authors and topics: equal sets after collapsing whitespace and case-folding.
- date: same calendar day as written in the expected value (the prediction is moved to the
  expected offset when both carry one); same minute where both carry a time.
- description: exact, like the headline.
- word F1 (WCXB's own metric): tokens are `\\w+` runs of the lower-cased text; per page P and R
  over the multiset intersection; an empty reference scores 1 when the prediction is empty too.
- with / without: the share of a page's `with` (`without`) snippets found in the prediction
  (case-insensitive substring); a page without snippets counts 1.0.
- authors, loosely (for corpora whose author is one annotated string, such as WCXB): see
  `loose_author_match`.
A field whose expected value is null or empty is not scored on that page (returns None).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

_TOKEN = re.compile(r"\w+")
Shingle = tuple[str, ...]


def tokens(text: str | None) -> list[str]:
    """Maximal runs of Unicode word characters, case kept.

    >>> tokens("Hello, wörld! 3.14")
    ['Hello', 'wörld', '3', '14']
    """
    return _TOKEN.findall(text or "")


def shingles(text: str | None) -> Counter[Shingle]:
    """Multiset of token 4-grams; a text of 1-3 tokens is a single shingle.

    >>> sorted(shingles("a b c d e").items())
    [(('a', 'b', 'c', 'd'), 1), (('b', 'c', 'd', 'e'), 1)]
    >>> shingles("a b")
    Counter({('a', 'b'): 1})
    """
    toks = tokens(text)
    if len(toks) < 4:
        return Counter([tuple(toks)]) if toks else Counter()
    return Counter(tuple(toks[i : i + 4]) for i in range(len(toks) - 3))


@dataclass(frozen=True)
class BodyScore:
    """One page's body score: precision is None when the prediction has no shingle."""

    precision: float | None
    recall: float

    @property
    def f1(self) -> float:
        p = self.precision or 0.0
        return 2 * p * self.recall / (p + self.recall) if p + self.recall else 0.0


def body_score(predicted: str | None, expected: str | None) -> BodyScore | None:
    """Shingle precision/recall of one page; None when the expected body is empty."""
    truth = shingles(expected)
    if not truth:
        return None
    pred = shingles(predicted)
    common = sum((pred & truth).values())
    precision = common / sum(pred.values()) if pred else None
    return BodyScore(precision, common / sum(truth.values()))


@dataclass(frozen=True)
class BodyTotals:
    """Corpus body figures: mean precision (non-empty predictions), mean recall, F1."""

    precision: float
    recall: float
    f1: float
    pages: int
    empty: int


def body_totals(scores: Iterable[BodyScore]) -> BodyTotals:
    """Aggregate page scores as the README says (F1 of the two means, not mean of F1)."""
    scores = list(scores)
    precisions = [s.precision for s in scores if s.precision is not None]
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(s.recall for s in scores) / len(scores) if scores else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return BodyTotals(p, r, f1, len(scores), len(scores) - len(precisions))


def collapse(text: str) -> str:
    """Whitespace runs to one space, stripped."""
    return " ".join(text.split())


def text_match(predicted: object, expected: object) -> bool | None:
    """Exact match after collapsing whitespace; None when nothing is expected."""
    if not isinstance(expected, str) or not expected.strip():
        return None
    return isinstance(predicted, str) and collapse(predicted) == collapse(expected)


def _name_set(values: Sequence[object]) -> set[str]:
    return {collapse(v).casefold() for v in values if isinstance(v, str) and v.strip()}


def word_f1(predicted: str | None, expected: str | None) -> float:
    """WCXB's word F1 of one page: lower-cased `\\w+` tokens, multiset overlap.

    >>> word_f1("The cat sat", "the cat sat down")
    0.8571428571428571
    >>> word_f1("", ""), word_f1("x", "")
    (1.0, 0.0)
    """
    truth = Counter(tokens((expected or "").lower()))
    pred = Counter(tokens((predicted or "").lower()))
    if not truth:
        return 1.0 if not pred else 0.0
    common = sum((pred & truth).values())
    if not common:
        return 0.0
    p, r = common / sum(pred.values()), common / sum(truth.values())
    return 2 * p * r / (p + r)


def snippet_rate(predicted: str | None, snippets: object) -> float:
    """The share of `snippets` found in the prediction (case-insensitive); 1.0 without snippets.

    >>> snippet_rate("Hello World, again", ["hello world", "bye"])
    0.5
    >>> snippet_rate(None, [])
    1.0
    """
    wanted = [s for s in snippets if isinstance(s, str) and s] if isinstance(snippets, list) else []
    if not wanted:
        return 1.0
    text = (predicted or "").casefold()
    return sum(s.casefold() in text for s in wanted) / len(wanted)


def loose_author_match(predicted: object, expected: object) -> bool | None:
    """One annotated author string (maybe several names, maybe with credentials) against the
    predicted names: a match when one side's words all occur in the other's (case-folded `\\w+`
    words), so "Jillian Kubala" matches "Jillian Kubala, MS, RD" and ["A B", "C D"] matches
    "A B and C D". None when nothing is expected.

    >>> loose_author_match(["Jillian Kubala"], ["Jillian Kubala, MS, RD"])
    True
    >>> loose_author_match(["Ann Lee", "Bo Chan"], ["Ann Lee and Bo Chan"])
    True
    >>> loose_author_match(["Staff"], ["Ann Lee"]), loose_author_match([], ["Ann Lee"])
    (False, False)
    """
    if not isinstance(expected, list):
        return None
    truth = {w for v in expected if isinstance(v, str) for w in tokens(v.casefold())}
    if not truth:
        return None
    names = [v for v in predicted if isinstance(v, str)] if isinstance(predicted, list) else []
    got = {w for v in names for w in tokens(v.casefold())}
    if not got:
        return False
    return got <= truth or truth <= got


def set_match(predicted: object, expected: object) -> bool | None:
    """Equal sets of names after collapsing whitespace and case-folding; None if none expected."""
    if not isinstance(expected, list) or not _name_set(expected):
        return None
    got = _name_set(predicted) if isinstance(predicted, list) else set()
    return got == _name_set(expected)


def parse_date(value: object) -> tuple[datetime, bool] | None:
    """(datetime, carries a time) from an ISO 8601 string; None when it does not parse.

    A value without a time part, or exactly midnight, is taken as a date without time.
    >>> parse_date("2024-11-22")
    (datetime.datetime(2024, 11, 22, 0, 0), False)
    """
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = datetime.combine(date.fromisoformat(text[:10]), time())
        except ValueError:
            return None
        return parsed, False
    has_time = len(text) > 10 and parsed.time() != time()
    return parsed, has_time


def _aligned(pred: datetime, exp: datetime) -> datetime:
    """The prediction as written in the expected value's offset (when both carry one)."""
    if pred.tzinfo is not None and exp.tzinfo is not None:
        return pred.astimezone(exp.tzinfo)
    return pred


def same_day(predicted: object, expected: object) -> bool | None:
    """Same calendar day as written in the expected value; None when nothing is expected."""
    exp = parse_date(expected)
    if exp is None:
        return None
    pred = parse_date(predicted)
    if pred is None:
        return False
    return _aligned(pred[0], exp[0]).date() == exp[0].date()


def same_minute(predicted: object, expected: object) -> bool | None:
    """Same minute where both sides carry a time; None when either has no time."""
    exp = parse_date(expected)
    pred = parse_date(predicted)
    if exp is None or not exp[1] or pred is None or not pred[1]:
        return None
    a, b = _aligned(pred[0], exp[0]), exp[0]
    return a.replace(second=0, microsecond=0, tzinfo=None) == b.replace(
        second=0, microsecond=0, tzinfo=None
    )
