"""Reading a plain-text document (a file or standard input) with a clear error."""
from __future__ import annotations

import codecs
import sys

from .errors import FormatError

#: What to tell a user whose file is not in the encoding expected.
ENCODING_HINT = " (try --encoding gb18030 or --encoding big5)"


def decode_text(name, data: bytes, encoding: str = "utf-8", empty: str = "empty file",
                hint: str = ENCODING_HINT) -> str:
    """Decode a file's bytes; an undecodable byte is a :class:`FormatError` on its line.

    A UTF-8 byte order mark is dropped. A blank file is ``FormatError(name, None, empty)``;
    a NUL byte (outside UTF-16/32) means a binary file, an error on its line.
    """
    try:
        canonical = codecs.lookup(encoding).name
    except LookupError:
        raise FormatError(name, None, f"unknown encoding {encoding!r}") from None
    if canonical == "utf-8" and data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    if b"\x00" in data and not canonical.startswith(("utf-16", "utf-32")):
        raise FormatError(name, data.count(b"\n", 0, data.index(b"\x00")) + 1, "binary file, not text")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        label = "UTF-8" if canonical == "utf-8" else encoding
        raise FormatError(name, line, f"not valid {label} (byte 0x{data[error.start]:02X}){hint}") from None
    if not text.strip():
        raise FormatError(name, None, empty)
    return text


def read_text(path: str, encoding: str = "utf-8") -> str:
    """The text of ``path``, or of standard input when ``path`` is ``-``."""
    if path == "-":
        return decode_text("<stdin>", sys.stdin.buffer.read(), encoding)
    from .formats import read_bytes

    return decode_text(path, read_bytes(path), encoding)
