"""XLIFF 1.2 and 2.0: stream the bilingual segments of a file a CAT tool wrote.

:func:`iter_xliff` yields one :class:`XliffSegment` per ``<trans-unit>`` (1.2,
also 1.0/1.1) or per ``<segment>`` of a ``<unit>`` (2.0), in document order,
``<group>`` nesting included.

* **Streaming.** ``lxml`` ``iterparse`` through :mod:`glossary.xmlsafe`; each
  unit is cleared and dropped from the tree once read.
* **Hostile XML.** A DOCTYPE or entity declaration is refused before the parser
  runs (as in :mod:`tm.tmx`): nothing is expanded, fetched or read.
* **Languages** come from the file: ``<file source-language target-language>``
  (1.2; each ``<file>`` may differ) or ``<xliff srcLang trgLang>`` (2.0). They are
  reported on every segment, never assumed ("" where the file gives none).
* **Text.** Elements that wrap translatable text (``g``, ``mrk`` in 1.2;
  ``pc``, ``mrk`` in 2.0) contribute their text; every code (``x``, ``bx``,
  ``ex``, ``bpt``, ``ept``, ``ph``, ``it`` in 1.2; ``ph``, ``sc``, ``ec``, ``sm``,
  ``em`` in 2.0) becomes one placeholder character (:func:`tm.unit.placeholder`,
  counted per side from 0), its native code dropped; ``<cp hex="…">`` (2.0)
  is the character it names. Text, white space included, is kept as in the file.
* **Skipped.** Units marked ``translate="no"``; 1.2 ``<seg-source>``
  sub-segmentation is not used (the whole ``<source>``/``<target>`` is one segment).
  A missing ``<target>`` is an empty target: untranslated, not an error.
* **Errors** are :class:`~glossary.errors.FormatError` naming the file and line:
  a DOCTYPE, malformed XML, a root other than ``<xliff>``, an unknown version,
  a unit without ``<source>``, an empty file.
"""
from __future__ import annotations

from typing import Iterator, NamedTuple

from lxml import etree

from glossary import xmlsafe
from glossary.errors import FormatError
from glossary.formats import PathLike, open_input
from tm.unit import placeholder

DOCTYPE_MESSAGE = "DOCTYPE/entity declarations are not allowed in XLIFF (security)"
EMPTY_MESSAGE = "empty file"

#: Elements whose content is translatable text, by major version.
_WRAPPERS = {1: frozenset({"g", "mrk"}), 2: frozenset({"pc", "mrk"})}
#: Elements that stand for a code (one placeholder each), by major version.
_CODES = {1: frozenset({"x", "bx", "ex", "bpt", "ept", "ph", "it"}),
          2: frozenset({"ph", "sc", "ec", "sm", "em"})}


class XliffSegment(NamedTuple):
    """One segment: ``source``/``target`` text with placeholders for codes.

    ``number`` is its 1-based position among the segments of the file, ``line``
    the line of its ``<source>``, ``id`` the unit's id (with ``/`` and the
    segment's id for 2.0 segments that have one), languages as the file gives them.
    """

    source: str
    target: str
    number: int
    line: int | None
    id: str
    source_lang: str
    target_lang: str


def _version(path: PathLike, root: etree._Element) -> int:
    """1 or 2 from the root's namespace, else its ``version`` attribute."""
    xmlsafe.check_no_dtd(path, root, DOCTYPE_MESSAGE)
    name = xmlsafe.local_name(root)
    if name != "xliff":
        raise FormatError(path, root.sourceline or 1, f"not an XLIFF file (root element <{name}>)")
    namespace = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    version = namespace.rsplit(":", 1)[-1] if namespace.startswith("urn:oasis:names:tc:xliff:document:") \
        else root.get("version", "")
    major = version.split(".", 1)[0]
    if major not in ("1", "2"):
        shown = version or "none"
        raise FormatError(path, root.sourceline or 1, f"unsupported XLIFF version {shown!r} (1.2 or 2.0 expected)")
    return int(major)


