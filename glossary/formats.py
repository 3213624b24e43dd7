"""Glossary files on disk: pick the format from the extension, and the file rules
every format shares.

* :func:`read_glossary` / :func:`write_glossary` choose the reader or writer by
  extension: ``.tsv``, ``.txt``, ``.utf8`` → OmegaT TSV; ``.csv`` → CSV with a
  header; ``.tbx``, ``.xml`` → TBX. Anything else is a :class:`FormatError`.
* A file that cannot be read is a :class:`FormatError` naming it ("no such
  file"), never an ``OSError`` traceback.
* Writers never leave a half-written file: they write to a temporary file in
  the target's directory and ``os.replace`` it over the target only once
  everything was written (:func:`open_text_output`, :func:`open_binary_output`).
* Text formats are UTF-8; a BOM is tolerated, a bad byte is reported with its
  line (:func:`decode_utf8`).

The helpers are shared by :mod:`glossary.tsv` and :mod:`glossary.tbx`, which is
why the format modules are imported lazily below.
"""
from __future__ import annotations

import codecs
import contextlib
import io
import os
import tempfile
from typing import IO, Iterable, Iterator, Union

from glossary.errors import FormatError
from glossary.model import Entry
from glossary.textfile import decode_text

PathLike = Union[str, "os.PathLike[str]"]
#: A file name, or an open file (text or binary) that the writer writes into.
Target = Union[PathLike, IO]

TSV_EXTENSIONS = (".tsv", ".txt", ".utf8")
CSV_EXTENSIONS = (".csv",)
TBX_EXTENSIONS = (".tbx", ".xml")


def _kind(path: PathLike) -> str:
    ext = os.path.splitext(os.fspath(path))[1].lower()
    for kind, extensions in (("tsv", TSV_EXTENSIONS), ("csv", CSV_EXTENSIONS), ("tbx", TBX_EXTENSIONS)):
        if ext in extensions:
            return kind
    known = ", ".join(TSV_EXTENSIONS + CSV_EXTENSIONS + TBX_EXTENSIONS)
    shown = f"'{ext}'" if ext else "(no extension)"
    raise FormatError(path, None, f"unknown glossary format {shown}: use one of {known}")


def read_glossary(path: PathLike) -> list[Entry]:
    """Read a glossary, choosing TSV, CSV or TBX by the file's extension.

    Raises :class:`FormatError` for an unknown extension, a missing file, or
    any problem the format's reader finds.
    """
    from glossary import tbx, tsv

    kind = _kind(path)
    check_readable(path)
    if kind == "tsv":
        return tsv.read_tsv(path)
    if kind == "csv":
        return tsv.read_csv(path)
    return tbx.read_tbx(path)


def write_glossary(entries: Iterable[Entry], path: PathLike) -> None:
    """Write ``entries`` to ``path`` in the format its extension names (atomically)."""
    from glossary import tbx, tsv

    kind = _kind(path)
    if kind == "tsv":
        tsv.write_tsv(entries, path)
    elif kind == "csv":
        tsv.write_csv(entries, path)
    else:
        tbx.write_tbx(entries, path)


# -- reading ---------------------------------------------------------------


def check_readable(path: PathLike) -> None:
    """Raise :class:`FormatError` unless ``path`` is an existing regular file."""
    if not os.path.exists(path):
        raise FormatError(path, None, "no such file")
    if os.path.isdir(path):
        raise FormatError(path, None, "is a directory")


def open_input(path: PathLike) -> IO[bytes]:
    """Open ``path`` for reading bytes; OS errors become :class:`FormatError`."""
    check_readable(path)
    try:
        return open(path, "rb")
    except OSError as error:
        raise FormatError(path, None, f"cannot read the file: {error.strerror}") from None


def read_bytes(path: PathLike) -> bytes:
    """The whole content of ``path``; OS errors become :class:`FormatError`."""
    with open_input(path) as stream:
        try:
            return stream.read()
        except OSError as error:
            raise FormatError(path, None, f"cannot read the file: {error.strerror}") from None


def decode_utf8(path: PathLike, data: bytes) -> str:
    """Decode a UTF-8 glossary file's bytes, without a leading BOM.

    An empty (or blank) file is ``FormatError(path, None, "empty glossary file")``;
    a byte that is not UTF-8 is a :class:`FormatError` on the line it is in.
    """
    return decode_text(path, data, "utf-8", empty="empty glossary file", hint="; save the file as UTF-8")


# -- writing ---------------------------------------------------------------


def is_stream(target: Target) -> bool:
    """True for an open file (anything with ``write``), False for a path."""
    return hasattr(target, "write")


