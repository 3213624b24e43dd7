"""TMX 1.4b: stream translation units in, write them out, losing nothing.

Reading (:func:`iter_tmx`)
==========================

* **Streaming.** ``lxml`` ``iterparse``; each ``<tu>`` is turned into a
  :class:`~tm.unit.TranslationUnit` when its end tag is read, then cleared and
  removed from the tree with everything before it: memory does not grow with
  the file.
* **Languages** come from ``tuv/@xml:lang`` (or ``@lang``, TMX 1.1),
  case-insensitively: any ``zh…`` is Chinese, any ``en…`` English. Of the
  Chinese variants a Simplified one (``zh``, ``zh-CN``, ``zh-Hans``, ``zh-SG``,
  any ``zh`` code that is not Traditional) is preferred to a Traditional one
  (``zh-TW``, ``zh-HK``, ``zh-MO``, ``zh-Hant``); of several of a kind the first
  non-empty one is taken. The codes are kept exactly in ``source_lang`` /
  ``target_lang``. The header's ``srclang`` is not used (it may be ``*all*``).
* **Skipped units.** A TU without a Chinese variant, without an English one, or
  whose chosen Chinese or English segment is empty (nothing but white space and
  inline codes) is not yielded; ``stats`` counts it under one of
  :data:`tm.formats.NO_CHINESE`, :data:`~tm.formats.NO_ENGLISH`,
  :data:`~tm.formats.EMPTY_CHINESE`, :data:`~tm.formats.EMPTY_ENGLISH`.
* **Inline markup** (level 2). Every child element of ``<seg>`` (``bpt``,
  ``ept``, ``it``, ``ph``, ``hi``, with any ``sub``/``ut`` inside) becomes one
  placeholder (:func:`tm.unit.placeholder`, counted per segment from 0) and its
  XML (``etree.tostring(el, with_tail=False)``, without namespace declarations
  it does not need) goes into ``source_codes`` / ``target_codes`` at that index.
  ``<hi>`` is treated the same way: its text travels *inside* the code and is
  therefore not part of the matched text. That is the simplest lossless choice
  (a ``hi`` may itself contain ``bpt``/``ept`` pairs). Segment text, including
  white space at its ends, is kept exactly as in the file.
* **Attributes.** ``tuid`` → ``tuid``; ``creationdate`` → ``created_at``,
  ``creationid`` → ``creator``, ``changedate`` → ``changed_at``, ``changeid`` →
  ``changer`` (from the ``<tu>``, else from the chosen Chinese ``<tuv>``).
* **Props** of the ``<tu>``: ``x-context-pre`` (or OmegaT's ``prev``) →
  ``prev_source``, ``x-context-post`` (``next``) → ``next_source``, ``x-doc-id`` →
  ``doc_id``, ``x-origin`` → ``origin``, ``x-position`` → ``position`` (an
  integer), ``x-confidence`` → ``confidence`` (a finite number). The first
  non-empty, well-formed one of each fills the field; any other goes to
  ``extra["props"]`` like every other prop.
* **Everything else** that belongs to the unit is kept in ``extra`` so that
  :func:`write_tmx` reproduces it. Keys are present only when not empty::

      {"attrs":        {name: value},          # other <tu> attributes (usagecount,
                                               #   lastusagedate, o-encoding, datatype,
                                               #   segtype, srclang, creationtool…)
       "props":        [[type, lang, text]],   # <prop>s of the <tu> (lang "" if none)
       "notes":        [[lang, text]],         # <note>s of the <tu>
       "source_attrs": {name: value},          # attributes of the Chinese <tuv> but xml:lang
       "source_props": [[type, lang, text]],
       "source_notes": [[lang, text]],
       "target_attrs": …, "target_props": …, "target_notes": …,   # the English <tuv>
       "other_tuvs":   [xml]}                  # the other Chinese/English <tuv>s, as XML

  Variants in other languages are dropped, and so is the ``<header>`` (its props,
  notes and ``ude``). Prop and note text is kept exactly.
* **Errors.** Every problem is a :class:`~glossary.errors.FormatError` naming the
  file and, where known, the line: a DOCTYPE or any entity declaration is refused
  before the parser runs (no entity is ever expanded, no external file or URL
  ever read); malformed XML, a root other than ``<tmx>``, an empty file. A
  problem in the middle of a file is raised *after* the units before it were
  yielded: callers that must not keep half a file (the store) import in one
  transaction and roll it back.

Writing (:func:`write_tmx`)
===========================

A TMX 1.4b document with every required header attribute, written one unit at a
time (``etree.xmlfile``) and, to a path, atomically. Per unit: the ``<tu>``
attributes (``tuid``, dates and ids from the fields, then ``extra["attrs"]``),
its notes, the fields above as ``x-…`` props, ``extra["props"]``, then the
Chinese and English ``<tuv>`` (attributes, notes, props, ``<seg>`` with each
placeholder replaced by its element) and ``extra["other_tuvs"]``.
``list(iter_tmx(f))`` after ``write_tmx(units, f)`` gives back equal units for
units as :func:`iter_tmx` makes them (placeholders numbered in order, one code
each; no reserved prop type in ``extra["props"]`` standing in for an empty
field). A placeholder character without a code is written as the character.
Characters XML cannot carry (C0 controls but tab, CR and LF; U+FFFE, U+FFFF;
lone surrogates) are written as U+FFFD.
"""
from __future__ import annotations

