"""Aligned document pairs as translation units: into the TM, or out as TMX.

The bridge between :mod:`aligned.batch`, which knows nothing of translation
memories, and :mod:`tm.store` / :mod:`tm.tmx`.
"""
from __future__ import annotations

import os
from typing import Callable

from aligned.batch import AlignedPair, segments, write_pair as write_text

from .formats import write_units
from .store import Memory, with_context
from .unit import TranslationUnit

def units(pair: AlignedPair, doc_id: str) -> list[TranslationUnit]:
    """One unit per bead with both sides, in order, each with its neighbours as context,
    its bead index as position and the bead's confidence."""
    origin = os.path.basename(pair.zh_path)
    return list(with_context(
        TranslationUnit(source=zh, target=en, origin=origin, doc_id=doc_id, position=position,
                        confidence=confidence)
        for position, zh, en, confidence in segments(pair)))


def write_pair(pair: AlignedPair, path, fmt: str, doc_id: str = "") -> None:
    """Write ``pair`` as align, tsv, json (:mod:`aligned.batch`) or tmx, atomically."""
    if fmt == "tmx":
        write_units(units(pair, doc_id or os.path.splitext(os.path.basename(pair.zh_path))[0]), path)
    else:
        write_text(pair, path, fmt, doc_id)


def into(memory: Memory) -> Callable[[AlignedPair, str], int]:
    """A sink for :func:`aligned.batch.align_batch` adding each pair to ``memory`` (one transaction each)."""
    return lambda pair, doc_id: memory.add(units(pair, doc_id)).added
