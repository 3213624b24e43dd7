"""Delimited glossaries: the OmegaT TSV glossary and CSV with a header row.

OmegaT TSV (no header), one line per English rendering::

    中共中央组织部<TAB>Organization Department of the CPC Central Committee<TAB>comment
    中共中央组织部<TAB>Central Organization Department

The first line of a Chinese term gives its preferred rendering, later lines with
the same term add alternatives (``en_admitted``); the comment becomes ``note``.
Blank lines and lines starting with ``#`` are skipped.

CSV has a header naming its columns (:data:`CSV_COLUMNS`, case-insensitive, with
a few aliases); columns holding several values separate them with ``|``. Rows
with the same ``zh`` are merged into one entry.

Both are UTF-8 (a BOM and CRLF line ends are fine). Surrounding whitespace is
never significant in any field. Every problem is a :class:`FormatError` with the
line it is on; writers to a path replace the file atomically.
"""
from __future__ import annotations

import csv
import io
from typing import Iterable

from glossary.errors import FormatError
from glossary.formats import PathLike, Target, decode_utf8, is_stream, open_text_output, read_bytes
from glossary.model import Entry

# -- OmegaT TSV ------------------------------------------------------------


def read_tsv(path: PathLike) -> list[Entry]:
    """Read an OmegaT glossary (``zh<TAB>en<TAB>comment``); repeated ``zh`` adds alternatives."""
    text = decode_utf8(path, read_bytes(path))
    entries: dict[str, Entry] = {}
    # Split on "\n" only: str.splitlines would also split on U+2028, U+0085, ...
    for lineno, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip() or line.startswith("#"):
            continue
        if "\t" not in line:
            raise FormatError(path, lineno, "no tab between the Chinese term and its English rendering")
        zh, en, *rest = line.split("\t")
        zh, en = zh.strip(), en.strip()
        if not zh:
            raise FormatError(path, lineno, "the Chinese term (first column) is empty")
        if not en:
            raise FormatError(path, lineno, f"the English rendering of {zh} (second column) is empty")
        comment = " ".join(part.strip() for part in rest if part.strip())
        entry = Entry(zh=zh, en=en, note=comment)
        if zh in entries:
            entries[zh].merge(entry)
        else:
            entries[zh] = entry
    return list(entries.values())


def _cell(value: str) -> str:
    """A TSV cell: tabs and line breaks become spaces."""
    return value.replace("\t", " ").replace("\r", " ").replace("\n", " ").strip()


def write_tsv(entries: Iterable[Entry], path_or_stream: Target) -> None:
    """Write the OmegaT form: one line per accepted rendering, preferred first.

    ``read_tsv`` gives back ``zh``, ``en``, ``en_admitted`` and ``note``; the other
    fields have no place in this format. The note goes on the first line.
    """
    with open_text_output(path_or_stream, newline="") as out:
        for entry in entries:
            zh = _cell(entry.zh)
            for i, en in enumerate(entry.accepted):
                note = _cell(entry.note) if i == 0 else ""
                out.write(f"{zh}\t{_cell(en)}\t{note}\n" if note else f"{zh}\t{_cell(en)}\n")


# -- CSV with a header -----------------------------------------------------

CSV_COLUMNS = (
    "zh",
    "zh_traditional",
    "zh_variants",
    "en",
    "en_admitted",
    "en_deprecated",
    "en_forbidden",
    "pinyin",
    "type",
    "field",
    "note",
    "source",
)
#: Columns holding several values, separated by ``|``.
MULTI_VALUED = ("zh_variants", "en_admitted", "en_deprecated", "en_forbidden")
SEPARATOR = "|"
#: Other names accepted in a header for our columns.
ALIASES = {
    "chinese": "zh",
    "source_term": "zh",
    "english": "en",
    "target_term": "en",
    "comment": "note",
    "definition": "note",
}


def _column(name: str) -> str:
    key = name.strip().lstrip("\ufeff").strip().lower().replace(" ", "_").replace("-", "_")
    return ALIASES.get(key, key)


def _header(path: PathLike, lineno: int, row: list[str]) -> list[str | None]:
    """Our field name for each column of the header (None for an unnamed column)."""
    columns: list[str | None] = []
    unknown: list[str] = []
    seen: dict[str, str] = {}
    for name in row:
        if not name.strip():
            columns.append(None)  # e.g. the empty column of a trailing comma
            continue
        column = _column(name)
        if column not in CSV_COLUMNS:
            unknown.append(name.strip())
        elif column in seen:
            both = f"columns '{seen[column]}' and '{name.strip()}' both give {column}"
            raise FormatError(path, lineno, both)
        else:
            seen[column] = name.strip()
        columns.append(column)
    if unknown:
        raise FormatError(
            path, lineno, f"unknown column(s) {', '.join(unknown)} (known: {', '.join(CSV_COLUMNS)})"
        )
    if "zh" not in seen or "en" not in seen:
        raise FormatError(path, lineno, "the header needs a 'zh' and an 'en' column")
    return columns


def read_csv(path: PathLike) -> list[Entry]:
    """Read a CSV glossary whose first row names the columns (at least ``zh`` and ``en``).

    Multi-valued columns are split on ``|``; rows with the same ``zh`` are merged.
    """
    text = decode_utf8(path, read_bytes(path))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    entries: dict[str, Entry] = {}
    columns: list[str | None] | None = None
    start = 1  # the line a record starts on (a quoted value may span lines)
    try:
        for row in reader:
            lineno, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if columns is None:
                columns = _header(path, lineno, row)
                continue
            if len(row) != len(columns):
                raise FormatError(path, lineno, f"{len(row)} fields, but the header has {len(columns)}")
            entry = _csv_entry(path, lineno, columns, row)
            if entry.zh in entries:
                entries[entry.zh].merge(entry)
            else:
                entries[entry.zh] = entry
    except csv.Error as error:
        raise FormatError(path, reader.line_num, f"bad CSV quoting: {error}") from None
    return list(entries.values())


def _csv_entry(path: PathLike, lineno: int, columns: list[str | None], row: list[str]) -> Entry:
    values: dict[str, object] = {}
    for column, cell in zip(columns, row):
        if column is None:
            continue
        if column in MULTI_VALUED:
            values[column] = [v.strip() for v in cell.split(SEPARATOR) if v.strip()]
        else:
            values[column] = cell.strip()
    if not values.get("zh"):
        raise FormatError(path, lineno, "the Chinese term (column zh) is empty")
    if not values.get("en"):
        raise FormatError(path, lineno, f"the English rendering of {values['zh']} (column en) is empty")
    return Entry(**values)  # type: ignore[arg-type]


def write_csv(entries: Iterable[Entry], path_or_stream: Target) -> None:
    """Write a CSV with the header :data:`CSV_COLUMNS`.

    Lossless for every field but ``id``: ``read_csv`` gives the entries back
    (entries with the same ``zh`` come back merged). A ``|`` inside a value of a
    multi-valued column cannot be written: :class:`FormatError`, and a target
    file is left as it was.
    """
    name = None if is_stream(path_or_stream) else path_or_stream
    with open_text_output(path_or_stream, newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for entry in entries:
            row = []
            for column in CSV_COLUMNS:
                value = getattr(entry, column)
                if column in MULTI_VALUED:
                    for item in value:
                        if SEPARATOR in item:
                            raise FormatError(
                                name, None, f"{entry.zh}: {column} value {item!r} contains "
                                f"'{SEPARATOR}', which separates values in CSV")
                    value = SEPARATOR.join(value)
                row.append(value)
            writer.writerow(row)
