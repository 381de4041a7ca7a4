"""What an extraction change did to a dataset: re-extracted articles compared with an earlier JSONL.

The earlier file is read once into a compact index (id -> one 8-byte digest per compared field),
so a large dataset costs about 150 bytes an article, not its text. Compared: every schema field
except those that say when or where the page was fetched or delivered.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newscrawler.items import Article

NOT_COMPARED = frozenset({"crawled_at", "revision", "schema_version", "archive", "id"})
COMPARED = tuple(name for name in Article.__dataclass_fields__ if name not in NOT_COMPARED)
_DIGEST = 8


def _digest(value: Any) -> bytes:
    encoded = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(encoded.encode("utf-8"), digest_size=_DIGEST).digest()


def fingerprint(article: Mapping[str, Any]) -> bytes:
    """The compared fields of an article as one string of per-field digests."""
    return b"".join(_digest(article.get(name)) for name in COMPARED)


@dataclass
class ChangeReport:
    """Per-field counts of what differs between an earlier JSONL and this re-extraction."""

    earlier: dict[str, bytes]
    fields: Counter[str] = field(default_factory=Counter)
    changed: int = 0
    unchanged: int = 0
    new: int = 0
    seen: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, path: Path) -> ChangeReport:
        """Index an earlier JSONL (ValueError naming the line when it is not JSON Lines)."""
        earlier: dict[str, bytes] = {}
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                try:
                    article = json.loads(line)
                except ValueError as exc:
                    raise ValueError(f"{path}:{number}: not a JSON line: {exc}") from None
                if isinstance(article, dict) and article.get("id"):
                    earlier[str(article["id"])] = fingerprint(article)
        return cls(earlier)

    def diff(self, article: Mapping[str, Any]) -> list[str] | None:
        """Fields that changed (["*new*"] for an article the earlier file lacks); None: same."""
        key = str(article.get("id"))
        self.seen.add(key)
        before = self.earlier.get(key)
        if before is None:
            self.new += 1
            return ["*new*"]
        now = fingerprint(article)
        changed = [
            name
            for index, name in enumerate(COMPARED)
            if before[index * _DIGEST : (index + 1) * _DIGEST]
            != now[index * _DIGEST : (index + 1) * _DIGEST]
        ]
        if not changed:
            self.unchanged += 1
            return None
        self.changed += 1
        self.fields.update(changed)
        return changed

    @property
    def missing(self) -> int:
        """Articles of the earlier file that this re-extraction did not emit."""
        return sum(1 for key in self.earlier if key not in self.seen)

    def lines(self) -> list[str]:
        out = [
            f"Compared with the earlier file: {self.changed} changed, {self.new} new, "
            f"{self.unchanged} unchanged, {self.missing} not emitted again"
        ]
        if self.fields:
            listed = ", ".join(f"{name} {n}" for name, n in self.fields.most_common())
            out.append(f"Changed fields: {listed}")
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "changed": self.changed,
            "new": self.new,
            "unchanged": self.unchanged,
            "missing": self.missing,
            "fields": dict(self.fields.most_common()),
        }