def _is_binary(stream: IO) -> bool:
    if isinstance(stream, io.TextIOBase):
        return False
    if isinstance(stream, (io.RawIOBase, io.BufferedIOBase)):
        return True
    return "b" in getattr(stream, "mode", "")


@contextlib.contextmanager
def atomic_file(path: PathLike, *, binary: bool = False, newline: str | None = None) -> Iterator[IO]:
    """A file that replaces ``path`` when the ``with`` block ends without error.

    It is a temporary file in the same directory (so ``os.replace`` is atomic);
    on any error it is removed and ``path`` is left as it was. The result keeps
    the permissions of the file it replaces (or the usual ones for a new file);
    writing through a symbolic link replaces the file it points to.
    """
    target = os.path.realpath(os.fspath(path))
    directory = os.path.dirname(target)
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=directory)
    except OSError as error:  # no such folder, no permission: say so about the user's path
        raise FormatError(path, None, f"cannot write here: {error.strerror}") from None
    try:
        if binary:
            stream = os.fdopen(fd, "wb")
        else:
            stream = os.fdopen(fd, "w", encoding="utf-8", newline=newline)
        with stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _mode_for(target: str) -> int:
    try:
        return os.stat(target).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def open_text_output(target: Target, *, newline: str | None = None) -> Iterator[IO[str]]:
    """A text stream writing to ``target``: a path (atomically, UTF-8) or an open file.

    An open binary file is wrapped to receive UTF-8; an open file is never closed.
    """
    if not is_stream(target):
        with atomic_file(target, newline=newline) as stream:
            yield stream
        return
    if _is_binary(target):
        wrapper = io.TextIOWrapper(target, encoding="utf-8", newline=newline, write_through=True)
        try:
            yield wrapper
            wrapper.flush()
        finally:
            wrapper.detach()
        return
    yield target


@contextlib.contextmanager
def open_binary_output(target: Target) -> Iterator[IO[bytes]]:
    """A binary stream writing UTF-8 to ``target``: a path (atomically) or an open file.

    An open text file receives the decoded text; an open file is never closed.
    """
    if not is_stream(target):
        with atomic_file(target, binary=True) as stream:
            yield stream
    elif _is_binary(target):
        yield target
    else:
        yield _Utf8ToText(target)


class _Utf8ToText:
    """Adapts an open text file to receive UTF-8 bytes."""

    def __init__(self, stream: IO[str]):
        self._stream = stream
        self._decoder = codecs.getincrementaldecoder("utf-8")()

    def write(self, data: bytes) -> int:
        self._stream.write(self._decoder.decode(data))
        return len(data)


#: Fields an OmegaT TSV glossary has no place for.
_NOT_IN_TSV = ("zh_variants", "zh_traditional", "en_deprecated", "en_forbidden", "pinyin", "type",
               "field", "source")


def add_to_file(path: PathLike, entry: Entry) -> Entry:
    """Add ``entry`` to the glossary file ``path`` (created if missing); returns the entry as stored.

    A TSV file is only appended to (its comments and layout stay as they were):
    one line per English rendering it does not have yet; fields a TSV cannot
    hold are refused, not dropped. A CSV file is rewritten with ``entry`` merged
    into any entry of the same headword. TBX files are not edited here, as
    they may hold what this tool does not keep.
    """
    from glossary import tsv

    kind = _kind(path)
    if kind == "tbx":  # refused before reading it
        raise FormatError(path, None, "tm glossary add edits TSV and CSV glossaries; "
                                      "edit a TBX file in your terminology tool")
    exists = os.path.exists(path) and os.path.getsize(path) > 0
    entries = read_glossary(path) if exists else []
    old = next((e for e in entries if e.zh == entry.zh), None)
    if kind == "tsv":
        lost = [name for name in _NOT_IN_TSV if getattr(entry, name)]
        if lost:
            raise FormatError(path, None, f"a TSV glossary cannot keep {', '.join(lost)}: use a .csv file")
        new = [en for en in entry.accepted if old is None or en not in old.accepted]
        before = read_bytes(path) if os.path.exists(path) else b""
        if before and not before.endswith(b"\n"):
            before += b"\n"
        lines = "".join(f"{entry.zh}\t{en}" + (f"\t{entry.note}" if entry.note and i == 0 and old is None else "")
                        + "\n" for i, en in enumerate(new))
        with atomic_file(path, binary=True) as out:
            out.write(before + lines.encode("utf-8"))
        return next(e for e in tsv.read_tsv(path) if e.zh == entry.zh)
    if old is not None:
        old.merge(entry)
    else:
        entries.append(entry)
    write_glossary(entries, path)
    return old or entry
