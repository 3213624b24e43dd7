"""TBX term bases: write TBX v3 (TBX-Basic, DCA style); read TBX v3 and TBX 2008.

Writing follows ISO 30042:2019, dialect TBX-Basic, in the DCA style; each
:class:`~glossary.model.Entry` is one ``<conceptEntry>``:

======================  ==================================================================
Entry field             TBX written
======================  ==================================================================
id                      ``conceptEntry/@id``: the entry's id if it is a valid, unused XML
                        ID, else the next free one of ``c1``, ``c2``…
field                   ``<descrip type="subjectField">`` on the concept
note                    ``<descrip type="definition">`` on the concept
type                    ``<note>type: organisation</note>`` on the concept (TBX-Basic has
                        no data category for a concept's kind; ``termType`` and
                        ``partOfSpeech`` are closed lists about the term's form)
zh                      ``langSec xml:lang="zh"`` termSec: ``preferredTerm-admn-sts``,
                        ``termType`` ``fullForm``
pinyin                  ``<termNote type="pronunciation">`` on the ``zh`` term; this data
                        category is not part of TBX-Basic, so a file with pinyin does
                        not validate against the strict TBX-Basic schema (and no
                        ``xml-model`` schema reference is written)
zh_variants             ``zh`` termSecs, ``admittedTerm-admn-sts``, ``termType``
                        ``abbreviation``
zh_traditional          ``langSec xml:lang="zh-Hant"`` termSec, ``preferredTerm-admn-sts``
en                      ``langSec xml:lang="en"`` termSec, ``preferredTerm-admn-sts``
source                  ``<admin type="source">`` on that ``en`` term
en_admitted             ``admittedTerm-admn-sts``
en_deprecated           ``supersededTerm-admn-sts`` (TBX-Basic allows only preferred,
                        admitted, superseded and deprecated, so not
                        ``notRecommendedTerm``; both are read as deprecated)
en_forbidden            ``deprecatedTerm-admn-sts``
======================  ==================================================================

Characters XML cannot carry (C0 controls other than tab and line feed…, U+FFFE,
U+FFFF, lone surrogates) are written as U+FFFD.

Reading accepts TBX v3 (``conceptEntry/langSec/termSec``, namespaced or not) and
TBX 2008 / TBX-Basic 2008 (``martif … termEntry/langSet/tig`` or ``ntig/termGrp``).
Languages: ``zh``, ``zh-CN``, ``zh-Hans``, ``zh-SG`` are Simplified; ``zh-TW``,
``zh-HK``, ``zh-MO``, ``zh-Hant`` Traditional (a concept with only Traditional terms
gets its ``zh`` by OpenCC ``t2s``); ``en`` and ``en-*`` English. Statuses
(``administrativeStatus`` or ``normativeAuthorization``): preferred, standardized,
legal, regulated → preferred (the first is ``en``, more are admitted); admitted →
admitted; notRecommended, superseded, obsolete → deprecated; deprecated →
forbidden; no status → the first such English term is ``en`` when there is no
preferred one, the others are admitted. A concept without a Chinese term or an
acceptable English one is skipped and counted (:func:`read_tbx_report`). Text is
stripped of surrounding whitespace.

Reading streams (``iterparse``, each concept cleared once read) and refuses any
DOCTYPE or entity declaration before the parser sees it, so neither entity
expansion (billion laughs) nor external entities (XXE) can happen.
"""
from __future__ import annotations

import re
from typing import IO, Iterable, Iterator

from lxml import etree

from glossary import xmlsafe
from glossary.errors import FormatError
from glossary.formats import PathLike, Target, open_binary_output, open_input
from glossary.model import Entry
from glossary.normalize import to_simplified

NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TYPE_PREFIX = "type:"
DOCTYPE_MESSAGE = "DOCTYPE/entity declarations are not allowed in TBX (security)"
EMPTY_MESSAGE = "empty glossary file"

