"""Reading XML files from strangers: what the TBX and TMX readers share.

* :func:`check_prolog` refuses a DOCTYPE (or any other ``<!`` declaration)
  before the root element, *before the parser runs*: no DTD ever reaches lxml,
  so neither entity expansion (billion laughs) nor external entities (XXE) can
  happen.
* :func:`iterparse` is ``lxml.etree.iterparse`` with every option that keeps the
  parser from loading, resolving or fetching anything.
* :func:`check_no_dtd` is the second line of defence: it refuses a document
  whose parsed tree has a DTD anyway (should the prolog check ever be bypassed).
* :func:`syntax_error` turns lxml's ``XMLSyntaxError`` into the
  :class:`~glossary.errors.FormatError` users see, with the line it is on.
"""
from __future__ import annotations

import codecs
import re
from typing import IO

from lxml import etree

from glossary.errors import FormatError
from glossary.formats import PathLike

# What may precede the root element besides a DOCTYPE: comments and PIs (closers).
_SKIPPED = {"<!--": "-->", "<?": "?>"}
_BLANK = "\ufeff\xef\xbb\xbf \t\r\n"  # a BOM (decoded either way) and white space
_LXML_POSITION = re.compile(r",? line \d+, column \d+$")


def check_prolog(path: PathLike, stream: IO[bytes], doctype_message: str, empty_message: str) -> None:
    """Refuse a DOCTYPE or any other ``<!`` declaration before the root element.

    Reads from the current position of ``stream`` up to the root's start tag,
    skipping the XML declaration, processing instructions and comments, and
    raises ``FormatError(path, line, doctype_message)`` for a declaration, or
    ``FormatError(path, None, empty_message)`` for a file with nothing but white
    space (and maybe a BOM). The caller seeks back before parsing.
    """
    head = stream.read(4)
    if head.startswith((codecs.BOM_UTF32_LE, b"<\x00\x00\x00")):
        encoding = "utf-32-le"
    elif head.startswith((codecs.BOM_UTF32_BE, b"\x00\x00\x00<")):
        encoding = "utf-32-be"
    elif head.startswith((codecs.BOM_UTF16_LE, b"<\x00")):
        encoding = "utf-16-le"
    elif head.startswith((codecs.BOM_UTF16_BE, b"\x00<")):
        encoding = "utf-16-be"
    else:
        # UTF-8, GB18030, Big5…: ASCII bytes are ASCII characters. (Anything more
        # exotic that hides a DOCTYPE is still refused by check_no_dtd.)
        encoding = "latin-1"
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    text = decoder.decode(head)
    pos, eof = 0, False
    while True:
        start = text.find("<", pos)
        if start >= 0 and len(text) - start >= 4:
            opener = next((o for o in _SKIPPED if text.startswith(o, start)), None)
            if opener is None and text.startswith("<!", start):
                raise FormatError(path, text.count("\n", 0, start) + 1, doctype_message)
            if opener is None:
                return  # the root element's start tag: the prolog is clean
            end = text.find(_SKIPPED[opener], start + len(opener))
            if end >= 0:
                pos = end + len(_SKIPPED[opener])
                continue
        if eof:
            if not text.strip(_BLANK):
                raise FormatError(path, None, empty_message)
            return  # no root element: the parser will say what is wrong
        chunk = stream.read(65536)
        eof = not chunk
        text += decoder.decode(chunk, final=eof)


def iterparse(stream: IO[bytes], events: tuple[str, ...] = ("start", "end")) -> etree.iterparse:
    """``lxml.etree.iterparse`` that loads no DTD, resolves no entity and fetches nothing.

    Comments and processing instructions are dropped.
    """
    return etree.iterparse(
        stream,
        events=events,
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        dtd_validation=False,
        huge_tree=False,
        collect_ids=False,
        remove_comments=True,
        remove_pis=True,
    )


def check_no_dtd(path: PathLike, element: etree._Element, doctype_message: str) -> None:
    """Refuse a document that has a DTD (``check_prolog`` should have caught it first)."""
    docinfo = element.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise FormatError(path, 1, doctype_message)


def syntax_error(path: PathLike, error: etree.XMLSyntaxError, empty_message: str) -> FormatError:
    """The :class:`FormatError` for a parse error: ``malformed XML: …`` on its line."""
    line = error.position[0] if error.position else error.lineno
    message = _LXML_POSITION.sub("", error.msg or str(error))
    last = error.error_log.last_error
    if not line and last is not None:  # e.g. an undefined entity: "no element found"
        line, message = last.line, last.message
    if "Document is empty" in message:
        return FormatError(path, None, empty_message)
    return FormatError(path, line or None, f"malformed XML: {message}")


def local_name(element: etree._Element) -> str:
    """The tag without its namespace; "" for comments, PIs and entities."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]
