"""Bilingual input for scoring and checks: a list of :class:`Segment` from whatever the editor has.

* ``read_parallel(src, tgt)``: two line-aligned text files, one segment per line;
* ``read_segments(path)``: one bilingual file, chosen by extension: TSV
  (``zh<TAB>en``), TMX, XLIFF 1.2 or 2.0 (``.xlf``, ``.xliff``);
* ``memory_segments(tm)``: every unit of a translation memory.

Segments keep their order; ``line`` is where the segment starts in its file
(1-based line for text files, unit number for XML: the ``<tu>`` in TMX, the
``<trans-unit>`` in XLIFF 1.2, the ``<segment>`` in XLIFF 2.0) so that messages
can name it. Text is stripped at both ends; an empty target is kept (it is what
the untranslated check looks for); a segment empty on both sides is dropped.
Errors are :class:`glossary.errors.FormatError` naming the file and line.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from glossary.errors import FormatError
from glossary.formats import PathLike

if TYPE_CHECKING:
    from tm.store import Memory


@dataclass(frozen=True)
class Segment:
    """One source sentence and its translation, as plain text (inline codes shown as ``{1}``)."""

    source: str
    target: str
    line: int | None = None


TSV_EXTENSIONS = (".tsv", ".txt")
TMX_EXTENSIONS = (".tmx",)
XLIFF_EXTENSIONS = (".xlf", ".xliff")


def _lines(path: str, encoding: str) -> list[str]:
    """The lines of a text file: BOM dropped, LF or CRLF, split on ``\\n`` only (not U+2028)."""
    from glossary.textfile import read_text

    text = read_text(path, encoding)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def read_parallel(src_path: PathLike, tgt_path: PathLike, encoding: str = "utf-8") -> list[Segment]:
    """Two line-aligned files, one segment per line: line *n* of one is the translation of line *n* of the other.

    Lines blank in both files are skipped (paragraph breaks); a line blank on one
    side only is a segment with that side empty. ``line`` is the 1-based line
    number. Files with different numbers of lines are a :class:`FormatError`
    naming both counts; a bad byte is one on its line; an empty file is one too.
    """
    src_path, tgt_path = str(src_path), str(tgt_path)
    sources, targets = _lines(src_path, encoding), _lines(tgt_path, encoding)
    if len(sources) != len(targets):
        raise FormatError(src_path, None,
                          f"{len(sources):,} lines, but {tgt_path} has {len(targets):,}: "
                          "the files must be line-aligned (one segment per line)")
    return [Segment(source.strip(), target.strip(), number)
            for number, (source, target) in enumerate(zip(sources, targets), 1)
            if source.strip() or target.strip()]


def read_segments(path: PathLike, encoding: str = "utf-8") -> list[Segment]:
    """The segments of one bilingual file, its format chosen by extension.

    * ``.tsv``, ``.txt``: ``Chinese<TAB>English`` per line (``encoding``, BOM and
      CRLF tolerated). Blank lines are skipped; an empty English column is kept
      as an empty target; a line without a tab or with more than one is a
      :class:`FormatError` on its line. ``line`` is the line number.
    * ``.tmx``: every ``<tu>`` with a Chinese variant (Simplified preferred, as in
      :mod:`tm.tmx`); no or an empty English variant is an empty target. ``line``
      is the unit's number in the file.
    * ``.xlf``, ``.xliff``: XLIFF 1.2 or 2.0 (:mod:`tm.xliff`); the file's source
      language must be Chinese and its target language English where it names
      them. ``line`` is the segment's number in the file.

    Inline codes are shown as ``{1}``, ``{2}``… An unknown extension is a
    :class:`FormatError` naming the known ones.
    """
    path = os.fspath(path)
    ext = os.path.splitext(path)[1].lower()
    if ext in TSV_EXTENSIONS:
        return _tsv_segments(path, encoding)
    if ext in TMX_EXTENSIONS:
        return list(_tmx_segments(path))
    if ext in XLIFF_EXTENSIONS:
        return list(_xliff_segments(path))
    shown = f"'{ext}'" if ext else "(no extension)"
    known = ", ".join(TSV_EXTENSIONS + TMX_EXTENSIONS + XLIFF_EXTENSIONS)
    raise FormatError(path, None, f"unknown bilingual format {shown}: use one of {known}")


def memory_segments(memory: "Memory") -> list[Segment]:
    """Every unit of a translation memory, in the order they were added; ``line`` counts from 1."""
    from tm.unit import readable

    return [Segment(readable(unit.source), readable(unit.target), number)
            for number, unit in enumerate(memory.units(), 1)]


def _tsv_segments(path: str, encoding: str) -> list[Segment]:
    segments = []
    for number, line in enumerate(_lines(path, encoding), 1):
        if not line.strip():
            continue
        columns = line.split("\t")
        if len(columns) == 1:
            raise FormatError(path, number, "no tab between the Chinese segment and its English translation")
        if len(columns) > 2:
            raise FormatError(path, number,
                              f"{len(columns)} columns: a bilingual line is Chinese<TAB>English, with one tab")
        segments.append(Segment(columns[0].strip(), columns[1].strip(), number))
    return segments


def _tmx_segments(path: str) -> Iterator[Segment]:
    """The units of a TMX file with Chinese, a unit without English kept (empty target)."""
    from tm.formats import ReadStats
    from tm.tmx import iter_tmx
    from tm.unit import readable

    stats = ReadStats()
    for unit in iter_tmx(path, stats, keep_empty=True):
        source, target = readable(unit.source).strip(), readable(unit.target).strip()
        if source or target:
            yield Segment(source, target, stats.read)  # the number of this <tu> in the file


def _xliff_segments(path: str) -> Iterator[Segment]:
    from tm.unit import readable
    from tm.xliff import iter_xliff

    checked = None
    for found in iter_xliff(path):
        languages = (found.source_lang, found.target_lang)
        if languages != checked:
            _check_languages(path, found)
            checked = languages
        source, target = readable(found.source).strip(), readable(found.target).strip()
        if source or target:
            yield Segment(source, target, found.number)


def _check_languages(path: str, found) -> None:
    """Chinese → English, where the file names its languages."""
    source, target = found.source_lang.strip().lower(), found.target_lang.strip().lower()
    if source and not source.startswith("zh"):
        raise FormatError(path, found.line, f"the source language is {found.source_lang!r}, not Chinese: "
                                            "tm works on Chinese→English files")
    if target and not target.startswith("en"):
        raise FormatError(path, found.line, f"the target language is {found.target_lang!r}, not English: "
                                            "tm works on Chinese→English files")