import copy
import math
import re
from typing import Iterable, Iterator

from lxml import etree

from glossary import xmlsafe
from glossary.errors import FormatError
from glossary.formats import PathLike, Target, open_binary_output, open_input
from tm.formats import EMPTY_CHINESE, EMPTY_ENGLISH, NO_CHINESE, NO_ENGLISH, ReadStats
from tm.unit import TranslationUnit, placeholder, placeholder_index

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DOCTYPE_MESSAGE = "DOCTYPE/entity declarations are not allowed in TMX (security)"
EMPTY_MESSAGE = "empty file"

# <tu> attributes with a field of their own (and, but tuid, also taken from the Chinese <tuv>).
_ATTR_FIELDS = {
    "tuid": "tuid",
    "creationdate": "created_at",
    "creationid": "creator",
    "changedate": "changed_at",
    "changeid": "changer",
}
# <prop type> → text field; written with the first type of each field.
_TEXT_PROPS = {
    "x-context-pre": "prev_source",
    "prev": "prev_source",
    "x-context-post": "next_source",
    "next": "next_source",
    "x-doc-id": "doc_id",
    "x-origin": "origin",
}
_WRITTEN_TEXT_PROPS = (
    ("x-context-pre", "prev_source"),
    ("x-context-post", "next_source"),
    ("x-doc-id", "doc_id"),
    ("x-origin", "origin"),
)
_INTEGER = re.compile(r"\s*[+-]?[0-9]+\s*")

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPLIT_PLACEHOLDERS = re.compile("([\ue000-\uf8ff])")
_SIMPLIFIED, _TRADITIONAL, _ENGLISH = "zh-Hans", "zh-Hant", "en"
_CODE_PARSER = etree.XMLParser(
    resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False, remove_blank_text=False
)


# -- reading ---------------------------------------------------------------


def iter_tmx(path: PathLike, stats: ReadStats | None = None,
             keep_empty: bool = False) -> Iterator[TranslationUnit]:
    """Stream the Chinese→English units of a TMX file (1.4b, or 1.1 with ``lang``).

    ``stats``, if given, is filled as the file is read: ``read`` counts every
    ``<tu>``, ``skipped`` and ``reasons`` those not yielded (see the module
    docstring). ``keep_empty`` also yields units with an empty side or no English
    variant (target ""), as a checker of untranslated text wants them. Raises :class:`FormatError` for a file that is not safe, not
    well-formed or not TMX, possibly after earlier units were yielded.
    """
    stats = stats if stats is not None else ReadStats()
    with open_input(path) as stream:
        xmlsafe.check_prolog(path, stream, DOCTYPE_MESSAGE, EMPTY_MESSAGE)
        stream.seek(0)
        events = xmlsafe.iterparse(stream)
        namespace = None
        tu_tag = "tu"
        try:
            for event, element in events:
                if namespace is None:
                    namespace = _check_root(path, element)
                    tu_tag = "{%s}tu" % namespace if namespace else "tu"
                    continue
                if event != "end" or element.tag != tu_tag:
                    continue
                stats.read += 1
                unit = _unit(path, element, namespace, stats, keep_empty)
                element.clear(keep_tail=False)
                parent = element.getparent()
                if parent is not None:
                    while element.getprevious() is not None:
                        del parent[0]
                if unit is not None:
                    yield unit
        except etree.XMLSyntaxError as error:
            raise xmlsafe.syntax_error(path, error, EMPTY_MESSAGE) from None
        if namespace is None:
            raise FormatError(path, None, EMPTY_MESSAGE)


