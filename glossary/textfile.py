"""Reading a plain-text document (a file or standard input) with a clear error."""
from __future__ import annotations

import codecs
import sys

from .errors import FormatError
from .formats import read_bytes


def decode_text(name: str, data: bytes, encoding: str = "utf-8") -> str:
    """Decode a document's bytes; an undecodable byte is a :class:`FormatError` on its line.

    A UTF-8 BOM is dropped; an empty or blank document is an error too.
    """
    if not data.strip():
        raise FormatError(name, None, "empty file")
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise FormatError(name, None, f"unknown encoding {encoding!r}") from None
    if encoding.replace("-", "").replace("_", "").lower() == "utf8" and data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        hint = " (try --encoding gb18030 or --encoding big5)" if encoding.lower() in ("utf-8", "utf8") else ""
        raise FormatError(name, line, f"not valid {encoding} (byte 0x{data[error.start]:02X}){hint}") from None


def read_text(path: str, encoding: str = "utf-8") -> str:
    """The text of ``path``, or of standard input when ``path`` is ``-``."""
    if path == "-":
        return decode_text("<stdin>", sys.stdin.buffer.read(), encoding)
    return decode_text(path, read_bytes(path), encoding)
