"""Translation-memory files on disk: pick TMX or TSV by the file's extension.

* ``.tmx`` → TMX 1.4b (:mod:`tm.tmx`), lossless.
* ``.tsv``, ``.txt`` → a bilingual ``Chinese<TAB>English`` file (:mod:`tm.tsv`),
  text only.
* Anything else is a :class:`~glossary.errors.FormatError`.

Readers are generators and fill a :class:`ReadStats` as they go.
"""
from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from glossary.errors import FormatError
from glossary.formats import PathLike
from tm.unit import TranslationUnit

TMX_EXTENSIONS = (".tmx",)
TSV_EXTENSIONS = (".tsv", ".txt")


#: Why a unit was skipped, as counted in :class:`ReadStats`.
NO_CHINESE = "no Chinese variant"
NO_ENGLISH = "no English variant"
EMPTY_CHINESE = "empty Chinese segment"
EMPTY_ENGLISH = "empty English segment"


@dataclass
class ReadStats:
    """What a reader saw: ``read`` units in the file, of which ``skipped`` were not yielded.

    ``reasons`` counts the skipped units by reason (e.g. ``"no English variant"``).
    """

    read: int = 0
    skipped: int = 0
    reasons: Counter = field(default_factory=Counter)

    @property
    def kept(self) -> int:
        """How many units were yielded."""
        return self.read - self.skipped

    def skip(self, reason: str) -> None:
        self.skipped += 1
        self.reasons[reason] += 1


def _kind(path: PathLike) -> str:
    ext = os.path.splitext(os.fspath(path))[1].lower()
    if ext in TMX_EXTENSIONS:
        return "tmx"
    if ext in TSV_EXTENSIONS:
        return "tsv"
    shown = f"'{ext}'" if ext else "(no extension)"
    known = ", ".join(TMX_EXTENSIONS + TSV_EXTENSIONS)
    raise FormatError(path, None, f"unknown translation memory format {shown}: use one of {known}")


def iter_units(path: PathLike, stats: ReadStats | None = None) -> Iterator[TranslationUnit]:
    """Stream the units of a TMX or TSV file, chosen by extension (see :func:`tm.tmx.iter_tmx`)."""
    from tm import tmx, tsv

    if _kind(path) == "tmx":
        return tmx.iter_tmx(path, stats)
    return tsv.iter_tsv(path, stats)


def write_units(units: Iterable[TranslationUnit], path: PathLike, srclang: str = "zh-CN") -> int:
    """Write ``units`` to ``path`` (atomically) in the format its extension names; returns the count.

    ``srclang`` is the source language the TMX header declares.
    """
    from tm import tmx, tsv

    if _kind(path) == "tmx":
        return tmx.write_tmx(units, path, srclang=srclang)
    return tsv.write_tsv(units, path)
