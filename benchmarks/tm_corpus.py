"""Realistic synthetic translation memories for the benchmarks.

Segments of 10–80 characters are assembled from clauses of real Chinese
prose (the white papers and the WMT term set in ../shared/data when present,
else sentences put together from CC-CEDICT words), two to five clauses each,
in random order, so that a million of them are varied, not near-duplicates.
A tenth of the clauses is held out to build queries unrelated to the TM.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
_CLAUSE = re.compile(r"[^，。；：！？、\s]{4,30}")


def clauses() -> tuple[list[str], str]:
    files = sorted(SHARED.glob("examples/whitepapers/zh_raw/*")) + sorted(SHARED.glob("term-dev/*.zh"))
    if files:
        text = "\n".join(f.read_text(encoding="utf-8") for f in files)
        found = sorted(set(_CLAUSE.findall(text)))
        return found, f"{len(files)} files of ../shared/data"
    from glossary import cedict

    rng = random.Random(3)
    words = [e.simplified for e in cedict.entries()[::5] if 1 < len(e.simplified) < 5]
    return ["".join(rng.choices(words, k=rng.randint(2, 6))) for _ in range(40_000)], "CC-CEDICT words"


def write_tmx(segments: list[str], path: Path) -> None:
    """The segments as a TMX file, each with a placeholder English target."""
    from tm.tmx import write_tmx as write
    from tm.unit import TranslationUnit

    write((TranslationUnit(s, f"English translation number {i} of a Chinese news sentence.")
           for i, s in enumerate(segments)), path)


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (0–100) of ``values``, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


class Corpus:
    """Segments and queries drawn from clauses, reproducibly (``seed``)."""

    def __init__(self, seed: int = 11):
        self.rng = random.Random(seed)
        found, self.source = clauses()
        self.rng.shuffle(found)
        held = len(found) // 10
        self.held_out, self.clauses = found[:held], found[held:]

    def _segment(self, pool: list[str]) -> str:
        rng = self.rng
        while True:
            parts = rng.sample(pool, rng.randint(2, 5))
            text = "，".join(parts) + "。"
            if 10 <= len(text) <= 80:
                return text
            if len(text) > 80 and len(parts[0]) + 1 >= 10:
                return parts[0][:79] + "。"

    def segments(self, count: int) -> list[str]:
        return [self._segment(self.clauses) for _ in range(count)]

    def edited(self, text: str, low: float = 0.01, high: float = 0.30) -> str:
        """``text`` with 1–30% of its length changed by random edits."""
        rng = self.rng
        chars = list(text)
        alphabet = "".join(self.clauses[:2000])
        for _ in range(max(1, round(len(chars) * rng.uniform(low, high)))):
            at = rng.randrange(len(chars) + 1)
            op = rng.choice("ids")
            if op == "i" or not chars or at == len(chars):
                chars.insert(at, rng.choice(alphabet))
            elif op == "d":
                del chars[at]
            else:
                chars[at] = rng.choice(alphabet)
        return "".join(chars)

    def unrelated(self, count: int) -> list[str]:
        return [self._segment(self.held_out) for _ in range(count)]