def _check_root(path: PathLike, root: etree._Element) -> str:
    """The root's namespace ("" for none) after checking that it is a safe ``<tmx>``."""
    xmlsafe.check_no_dtd(path, root, DOCTYPE_MESSAGE)
    name = xmlsafe.local_name(root)
    if name != "tmx":
        raise FormatError(path, root.sourceline or 1, f"not a TMX file (root element <{name}>)")
    return root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""


def _language(code: str) -> str:
    """:data:`_SIMPLIFIED`, :data:`_TRADITIONAL`, :data:`_ENGLISH` or "" for a language code."""
    subtags = code.strip().lower().replace("_", "-").split("-")
    if subtags[0].startswith("en"):
        return _ENGLISH
    if not subtags[0].startswith("zh"):
        return ""
    rest = set(subtags[1:])
    if "hans" in rest:
        return _SIMPLIFIED
    if rest & {"hant", "tw", "hk", "mo"}:
        return _TRADITIONAL
    return _SIMPLIFIED


def _code(element: etree._Element, namespace: str) -> str:
    """An inline element as XML, in no namespace if it is in the document's."""
    if element.nsmap or namespace:
        element = copy.deepcopy(element)
        if namespace:
            prefix = "{%s}" % namespace
            for inner in element.iter():
                if isinstance(inner.tag, str) and inner.tag.startswith(prefix):
                    inner.tag = inner.tag[len(prefix):]
        etree.cleanup_namespaces(element)
    return etree.tostring(element, with_tail=False, encoding="unicode")


class _Variant:
    """One ``<tuv>``: its language, segment (text with placeholders, codes), attributes, props, notes."""

    def __init__(self, path: PathLike, tuv: etree._Element, namespace: str):
        self.element = tuv
        self.lang = tuv.get(XML_LANG) or tuv.get("lang") or ""
        self.kind = _language(self.lang)
        self.attrs = {k: v for k, v in tuv.attrib.items() if k not in (XML_LANG, "lang")}
        self.props: list[list[str]] = []
        self.notes: list[list[str]] = []
        self.text = ""
        self.codes: list[str] = []
        seg = None
        for child in tuv:
            name = xmlsafe.local_name(child)
            if name == "prop":
                self.props.append(_prop(child))
            elif name == "note":
                self.notes.append(_note(child))
            elif name == "seg" and seg is None:
                seg = child
        if seg is not None:
            parts = [seg.text or ""]
            for child in seg:
                try:
                    parts.append(placeholder(len(self.codes)))
                except ValueError as error:
                    raise FormatError(path, child.sourceline, str(error)) from None
                self.codes.append(_code(child, namespace))
                parts.append(child.tail or "")
            self.text = "".join(parts)

    @property
    def empty(self) -> bool:
        return not _SPLIT_PLACEHOLDERS.sub("", self.text).strip()


def _prop(element: etree._Element) -> list[str]:
    lang = element.get(XML_LANG) or element.get("lang") or ""
    return [element.get("type", ""), lang, "".join(element.itertext())]


def _note(element: etree._Element) -> list[str]:
    lang = element.get(XML_LANG) or element.get("lang") or ""
    return [lang, "".join(element.itertext())]


def _choose(variants: list[_Variant], kinds: tuple[str, ...]) -> _Variant | None:
    """The first non-empty variant of the first kind that has one, else the first of any kind."""
    for kind in kinds:
        for variant in variants:
            if variant.kind == kind and not variant.empty:
                return variant
    return next((v for v in variants if v.kind in kinds), None)


