"""Scoring a sentence alignment against gold: strict and lax precision, recall and F1.

The numbers are those of the published evaluation of Chinese–English aligners (Liu & Zhu 2022,
Bertalign; the lax measure after Sennrich & Volk 2011), so that our results can be set beside
theirs. This module re-implements the counting of Bertalign's ``eval.py`` (itself Vecalign's);
:func:`evaluate` says exactly what is counted.

An alignment is a list of :class:`Bead`: source sentence ids and target sentence ids, 0-based.
The ``.align`` format has one bead per line, ``[3]:[4,5]``; ``[7]:[]`` is a deleted source
sentence and ``[]:[3]`` an inserted target sentence ("null beads").
"""
from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, NamedTuple, Sequence

from glossary.errors import FormatError
from glossary.formats import read_bytes
from glossary.textfile import decode_text

__all__ = ["Bead", "Scores", "parse_beads", "read_beads", "format_beads", "evaluate",
           "evaluate_dirs"]

PathLike = str | os.PathLike


class Bead(NamedTuple):
    """One alignment bead: the source sentence ids and the target sentence ids (0-based).

    Either side may be empty (a deletion or an insertion), not both.
    """
    src: tuple[int, ...]
    tgt: tuple[int, ...]

    @property
    def is_null(self) -> bool:
        """True for a deletion ``[7]:[]`` or an insertion ``[]:[3]``."""
        return not self.src or not self.tgt


# ---------------------------------------------------------------- the .align format

_IDS = r"\[\s*([0-9]+(?:\s*,\s*[0-9]+)*)?\s*\]"
_LINE = re.compile(rf"\s*{_IDS}\s*:\s*{_IDS}\s*")


def _ids(group: str | None) -> tuple[int, ...]:
    return tuple(int(part) for part in group.split(",")) if group else ()


def parse_beads(text: str, name: str = "<input>") -> list[Bead]:
    """The beads of ``.align`` text, in file order; blank lines are skipped.

    A line that is not ``[ids]:[ids]`` (ids: non-negative integers separated by commas, spaces
    allowed anywhere between the tokens), a bead empty on both sides, or a sentence listed twice in
    one bead is a :class:`FormatError` naming ``name`` and the line number.
    """
    beads = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _LINE.fullmatch(line)
        if match is None:
            shown = line.strip()
            shown = shown if len(shown) <= 40 else shown[:40] + "…"
            raise FormatError(name, lineno, f"not a bead of the form [3]:[4,5]: {shown!r}")
        bead = Bead(_ids(match.group(1)), _ids(match.group(2)))
        if not bead.src and not bead.tgt:
            raise FormatError(name, lineno, "a bead with no sentence on either side ([]:[])")
        for side, ids in (("source", bead.src), ("target", bead.tgt)):
            if len(set(ids)) != len(ids):
                raise FormatError(name, lineno, f"a {side} sentence listed twice in one bead")
        beads.append(bead)
    return beads


def read_beads(path: PathLike) -> list[Bead]:
    """The beads of an ``.align`` file (UTF-8, a BOM tolerated). An empty file is no beads."""
    data = read_bytes(path)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        return []
    return parse_beads(decode_text(os.fspath(path), data, "utf-8", hint=""), os.fspath(path))


def format_beads(beads: Iterable[Bead]) -> str:
    """``.align`` text: one bead per line, ``[3]:[4,5]``, ending with a newline (empty if no beads)."""
    return "".join(f"[{','.join(map(str, src))}]:[{','.join(map(str, tgt))}]\n" for src, tgt in beads)


# ---------------------------------------------------------------- scores

@dataclass(frozen=True)
class Scores:
    """Precision, recall and F1 (0–1) and the counts they come from.

    ``hits`` of the ``predicted`` beads are right (precision = hits / predicted); ``recalled`` of
    the ``gold`` beads are found (recall = recalled / gold). The two numerators differ: precision
    and recall do not count the same beads (see :func:`evaluate`). A zero denominator gives 0.0.
    """
    precision: float
    recall: float
    f1: float
    hits: int
    predicted: int
    recalled: int
    gold: int

    @classmethod
    def from_counts(cls, hits: int, predicted: int, recalled: int, gold: int) -> "Scores":
        precision = hits / predicted if predicted else 0.0
        recall = recalled / gold if gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return cls(precision, recall, f1, hits, predicted, recalled, gold)

    def to_dict(self) -> dict[str, float | int]:
        return asdict(self)


class _Counts(NamedTuple):
    strict: int
    lax: int
    total: int


def _links(beads: Iterable[Bead]) -> dict[int, set[int]]:
    """Source id → every target id that some bead links it to."""
    links: dict[int, set[int]] = {}
    for src, tgt in beads:
        for s in src:
            links.setdefault(s, set()).update(tgt)
    return links


def _score_against(reference: set[Bead], candidates: set[Bead]) -> _Counts:
    """How many ``candidates`` are in ``reference`` (strict) or share a link with it (lax)."""
    links = _links(reference)
    strict = lax = 0
    for bead in candidates:
        if bead in reference:
            strict += 1
            lax += 1
        elif any(not links.get(s, set()).isdisjoint(bead.tgt) for s in bead.src):
            lax += 1
    return _Counts(strict, lax, len(candidates))