_ADMN = "-admn-sts"
_WRITE_STATUS = {
    "preferred": "preferredTerm" + _ADMN,
    "admitted": "admittedTerm" + _ADMN,
    "deprecated": "supersededTerm" + _ADMN,  # TBX-Basic has no notRecommendedTerm
    "forbidden": "deprecatedTerm" + _ADMN,
}
_READ_STATUS = {
    "preferredterm": "preferred",
    "standardizedterm": "preferred",
    "legalterm": "preferred",
    "regulatedterm": "preferred",
    "admittedterm": "admitted",
    "notrecommendedterm": "deprecated",
    "supersededterm": "deprecated",
    "obsoleteterm": "deprecated",
    "deprecatedterm": "forbidden",
}

# Characters outside XML 1.0's Char production.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# An XML ID: an NCName (XML 1.0 fifth edition Name without colons).
_NAME_START = (
    "A-Z_a-z\xc0-\xd6\xd8-\xf6\xf8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_NCNAME = re.compile(f"[{_NAME_START}][{_NAME_START}\\-.0-9\xb7\u0300-\u036f\u203f\u2040]*")
_CONCEPTS = "concepts"  # where the concepts go in the serialised skeleton


# -- writing ---------------------------------------------------------------


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _sub(parent: etree._Element, name: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NS}}}{name}")
    for key, value in attributes.items():
        element.set(key, value)
    if text is not None:
        element.text = _xml(text)
    return element


def _term(lang_sec: etree._Element, term: str, status: str, term_type: str = "") -> etree._Element:
    term_sec = _sub(lang_sec, "termSec")
    _sub(term_sec, "term", term)
    _sub(term_sec, "termNote", _WRITE_STATUS[status], type="administrativeStatus")
    if term_type:
        _sub(term_sec, "termNote", term_type, type="termType")
    return term_sec


def _concept_ids(entries: list[Entry]) -> list[str]:
    """Each entry's own id where it is a valid, unused XML ID, else the next free of c1, c2…"""
    used: set[str] = set()
    ids = []
    for entry in entries:
        own = entry.id if _NCNAME.fullmatch(entry.id) and entry.id not in used else ""
        used.add(own)
        ids.append(own)
    n = 0
    for i, own in enumerate(ids):
        if not own:
            n += 1
            while f"c{n}" in used:
                n += 1
            ids[i] = f"c{n}"
    return ids


def _concept(entry: Entry, concept_id: str) -> etree._Element:
    concept = etree.Element(f"{{{NS}}}conceptEntry", nsmap={None: NS})
    concept.set("id", concept_id)
    if entry.field:
        _sub(concept, "descrip", entry.field, type="subjectField")
    if entry.note:
        _sub(concept, "descrip", entry.note, type="definition")
    if entry.type:
        _sub(concept, "note", f"{TYPE_PREFIX} {entry.type}")

    zh = _sub(concept, "langSec")
    zh.set(XML_LANG, "zh")
    headword = _term(zh, entry.zh, "preferred", "fullForm")
    if entry.pinyin:
        _sub(headword, "termNote", entry.pinyin, type="pronunciation")
    for variant in entry.zh_variants:
        _term(zh, variant, "admitted", "abbreviation")

    if entry.zh_traditional:
        hant = _sub(concept, "langSec")
        hant.set(XML_LANG, "zh-Hant")
        _term(hant, entry.zh_traditional, "preferred")

    en = _sub(concept, "langSec")
    en.set(XML_LANG, "en")
    for i, (term, status) in enumerate(entry.english_forms()):
        term_sec = _term(en, term, status.value)
        if i == 0 and entry.source:
            _sub(term_sec, "admin", entry.source, type="source")
    return concept