def _unit(path: PathLike, tu: etree._Element, namespace: str, stats: ReadStats,
          keep_empty: bool = False) -> TranslationUnit | None:
    props: list[list[str]] = []
    notes: list[list[str]] = []
    variants: list[_Variant] = []
    for child in tu:
        name = xmlsafe.local_name(child)
        if name == "prop":
            props.append(_prop(child))
        elif name == "note":
            notes.append(_note(child))
        elif name == "tuv":
            variants.append(_Variant(path, child, namespace))

    zh = _choose(variants, (_SIMPLIFIED, _TRADITIONAL))
    en = _choose(variants, (_ENGLISH,))
    reason = (
        NO_CHINESE if zh is None
        else NO_ENGLISH if en is None
        else EMPTY_CHINESE if zh.empty
        else EMPTY_ENGLISH if en.empty
        else None
    )
    if reason == NO_CHINESE or reason and not keep_empty:
        stats.skip(reason)
        return None

    fields: dict = {}
    attrs = {}
    for key, value in tu.attrib.items():
        if key in _ATTR_FIELDS:
            fields[_ATTR_FIELDS[key]] = value
        else:
            attrs[key] = value
    for key, name in _ATTR_FIELDS.items():
        if key != "tuid" and not fields.get(name) and zh.attrs.get(key):
            fields[name] = zh.attrs[key]

    kept_props = []
    for prop in props:
        kind, _lang, value = prop
        if kind in _TEXT_PROPS:
            name = _TEXT_PROPS[kind]
            if value and not fields.get(name):
                fields[name] = value
                continue
        elif kind == "x-position" and "position" not in fields and _INTEGER.fullmatch(value):
            fields["position"] = int(value)
            continue
        elif kind == "x-confidence" and "confidence" not in fields:
            number = _float(value)
            if number is not None:
                fields["confidence"] = number
                continue
        kept_props.append(prop)

    extra: dict = {}
    for key, value in (
        ("attrs", attrs),
        ("props", kept_props),
        ("notes", notes),
        ("source_attrs", zh.attrs),
        ("source_props", zh.props),
        ("source_notes", zh.notes),
        ("target_attrs", en.attrs if en else {}),
        ("target_props", en.props if en else []),
        ("target_notes", en.notes if en else []),
        ("other_tuvs", [_code(v.element, namespace) for v in variants if v.kind and v not in (zh, en)]),
    ):
        if value:
            extra[key] = value

    return TranslationUnit(
        source=zh.text,
        target=en.text if en else "",
        source_lang=zh.lang,
        target_lang=en.lang if en else "en",
        source_codes=zh.codes,
        target_codes=en.codes if en else [],
        extra=extra,
        **fields,
    )


def _float(value: str) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


# -- writing ---------------------------------------------------------------


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("zhen-tm")
    except Exception:  # not installed: running from a checkout
        return "0.1.0"


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _element(tag: str, attributes: dict | None = None, text: str | None = None) -> etree._Element:
    element = etree.Element(tag)
    for key, value in (attributes or {}).items():
        element.set(key, _xml(str(value)))
    if text:
        element.text = _xml(text)
    return element


def _notes_and_props(parent: etree._Element, notes: list, props: list) -> None:
    for lang, text in notes:
        parent.append(_element("note", {XML_LANG: lang} if lang else None, text))
    for kind, lang, text in props:
        attributes = {"type": kind}
        if lang:
            attributes[XML_LANG] = lang
        parent.append(_element("prop", attributes, text))


def _parse_code(code: str, unit: TranslationUnit, index: int) -> etree._Element:
    try:
        return etree.fromstring(code, _CODE_PARSER)
    except etree.XMLSyntaxError:
        raise ValueError(f"unit {unit.tuid or unit.source[:20]!r}: inline code {index} is not XML: {code!r}") from None


