"""How much of a new document the translation memory covers, in the bands agencies quote by.

Each segment is counted once, in the first band that applies: ``101`` (context
match), ``repetition`` (the same source earlier in the document), ``100``,
``95-99``, ``85-94``, ``75-84``, ``50-74``, ``no match``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from glossary.words import characters, words

from .fuzzy import FuzzyMatch, segment_key
from .store import Memory

ROWS = ("101", "repetition", "100", "95-99", "85-94", "75-84", "50-74", "no match")


@dataclass
class SegmentResult:
    source: str
    band: str
    best: FuzzyMatch | None


@dataclass
class Analysis:
    """Counts per band (segments, characters, words) and the best match of every segment."""

    segments: list[SegmentResult] = field(default_factory=list)

    def totals(self) -> dict[str, dict[str, int]]:
        table = {row: {"segments": 0, "characters": 0, "words": 0} for row in ROWS}
        for result in self.segments:
            cell = table[result.band]
            cell["segments"] += 1
            cell["characters"] += characters(result.source)
            cell["words"] += len(words(result.source))
        table["total"] = {k: sum(table[row][k] for row in ROWS) for k in ("segments", "characters", "words")}
        return table

    def to_dict(self) -> dict:
        return {
            "bands": self.totals(),
            "segments": [
                {"source": r.source, "band": r.band,
                 "match": r.best.to_dict() if r.best else None}
                for r in self.segments
            ],
        }


def analyze(memory: Memory, segments: Sequence[str], minimum: float = 50) -> Analysis:
    """Look every segment up (with its predecessor as context) and put it in its band."""
    analysis = Analysis()
    seen: set[str] = set()
    previous = None
    for source in segments:
        key = segment_key(source)
        matches = memory.lookup(source, minimum=minimum, limit=1, previous=previous)
        best = matches[0] if matches else None
        if best and best.band == "101":
            name = "101"
        elif key in seen:
            name = "repetition"
        elif best:
            name = best.band
        else:
            name = "no match"
        seen.add(key)
        analysis.segments.append(SegmentResult(source, name, best))
        previous = source
    return analysis