def _write(out: IO[bytes], entries: Iterable[Entry]) -> None:
    """Write the document, building the tree of one concept at a time."""
    entries = list(entries)
    root = etree.Element(f"{{{NS}}}tbx", nsmap={None: NS})
    root.set("type", "TBX-Basic")
    root.set("style", "dca")
    root.set(XML_LANG, "en")
    header = _sub(root, "tbxHeader")
    source_desc = _sub(_sub(header, "fileDesc"), "sourceDesc")
    _sub(source_desc, "p", "Chinese-English terminology exported by zhen-tm")
    body = _sub(_sub(root, "text"), "body")
    body.append(etree.Comment(_CONCEPTS))
    skeleton = etree.tostring(root, encoding="UTF-8", pretty_print=True)
    head, tail = skeleton.split(b"<!--%s-->" % _CONCEPTS.encode())
    out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(head if entries else head.rstrip(b" "))
    for i, (entry, concept_id) in enumerate(zip(entries, _concept_ids(entries))):
        concept = _concept(entry, concept_id)
        etree.indent(concept, space="  ", level=3)
        xml = etree.tostring(concept, encoding="UTF-8")
        # The default namespace is declared on <tbx> already.
        out.write((b"\n      " if i else b"") + xml.replace(b' xmlns="%s"' % NS.encode(), b"", 1))
    out.write(tail if entries else tail.lstrip(b"\n"))


def write_tbx(entries: Iterable[Entry], path_or_stream: Target) -> None:
    """Write ``entries`` as TBX-Basic (see the module docstring for the mapping).

    ``read_tbx`` gives back every field; ``id`` comes back as written (``c1``…
    for entries without a usable id). A path is replaced atomically; an open
    file may be text or binary.
    """
    with open_binary_output(path_or_stream) as out:
        _write(out, entries)


# -- reading ---------------------------------------------------------------


def read_tbx(path: PathLike) -> list[Entry]:
    """Read a TBX v3 or TBX 2008 file; concepts lacking zh or en are skipped."""
    return read_tbx_report(path)[0]


def read_tbx_report(path: PathLike) -> tuple[list[Entry], int]:
    """Read a TBX file: the entries, and how many concepts were skipped.

    A concept is skipped when it has no Chinese term or no English term that a
    translation may use. Every problem with the file is a :class:`FormatError`.
    """
    entries: list[Entry] = []
    skipped = 0
    for entry in _iter_concepts(path):
        if entry is None:
            skipped += 1
        else:
            entries.append(entry)
    return entries, skipped


def _local(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):  # comment, processing instruction, entity
        return ""
    return tag.rsplit("}", 1)[-1]


def _text(element: etree._Element) -> str:
    return "".join(element.itertext()).strip()


def _check_prolog(path: PathLike, stream: IO[bytes]) -> None:
    """Refuse a DOCTYPE or any other ``<!`` declaration before the root element
    (see :func:`glossary.xmlsafe.check_prolog`)."""
    xmlsafe.check_prolog(path, stream, DOCTYPE_MESSAGE, EMPTY_MESSAGE)


def _lang(element: etree._Element) -> str:
    """``zh`` (Simplified), ``zh-Hant``, ``en`` or ``""`` for a langSec/langSet."""
    code = (element.get(XML_LANG) or element.get("lang") or "").strip().lower().replace("_", "-")
    subtags = code.split("-")
    if subtags[0] == "en":
        return "en"
    if subtags[0] != "zh":
        return ""
    if "hans" in subtags:
        return "zh"
    if {"hant", "tw", "hk", "mo"} & set(subtags[1:]):
        return "zh-Hant"
    return "zh"


class _Term:
    """One term of a concept, with what a termSec / tig / ntig says about it."""

    def __init__(self, unit: etree._Element):
        self.text = ""
        self.status: str | None = None
        self.pronunciation = ""
        self.source = ""
        self._read(unit)

    def _read(self, element: etree._Element) -> None:
        for child in element:
            name = _local(child)
            if name == "term" and not self.text:
                self.text = _text(child)
            elif name in ("termGrp", "termNoteGrp"):
                self._read(child)
            elif name == "termNote":
                kind = child.get("type", "")
                if kind in ("administrativeStatus", "normativeAuthorization") and self.status is None:
                    value = _text(child)
                    value = value[: -len(_ADMN)] if value.endswith(_ADMN) else value
                    self.status = _READ_STATUS.get(value.lower())
                elif kind == "pronunciation" and not self.pronunciation:
                    self.pronunciation = _text(child)
            elif name == "admin" and child.get("type") == "source" and not self.source:
                self.source = _text(child)