def _seg(parent: etree._Element, text: str, codes: list[str], unit: TranslationUnit) -> None:
    seg = etree.SubElement(parent, "seg")
    pieces = _SPLIT_PLACEHOLDERS.split(text)
    last = None
    chunks = [pieces[0]]
    for i in range(1, len(pieces), 2):
        index = placeholder_index(pieces[i])
        if index < len(codes):
            # Flush the text gathered so far where it belongs, then the element.
            gathered = _xml("".join(chunks)) or None
            if last is None:
                seg.text = gathered
            else:
                last.tail = gathered
            last = _parse_code(codes[index], unit, index)
            last.tail = None
            seg.append(last)
            chunks = [pieces[i + 1]]
        else:
            chunks += [pieces[i], pieces[i + 1]]
    gathered = _xml("".join(chunks)) or None
    if last is None:
        seg.text = gathered
    else:
        last.tail = gathered


def _tuv(lang: str, attrs: dict, notes: list, props: list, text: str, codes: list[str], unit) -> etree._Element:
    tuv = _element("tuv", {XML_LANG: lang, **attrs})
    _notes_and_props(tuv, notes, props)
    _seg(tuv, text, codes, unit)
    _indent(tuv, 3)
    return tuv


def _indent(element: etree._Element, level: int) -> None:
    """Put each child of ``element`` on its own line (the children's content is not touched)."""
    children = list(element)
    if not children:
        return
    inner = "\n" + "  " * (level + 1)
    element.text = inner
    for child in children:
        child.tail = inner
    children[-1].tail = "\n" + "  " * level


def _tu(unit: TranslationUnit, default_source_lang: str) -> etree._Element:
    extra = unit.extra or {}
    attributes = {}
    for key, name in _ATTR_FIELDS.items():
        if getattr(unit, name):
            attributes[key] = getattr(unit, name)
    for key, value in (extra.get("attrs") or {}).items():
        attributes.setdefault(key, value)
    tu = _element("tu", attributes)
    props = [[kind, "", getattr(unit, name)] for kind, name in _WRITTEN_TEXT_PROPS if getattr(unit, name)]
    if unit.position is not None:
        props.append(["x-position", "", str(unit.position)])
    if unit.confidence is not None:
        props.append(["x-confidence", "", repr(float(unit.confidence))])
    _notes_and_props(tu, extra.get("notes") or [], props + list(extra.get("props") or []))
    tu.append(
        _tuv(
            unit.source_lang or default_source_lang,
            extra.get("source_attrs") or {},
            extra.get("source_notes") or [],
            extra.get("source_props") or [],
            unit.source,
            unit.source_codes,
            unit,
        )
    )
    tu.append(
        _tuv(
            unit.target_lang or "en",
            extra.get("target_attrs") or {},
            extra.get("target_notes") or [],
            extra.get("target_props") or [],
            unit.target,
            unit.target_codes,
            unit,
        )
    )
    for xml in extra.get("other_tuvs") or []:
        other = _parse_code(xml, unit, -1)
        other.tail = None
        tu.append(other)
    _indent(tu, 2)
    return tu


def write_tmx(
    units: Iterable[TranslationUnit],
    path_or_stream: Target,
    srclang: str = "zh-CN",
    creationtool: str = "zhen-tm",
    creationtoolversion: str | None = None,
) -> int:
    """Write ``units`` as TMX 1.4b (see the module docstring); returns how many were written.

    A path is replaced atomically once everything is written; an open file
    (binary or text) receives UTF-8 and is not closed. Units are written one at
    a time, so any number can be exported in little memory.
    """
    header = _element(
        "header",
        {
            "creationtool": creationtool,
            "creationtoolversion": creationtoolversion or _version(),
            "segtype": "sentence",
            "o-tmf": creationtool,
            "adminlang": "en",
            "srclang": srclang,
            "datatype": "plaintext",
        },
    )
    default_source_lang = srclang if srclang != "*all*" else "zh-CN"
    count = 0
    with open_binary_output(path_or_stream) as out:
        with etree.xmlfile(out, encoding="UTF-8") as xf:
            xf.write_declaration()
            with xf.element("tmx", version="1.4"):
                xf.write("\n  ")
                xf.write(header)
                xf.write("\n  ")
                with xf.element("body"):
                    for unit in units:
                        xf.write("\n    ")
                        xf.write(_tu(unit, default_source_lang))
                        count += 1
                    xf.write("\n  " if count else "")
                xf.write("\n")
        out.write(b"\n")
    return count
