"""A bilingual TSV translation memory: one ``Chinese<TAB>English`` pair per line.

Reading (:func:`iter_tsv`) streams the file line by line:

* exactly two columns; a line without a tab, or with more than one, is a
  :class:`~glossary.errors.FormatError` on its line;
* blank lines are skipped (they are not units); surrounding white space of each
  column is not significant;
* a line whose Chinese or English is empty is skipped and counted in ``stats``
  (``"empty Chinese segment"`` / ``"empty English segment"``, as in TMX);
* UTF-8, with or without a BOM, LF or CRLF line ends; a byte that is not UTF-8
  is a :class:`FormatError` on its line; a file with nothing but blank lines is
  ``FormatError(path, None, "empty file")``.

Units get ``source_lang`` ``zh-CN`` and ``target_lang`` ``en`` and nothing else:
the format has no place for metadata.

Writing (:func:`write_tsv`) writes each unit's :func:`~tm.unit.plain` text: TSV has
no inline markup, so inline codes (and all metadata) are dropped; export to TMX
to keep them. Tabs and line breaks inside a segment become spaces. A path is
replaced atomically.
"""
from __future__ import annotations

import codecs
from typing import Iterable, Iterator

from glossary.errors import FormatError
from glossary.formats import PathLike, Target, open_input, open_text_output
from tm.formats import EMPTY_CHINESE, EMPTY_ENGLISH, ReadStats
from tm.unit import TranslationUnit, plain



def iter_tsv(path: PathLike, stats: ReadStats | None = None) -> Iterator[TranslationUnit]:
    """Stream the units of a ``zh<TAB>en`` file; ``stats.read`` counts non-blank lines.

    A problem is raised as :class:`FormatError` when its line is reached, after
    the units before it were yielded.
    """
    stats = stats if stats is not None else ReadStats()
    seen_text = False
    with open_input(path) as stream:
        # Iterating a binary file splits on b"\n" only (not on U+2028, U+0085…).
        for lineno, raw in enumerate(stream, start=1):
            if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8):]
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                byte = raw[error.start]
                raise FormatError(
                    path, lineno, f"not valid UTF-8 (byte 0x{byte:02X}; save the file as UTF-8)"
                ) from None
            line = line.rstrip("\n").rstrip("\r")
            if "\x00" in line:  # what no TM can store (PostgreSQL text refuses it)
                raise FormatError(path, lineno, "a NUL byte: a binary file, or UTF-16 (save the file as UTF-8)")
            if not line.strip():
                continue
            seen_text = True
            columns = line.split("\t")
            if len(columns) == 1:
                raise FormatError(path, lineno, "no tab between the Chinese segment and its English translation")
            if len(columns) > 2:
                raise FormatError(
                    path, lineno, f"{len(columns)} columns: a TM line is Chinese<TAB>English, with one tab"
                )
            stats.read += 1
            zh, en = columns[0].strip(), columns[1].strip()
            if not zh:
                stats.skip(EMPTY_CHINESE)
                continue
            if not en:
                stats.skip(EMPTY_ENGLISH)
                continue
            yield TranslationUnit(source=zh, target=en)
    if not seen_text:
        raise FormatError(path, None, "empty file")


def _cell(text: str) -> str:
    """A TSV cell: the text without placeholders, tabs and line breaks made spaces."""
    return plain(text).replace("\t", " ").replace("\r", " ").replace("\n", " ").strip()


def write_tsv(units: Iterable[TranslationUnit], path_or_stream: Target) -> int:
    """Write ``zh<TAB>en`` lines (plain text only); returns how many lines were written.

    A unit whose Chinese or English is empty once inline codes are dropped is
    not written (it could not be read back).
    """
    count = 0
    with open_text_output(path_or_stream, newline="") as out:
        for unit in units:
            zh, en = _cell(unit.source), _cell(unit.target)
            if zh and en:
                out.write(f"{zh}\t{en}\n")
                count += 1
    return count