def _concept_entry(element: etree._Element) -> Entry | None:
    """The entry for one conceptEntry / termEntry, or None if it lacks zh or en."""
    terms: dict[str, list[_Term]] = {"zh": [], "zh-Hant": [], "en": []}
    info = {"field": "", "type": "", "source": ""}
    notes: list[str] = []

    def auxiliary(child: etree._Element, name: str) -> None:
        kind = child.get("type", "")
        if name == "descripGrp":
            for inner in child:  # a definition with its source: keep only the definition
                if _local(inner) == "descrip":
                    auxiliary(inner, "descrip")
        elif name == "descrip" and kind == "subjectField" and not info["field"]:
            info["field"] = _text(child)
        elif (name == "descrip" and kind == "definition") or name == "note":
            text = _text(child)
            if name == "note" and text.lower().startswith(TYPE_PREFIX) and not info["type"]:
                info["type"] = text[len(TYPE_PREFIX):].strip()
            elif text and text not in notes:
                notes.append(text)
        elif name == "admin" and kind == "source" and not info["source"]:
            info["source"] = _text(child)

    for child in element:
        name = _local(child)
        if name in ("langSec", "langSet"):
            lang = _lang(child)
            for unit in child:
                unit_name = _local(unit)
                if unit_name in ("termSec", "tig", "ntig"):
                    if lang:
                        term = _Term(unit)
                        if term.text:
                            terms[lang].append(term)
                elif lang:
                    auxiliary(unit, unit_name)
        else:
            auxiliary(child, name)

    chinese = terms["zh"]
    traditional = terms["zh-Hant"]
    zh_traditional = _pick(traditional).text if traditional else ""
    if chinese:
        headword = _pick(chinese)
    elif traditional:
        headword = None
    else:
        return None
    english = [t for t in terms["en"] if t.status not in ("deprecated", "forbidden")]
    if not english:
        return None
    en = _pick(english)

    zh = headword.text if headword else to_simplified(zh_traditional)
    variants = [t.text for t in chinese if t is not headword]
    variants += [to_simplified(t.text) for t in traditional if t.text != zh_traditional]
    return Entry(
        zh=zh,
        en=en.text,
        zh_traditional=zh_traditional,
        zh_variants=variants,
        en_admitted=[t.text for t in english if t is not en],
        en_deprecated=[t.text for t in terms["en"] if t.status == "deprecated"],
        en_forbidden=[t.text for t in terms["en"] if t.status == "forbidden"],
        pinyin=(headword or _pick(traditional)).pronunciation,
        type=info["type"],
        field=info["field"],
        note="; ".join(notes),
        source=en.source or info["source"],
        id=element.get("id", "").strip(),
    )


def _pick(terms: list[_Term]) -> _Term:
    """The headword: the first preferred term, else the first without status, else the first."""
    for wanted in ("preferred", None, "admitted"):
        for term in terms:
            if term.status == wanted:
                return term
    return terms[0]


def _iter_concepts(path: PathLike) -> Iterator[Entry | None]:
    """Stream the concepts of a TBX file: an Entry, or None for a skipped one."""
    with open_input(path) as stream:
        _check_prolog(path, stream)
        stream.seek(0)
        events = xmlsafe.iterparse(stream)
        root_seen = False
        try:
            for event, element in events:
                if not root_seen:
                    root_seen = True
                    _check_root(path, element)
                    continue
                if event == "end" and _local(element) in ("conceptEntry", "termEntry"):
                    yield _concept_entry(element)
                    element.clear(keep_tail=False)
                    parent = element.getparent()
                    while parent is not None and element.getprevious() is not None:
                        del parent[0]
        except etree.XMLSyntaxError as error:
            raise xmlsafe.syntax_error(path, error, EMPTY_MESSAGE) from None
        if not root_seen:
            raise FormatError(path, None, EMPTY_MESSAGE)


def _check_root(path: PathLike, root: etree._Element) -> None:
    xmlsafe.check_no_dtd(path, root, DOCTYPE_MESSAGE)  # _check_prolog should have caught it
    if _local(root) not in ("tbx", "martif"):
        raise FormatError(path, root.sourceline or 1, f"not a TBX file (root element <{_local(root)}>)")