def inline_text(path: PathLike, element: etree._Element, major: int) -> str:
    """The text of a ``<source>``/``<target>`` with codes as placeholders (see the module docstring)."""
    parts: list[str] = []
    count = [0]

    def walk(node: etree._Element) -> None:
        parts.append(node.text or "")
        for child in node:
            name = xmlsafe.local_name(child)
            if name in _WRAPPERS[major]:
                walk(child)
            elif major == 2 and name == "cp":
                parts.append(_code_point(path, child))
            elif name:  # a code, or an element we do not know: one placeholder
                try:
                    parts.append(placeholder(count[0]))
                except ValueError as error:
                    raise FormatError(path, child.sourceline, str(error)) from None
                count[0] += 1
            parts.append(child.tail or "")

    walk(element)
    return "".join(parts)


def _code_point(path: PathLike, element: etree._Element) -> str:
    value = element.get("hex", "")
    try:
        return chr(int(value, 16))
    except (ValueError, OverflowError):
        raise FormatError(path, element.sourceline, f"<cp hex={value!r}> is not a code point") from None


def _translatable(element: etree._Element) -> bool:
    """``translate`` of the element or, where it has none, of its nearest ancestor that has one
    (a <group> or <file> marked translate="no" holds units nobody translates)."""
    for node in (element, *element.iterancestors()):
        value = node.get("translate")
        if value is not None:
            return value.strip().lower() != "no"
    return True


def iter_xliff(path: PathLike) -> Iterator[XliffSegment]:
    """Stream the segments of an XLIFF 1.x or 2.x file (see the module docstring).

    Raises :class:`FormatError` for a file that is not safe, not well-formed or
    not XLIFF, possibly after earlier segments were yielded.
    """
    with open_input(path) as stream:
        xmlsafe.check_prolog(path, stream, DOCTYPE_MESSAGE, EMPTY_MESSAGE)
        stream.seek(0)
        events = xmlsafe.iterparse(stream)
        major = 0
        source_lang = target_lang = ""
        number = 0
        try:
            for event, element in events:
                name = xmlsafe.local_name(element)
                if not major:
                    major = _version(path, element)
                    if major == 2:
                        source_lang, target_lang = element.get("srcLang", ""), element.get("trgLang", "")
                    continue
                if major == 1 and event == "start" and name == "file":
                    source_lang = element.get("source-language", "")
                    target_lang = element.get("target-language", "")
                    continue
                if event != "end" or name not in ("trans-unit", "unit"):
                    continue
                if major == 1 and name == "trans-unit":
                    found = _unit_1(path, element)
                elif major == 2 and name == "unit":
                    found = _unit_2(path, element)
                else:
                    continue
                for source, target, line, ident in found:
                    number += 1
                    yield XliffSegment(source, target, number, line, ident, source_lang, target_lang)
                element.clear(keep_tail=False)
                parent = element.getparent()
                if parent is not None:
                    while element.getprevious() is not None:
                        del parent[0]
        except etree.XMLSyntaxError as error:
            raise xmlsafe.syntax_error(path, error, EMPTY_MESSAGE) from None
        if not major:
            raise FormatError(path, None, EMPTY_MESSAGE)


def _source_and_target(element: etree._Element) -> tuple[etree._Element | None, etree._Element | None]:
    """The first <source> and the first <target> child of ``element`` (None where missing)."""
    source = target = None
    for child in element:
        name = xmlsafe.local_name(child)
        if name == "source" and source is None:
            source = child
        elif name == "target" and target is None:
            target = child
    return source, target


def _unit_1(path: PathLike, unit: etree._Element) -> list[tuple[str, str, int | None, str]]:
    if not _translatable(unit):
        return []
    source, target = _source_and_target(unit)
    if source is None:
        raise FormatError(path, unit.sourceline, "<trans-unit> without <source>")
    return [(inline_text(path, source, 1), inline_text(path, target, 1) if target is not None else "",
             source.sourceline, unit.get("id", ""))]


def _unit_2(path: PathLike, unit: etree._Element) -> list[tuple[str, str, int | None, str]]:
    if not _translatable(unit):
        return []
    found = []
    ident = unit.get("id", "")
    for segment in unit:
        if xmlsafe.local_name(segment) != "segment":
            continue
        source, target = _source_and_target(segment)
        if source is None:
            raise FormatError(path, segment.sourceline, "<segment> without <source>")
        segment_id = segment.get("id")
        found.append((inline_text(path, source, 2), inline_text(path, target, 2) if target is not None else "",
                      source.sourceline, f"{ident}/{segment_id}" if segment_id else ident))
    return found