def _document_counts(gold: Sequence[Bead], predicted: Sequence[Bead]) -> tuple[_Counts, _Counts]:
    """(precision counts, recall counts) of one document."""
    gold_set = {Bead(tuple(s), tuple(t)) for s, t in gold if s or t}
    predicted_set = {Bead(tuple(s), tuple(t)) for s, t in predicted if s or t}
    precision = _score_against(gold_set, predicted_set)
    recall = _score_against({b for b in predicted_set if not b.is_null},
                            {b for b in gold_set if not b.is_null})
    return precision, recall


def evaluate(gold: Sequence[Sequence[Bead]], predicted: Sequence[Sequence[Bead]]) -> dict[str, Scores]:
    """Strict and lax scores of ``predicted`` against ``gold``, one list of beads per document.

    Returns ``{"strict": Scores, "lax": Scores}``. The counts are pooled: summed over all the
    documents, then P = hits / predicted, R = recalled / gold, F1 = 2PR / (P + R) (0.0 where a
    denominator is 0), as Bertalign's ``eval.py`` (``score_multiple``) does. In each document the
    beads are taken as a set (a bead listed twice counts once) and ids are compared as written.

    Precision counts every distinct predicted bead, null beads ``[7]:[]`` and ``[]:[3]`` included:

    * strict hit: the bead equals a gold bead exactly (a predicted null bead is a hit only if the
      gold has the very same null bead);
    * lax hit: a strict hit, or the bead shares at least one link with the gold, i.e. some gold
      bead overlaps it on the source side *and* on the target side (Bertalign: "its target ids
      overlap the targets that gold links to any of its source ids"). A null bead links nothing,
      so a null bead that is not an exact match is never a lax hit.

    Recall counts only the gold beads that are not null, and looks for them only among the
    predicted beads that are not null (Bertalign: "recall is precision with no insertion/deletion
    and swap args"):

    * strict: the gold bead is one of the predicted beads;
    * lax: the gold bead shares at least one link with the prediction (the mirror of lax precision).

    Where the one-line description in ``../shared/data/README.md`` differs, this follows
    Bertalign's code, since the published numbers come from it: the README says that recall
    counts null beads ("R = hits / gold beads (null beads included)"); the code leaves null beads
    out of recall on both sides and counts them only in precision, so precision's and recall's
    numerators differ (``Scores.hits`` and ``Scores.recalled``). The README describes lax only
    for precision; recall's lax is the mirror image.

    A document whose prediction is empty counts its gold beads in recall with no hit.
    """
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold documents but {len(predicted)} predicted ones")
    totals = [0] * 6  # strict hits, lax hits, predicted, strict recalled, lax recalled, gold
    for gold_beads, predicted_beads in zip(gold, predicted):
        precision, recall = _document_counts(gold_beads, predicted_beads)
        for i, value in enumerate((*precision, *recall)):
            totals[i] += value
    p_strict, p_lax, n_predicted, r_strict, r_lax, n_gold = totals
    return {"strict": Scores.from_counts(p_strict, n_predicted, r_strict, n_gold),
            "lax": Scores.from_counts(p_lax, n_predicted, r_lax, n_gold)}


def evaluate_dirs(gold_dir: PathLike, pred_dir: PathLike
                  ) -> tuple[dict[str, Scores], dict[str, dict[str, Scores]], list[str]]:
    """Score every gold ``NAME.align`` in ``gold_dir`` against ``pred_dir/NAME.align``.

    Returns ``(pooled, per_document, missing)``: the pooled scores (:func:`evaluate`), the
    scores of each document by NAME, and the NAMEs that have no prediction file. Files are paired
    by name (Bertalign's ``bin/eval.py`` pairs the sorted listings by position and scores only
    the files present). A missing prediction counts as a prediction of nothing: its gold beads
    stay in the recall denominator with no hit, so recall and F1 drop; it also appears in
    ``per_document``. A prediction without a gold file is ignored.

    A folder that is not there, a ``gold_dir`` without ``.align`` files, or a malformed file is a
    :class:`FormatError`.
    """
    gold_dir, pred_dir = Path(gold_dir), Path(pred_dir)
    for folder in (gold_dir, pred_dir):
        if not folder.is_dir():
            raise FormatError(folder, None, "not a folder")
    gold_files = sorted(p for p in gold_dir.glob("*.align") if p.is_file())
    if not gold_files:
        raise FormatError(gold_dir, None, "no gold .align files in this folder")
    gold, predicted, names, missing = [], [], [], []
    for gold_file in gold_files:
        name = gold_file.stem
        pred_file = pred_dir / gold_file.name
        if pred_file.is_file():
            predicted.append(read_beads(pred_file))
        else:
            predicted.append([])
            missing.append(name)
        gold.append(read_beads(gold_file))
        names.append(name)
    per_document = {name: evaluate([g], [p]) for name, g, p in zip(names, gold, predicted)}
    return evaluate(gold, predicted), per_document, missing
