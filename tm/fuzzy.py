"""Fuzzy matches as CAT tools show them: score, band, differences, numbers to change.

**Score** (percent, 0–100): ``100 × (1 − LD / max(len(a), len(b)))`` over the
normalised Chinese keys (:func:`segment_key`), LD the character Levenshtein
distance; shown to one decimal. A segment matches at ``min`` percent when its
exact score is at least ``min``, i.e. when ``LD ≤ max_distance(M, min)``.

**Bands**, as agencies quote them: ``101`` context match (same source and the
same previous segment), ``100`` exact, ``95-99`` where the only differences are
numbers, punctuation or whitespace (whatever the score) or the score is 95 or
more, then ``85-94``, ``75-84``, ``50-74`` by score, ``no match`` below 50.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Iterable

from rapidfuzz.distance import Levenshtein

from glossary.normalize import fold_width, to_simplified_aligned, zh_key

from .unit import plain, readable

BANDS = ("101", "100", "95-99", "85-94", "75-84", "50-74", "no match")
_CHINESE_NUMERALS = "零〇一二三四五六七八九十百千万亿两萬億兩點点"
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*%?|[零〇一二三四五六七八九十百千万亿两萬億兩]{2,}|百分之[零〇一二三四五六七八九十百千点]+")


def segment_key(text: str) -> str:
    """The normalised key a segment is matched by: placeholders removed, NFKC,
    full-width → half-width, Traditional → Simplified, whitespace folded."""
    return zh_key(plain(text))


def max_distance(longer: int, minimum: float) -> int:
    """The largest Levenshtein distance that still scores ``minimum`` percent or more.

    Exact (rational arithmetic): ``⌊longer × (100 − minimum) / 100⌋``.
    """
    return int(Fraction(longer) * (100 - Fraction(str(minimum))) / 100)


def score(a: str, b: str) -> float:
    """Match score in percent of two keys, unrounded: 100 for two equal (or empty) keys."""
    longer = max(len(a), len(b))
    if not longer:
        return 100.0
    return 100.0 * (1 - Levenshtein.distance(a, b) / longer)


def is_match(a: str, b: str, minimum: float) -> bool:
    """True when ``b`` matches ``a`` at ``minimum`` percent (the brute-force definition)."""
    return Levenshtein.distance(a, b) <= max_distance(max(len(a), len(b)), minimum)


def _skeleton(key: str) -> str:
    """The key without numbers, punctuation, symbols and spaces."""
    return "".join(
        c for c in key
        if not (c.isdigit() or c in _CHINESE_NUMERALS or c.isspace()
                or unicodedata.category(c)[0] in "PS")
    )


def band(query_key: str, match_key: str, value: float, context: bool = False) -> str:
    """The band of a match with score ``value`` (see the module docstring)."""
    if query_key == match_key:
        return "101" if context else "100"
    if value >= 95 or _skeleton(query_key) == _skeleton(match_key):
        return "95-99"
    for name, floor in (("85-94", 85), ("75-84", 75), ("50-74", 50)):
        if value >= floor:
            return name
    return "no match"


def numbers(text: str) -> list[str]:
    """Numbers written in ``text``: Arabic (``2,200``, ``3.5%``) and Chinese (``二十``, ``百分之五``)."""
    return _NUMBER.findall(fold_width(text))


def differing_numbers(query: str, stored: str) -> dict[str, list[str]]:
    """Numbers of the query missing from the stored source and the other way round."""
    wanted, had = numbers(query), numbers(stored)
    return {"query": [n for n in wanted if n not in had], "match": [n for n in had if n not in wanted]}


def differences(query: str, stored: str) -> list[tuple[str, int, int, str]]:
    """How ``stored`` differs from ``query``: ``(op, start, end, text)`` over ``stored``.

    ``op`` is ``equal``, ``replace`` (``text`` is what the query has there),
    ``delete`` (only in ``stored``) or ``insert`` (``start == end``; ``text`` only
    in the query). Offsets are into ``stored`` as given; compared after
    full-width folding and Traditional→Simplified, so script differences are no differences.
    """
    a = to_simplified_aligned(fold_width(stored))
    b = to_simplified_aligned(fold_width(query))
    out = []
    for op in Levenshtein.opcodes(a, b):
        tag = op.tag
        out.append((tag, op.src_start, op.src_end, query[op.dest_start:op.dest_end] if tag != "delete" else ""))
    return out


def marked(query: str, stored: str) -> str:
    """``stored`` with differences marked for plain text: ``[-only in stored-]{+only in query+}``."""
    parts = []
    for op, start, end, text in differences(query, stored):
        shown = readable(stored[start:end])
        if op == "equal":
            parts.append(shown)
        else:
            if end > start:
                parts.append(f"[-{shown}-]")
            if text:
                parts.append("{+" + readable(text) + "+}")
    return "".join(parts)


@dataclass
class FuzzyMatch:
    """One translation memory match for a query."""

    id: int
    source: str
    target: str
    score: float  # percent, rounded to one decimal
    band: str
    distance: int
    context: bool = False
    numbers: dict[str, list[str]] = field(default_factory=dict)
    diff: list[tuple[str, int, int, str]] = field(default_factory=list)
    origin: str = ""
    created_at: str = ""
    creator: str = ""

    def to_dict(self) -> dict:
        return {
            "source": readable(self.source), "target": readable(self.target), "score": self.score,
            "band": self.band, "distance": self.distance, "context": self.context,
            "numbers": self.numbers,
            "diff": [{"op": op, "start": s, "end": e, "query": t} for op, s, e, t in self.diff],
            "id": self.id, "origin": self.origin, "created_at": self.created_at, "creator": self.creator,
        }


def brute_force(query_key: str, keys: Iterable[tuple[int, str]], minimum: float) -> dict[int, int]:
    """Reference retrieval: ``{id: distance}`` of every key matching at ``minimum``, by scanning all."""
    found = {}
    for ident, key in keys:
        limit = max_distance(max(len(query_key), len(key)), minimum)
        distance = Levenshtein.distance(query_key, key, score_cutoff=limit)
        if distance <= limit:
            found[ident] = distance
    return found
