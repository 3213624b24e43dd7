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

import unicodedata
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Iterable, Iterator

from rapidfuzz.distance import Levenshtein

from glossary.normalize import fold_width, to_simplified_aligned, zh_key
from glossary.numerals import chinese_number_spans

from .unit import plain, readable



def segment_key(text: str) -> str:
    """The normalised key a segment is matched by: placeholders removed, NFKC,
    full-width → half-width, Traditional → Simplified, whitespace folded."""
    return zh_key(plain(text))


def max_distance(longer: int, minimum: float) -> int:
    """The largest Levenshtein distance that still scores ``minimum`` percent or more.

    Exact (rational arithmetic): ``⌊longer × (100 − minimum) / 100⌋``.
    """
    return int(Fraction(longer) * (100 - Fraction(str(minimum))) / 100)


def possible_lengths(m: int, minimum: float) -> range:
    """The key lengths that can score ``minimum`` percent against a key of length ``m``.

    Shorter keys ``n < m`` need ``m − n ≤ max_distance(m, minimum)``, longer ones
    ``n − m ≤ max_distance(n, minimum)`` (LD is at least the difference in
    length); ``n − max_distance(n, minimum)`` never decreases, so the lengths
    form one range. Raises ValueError unless ``0 < minimum ≤ 100``.
    """
    if not 0 < minimum <= 100:
        raise ValueError("the minimum score is a percentage above 0 and at most 100")
    low = max(0, m - max_distance(m, minimum))
    # n − m ≤ n·(100 − min)/100 ⇔ n ≤ 100·m/min; the floor in max_distance can only lower that.
    high = max(m, int(Fraction(100 * m) / Fraction(str(minimum))))
    while high > m and high - m > max_distance(high, minimum):
        high -= 1
    return range(low, high + 1)


def score(a: str, b: str) -> float:
    """Match score in percent of two keys, unrounded: 100 for two equal (or empty) keys."""
    longer = max(len(a), len(b))
    if not longer:
        return 100.0
    return 100.0 * (1 - Levenshtein.distance(a, b) / longer)


def distance_within(query_key: str, key: str, minimum: float) -> int | None:
    """The Levenshtein distance of two keys if they match at ``minimum`` percent, else None."""
    limit = max_distance(max(len(query_key), len(key)), minimum)
    distance = Levenshtein.distance(query_key, key, score_cutoff=limit)
    return distance if distance <= limit else None


def _skeleton(key: str) -> str:
    """The key without its numbers (as :mod:`glossary.numerals` reads them), punctuation,
    symbols and spaces: two keys with the same skeleton differ only in those."""
    spans = chinese_number_spans(key)
    kept, at = [], 0
    for start, end, _ in spans:
        kept.append(key[at:start])
        at = end
    kept.append(key[at:])
    return "".join(c for c in "".join(kept)
                   if not (c.isdigit() or c.isspace() or unicodedata.category(c)[0] in "PS"))


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


def numbers(text: str) -> list[tuple[str, float]]:
    """Numbers written in Chinese ``text`` with their values: ``[("2,200万", 22000000.0), ("两千", 2000.0)]``."""
    return [(text[start:end], value) for start, end, value in chinese_number_spans(text)]


def differing_numbers(query: str, stored: str) -> dict[str, list[str]]:
    """Numbers of the query whose value the stored source lacks, and the other way round,
    as written: ``兩千萬`` and ``两千万``, or ``1,000`` and ``1000``, are the same number."""
    wanted, had = numbers(query), numbers(stored)

    def missing(these, others):
        left = [value for _, value in others]
        out = []
        for surface, value in these:
            if value in left:
                left.remove(value)
            else:
                out.append(surface)
        return out

    return {"query": missing(wanted, had), "match": missing(had, wanted)}


def differences(query: str, stored: str) -> list[tuple[str, int, int, str]]:
    """How ``stored`` differs from ``query``: ``(op, start, end, text)``.

    Offsets are into ``readable(stored)``, the stored source as it is shown
    (inline tags as ``{1}``, which count as equal: tags are not text). ``op`` is
    ``equal``, ``replace`` (``text`` is what the query has there), ``delete``
    (only in the stored source) or ``insert`` (``start == end``; ``text`` only in
    the query). Compared after full-width folding and Traditional→Simplified,
    so a difference of script or width is no difference.
    """
    _, where = readable_with_offsets(stored)
    query_text = plain(query)
    a = to_simplified_aligned(fold_width(plain(stored)))
    b = to_simplified_aligned(fold_width(query_text))
    out = []
    for op in Levenshtein.opcodes(a, b):
        start = where[op.src_start]
        if op.tag == "equal":
            end = where[op.src_end]  # tags inside or right after an unchanged stretch belong to it
        else:
            end = where[op.src_end - 1] + 1 if op.src_end > op.src_start else start
        inserted = query_text[op.dest_start:op.dest_end] if op.tag != "delete" else ""
        out.append((op.tag, start, end, inserted))
    return out


def readable_with_offsets(text: str) -> tuple[str, list[int]]:
    """``readable(text)`` and, for each offset into ``plain(text)`` (end included), its offset there."""
    shown, where = [], []
    length = 0
    for char in text:
        if plain(char):
            where.append(length)
            shown.append(char)
            length += 1
        else:
            tag = readable(char)
            shown.append(tag)
            length += len(tag)
    where.append(length)
    return "".join(shown), where


def pieces(diff: list[tuple[str, int, int, str]], stored: str) -> Iterator[tuple[str, str]]:
    """The stored source as shown, cut by a :func:`differences` list into
    ``("same", text)``, ``("stored", only there)`` and ``("query", only in the query)``."""
    shown, _ = readable_with_offsets(stored)
    at = 0
    for op, start, end, text in diff:
        if start > at:
            yield "same", shown[at:start]  # tags between two changes
        if op == "equal":
            yield "same", shown[start:end]
        else:
            if end > start:
                yield "stored", shown[start:end]
            if text:
                yield "query", text
        at = max(at, end)
    if at < len(shown):
        yield "same", shown[at:]


def marked(query: str, stored: str) -> str:
    """The stored source as shown, with differences marked: ``[-only there-]{+only in the query+}``."""
    marks = {"same": "{}", "stored": "[-{}-]", "query": "{{+{}+}}"}
    return "".join(marks[kind].format(text) for kind, text in pieces(differences(query, stored), stored))


@dataclass
class FuzzyMatch:
    """One translation memory match for a query."""

    source: str
    target: str
    score: float  # percent, rounded to one decimal
    band: str
    distance: int
    context: bool = False
    id: int = 0
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
        distance = distance_within(query_key, key, minimum)
        if distance is not None:
            found[ident] = distance
    return found


def make_match(query: str, query_key: str, stored: str, target: str, key: str, distance: int,
               context: bool = False, **facts) -> FuzzyMatch:
    """A :class:`FuzzyMatch` of a stored unit for a query: score, band, numbers, differences."""
    longer = max(len(query_key), len(key))
    value = 100.0 * (1 - distance / longer) if longer else 100.0
    shown = round(value, 1)
    if shown >= 100 and key != query_key:
        shown = 99.9  # a difference, however small, is never shown as 100
    return FuzzyMatch(
        source=stored, target=target, score=shown, band=band(query_key, key, value, context),
        distance=distance, context=context, numbers=differing_numbers(query, plain(stored)),
        diff=differences(query, stored), **facts)
