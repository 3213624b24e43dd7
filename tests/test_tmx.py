"""TMX 1.4b: what a user gets from the TMX files CAT tools write, what an export
looks like, and what hostile or broken files produce.
"""
from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
import time

import pytest

from hostile_xml import billion_laughs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from glossary import xmlsafe
from glossary.errors import FormatError
from tm import formats, tmx
from tm.formats import ReadStats, iter_units, write_units
from tm.tmx import iter_tmx, write_tmx
from tm.unit import TranslationUnit, placeholder, plain

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

REFORM = "全面深化改革"
REFORM_EN = "comprehensively deepen reform"
PEOPLE = "坚持以人民为中心的发展思想。"
PEOPLE_EN = "We remain committed to a people-centred philosophy of development."
RURAL = "各级党委和政府要把乡村振兴摆在优先位置。"
RURAL_EN = "Party committees and governments at all levels must give priority to rural revitalisation."


def tmx_text(body: str, *, srclang: str = "zh-CN", version: str = "1.4") -> str:
    """A TMX document as a CAT tool writes it; the body starts on line 5."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<tmx version="{version}">\n'
        '<header creationtool="SDL Trados Studio" creationtoolversion="16.1" segtype="sentence" '
        f'o-tmf="SDL TM8" adminlang="en-US" srclang="{srclang}" datatype="xml"/>\n'
        "<body>\n"
        f"{body}\n"
        "</body>\n"
        "</tmx>\n"
    )


def tu(zh: str = REFORM, en: str = REFORM_EN, zh_lang: str = "zh-CN", en_lang: str = "en-US", attrs: str = "") -> str:
    """One <tu> on one line."""
    return (
        f"<tu{attrs}><tuv xml:lang=\"{zh_lang}\"><seg>{zh}</seg></tuv>"
        f"<tuv xml:lang=\"{en_lang}\"><seg>{en}</seg></tuv></tu>"
    )


def write(tmp_path, name: str, content: str | bytes):
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def read(tmp_path, content: str | bytes, name: str = "memory.tmx") -> tuple[list[TranslationUnit], ReadStats]:
    stats = ReadStats()
    units = list(iter_tmx(write(tmp_path, name, content), stats))
    return units, stats


def error_of(path) -> FormatError:
    with pytest.raises(FormatError) as info:
        list(iter_tmx(path))
    return info.value


def round_trip(tmp_path, units: list[TranslationUnit], **options) -> list[TranslationUnit]:
    path = tmp_path / "export.tmx"
    assert write_tmx(units, path, **options) == len(units)
    return list(iter_tmx(path))


# -- level 1 ---------------------------------------------------------------


def test_a_plain_trados_export_gives_one_unit_per_tu_with_its_metadata(tmp_path):
    body = (
        '<tu tuid="42" creationdate="20230105T081500Z" creationid="LI Wei" changedate="20240301T120000Z"'
        ' changeid="ZHANG Min" usagecount="3" lastusagedate="20240302T090000Z">\n'
        f'  <tuv xml:lang="zh-CN"><seg>{PEOPLE}</seg></tuv>\n'
        f'  <tuv xml:lang="en-US"><seg>{PEOPLE_EN}</seg></tuv>\n'
        "</tu>"
    )
    (unit,), stats = read(tmp_path, tmx_text(body))
    assert unit == TranslationUnit(
        source=PEOPLE,
        target=PEOPLE_EN,
        source_lang="zh-CN",
        target_lang="en-US",
        tuid="42",
        created_at="20230105T081500Z",
        creator="LI Wei",
        changed_at="20240301T120000Z",
        changer="ZHANG Min",
        extra={"attrs": {"usagecount": "3", "lastusagedate": "20240302T090000Z"}},
    )
    assert (stats.read, stats.skipped, stats.kept) == (1, 0, 1)


def test_a_level_1_memory_survives_export_and_import_unchanged(tmp_path):
    units = [
        TranslationUnit(source=REFORM, target=REFORM_EN, origin="2013 plenum communiqué", position=1),
        TranslationUnit(source=PEOPLE, target=PEOPLE_EN, prev_source=REFORM, next_source=RURAL, position=2),
        TranslationUnit(source=RURAL, target=RURAL_EN, source_lang="zh-Hans", target_lang="en-GB", confidence=0.875),
    ]
    assert round_trip(tmp_path, units) == units


def test_segment_text_is_kept_exactly_including_surrounding_white_space(tmp_path):
    body = tu(zh="  全面深化改革\n", en=" comprehensively  deepen reform ")
    (unit,), _ = read(tmp_path, tmx_text(body))
    assert unit.source == "  全面深化改革\n"
    assert unit.target == " comprehensively  deepen reform "


def test_escaped_markup_and_quotes_come_back_as_text(tmp_path):
    body = tu(zh="“放管服”改革 &amp; &lt;营商环境&gt;", en="&quot;streamline&quot; &amp; &lt;business&gt; it&apos;s")
    (unit,), _ = read(tmp_path, tmx_text(body))
    assert unit.source == "“放管服”改革 & <营商环境>"
    assert unit.target == "\"streamline\" & <business> it's"
    assert round_trip(tmp_path, [unit]) == [unit]


# -- level 2: inline markup --------------------------------------------------

LEVEL2 = (
    '<tu tuid="l2">'
    '<tuv xml:lang="zh-CN"><seg><bpt i="1" x="1">&lt;b&gt;</bpt>国务院<ept i="1">&lt;/b&gt;</ept>'
    '印发《<ph x="2" type="link">&lt;a href="x"/&gt;</ph>意见》'
    '<it pos="begin" x="3">&lt;i&gt;</it>全文'
    '<hi type="fn">注释<ph x="4">&lt;fn&gt;<sub>脚注</sub>&lt;/fn&gt;</ph>尾</hi>。</seg></tuv>'
    '<tuv xml:lang="en"><seg>The <bpt i="1" x="1">&lt;b&gt;</bpt>State Council<ept i="1">&lt;/b&gt;</ept>'
    ' issued the <ph x="2" type="link">&lt;a href="x"/&gt;</ph>Opinions'
    '<it pos="begin" x="3">&lt;i&gt;</it> in full<hi type="fn">note<ph x="4">&lt;fn&gt;<sub>footnote</sub>&lt;/fn&gt;</ph>end</hi>.</seg></tuv>'
    "</tu>"
)


def test_each_inline_element_becomes_one_placeholder_with_its_xml_kept(tmp_path):
    (unit,), _ = read(tmp_path, tmx_text(LEVEL2))
    p = [placeholder(i) for i in range(5)]
    assert unit.source == f"{p[0]}国务院{p[1]}印发《{p[2]}意见》{p[3]}全文{p[4]}。"
    assert unit.source_codes == [
        '<bpt i="1" x="1">&lt;b&gt;</bpt>',
        '<ept i="1">&lt;/b&gt;</ept>',
        '<ph x="2" type="link">&lt;a href="x"/&gt;</ph>',
        '<it pos="begin" x="3">&lt;i&gt;</it>',
        # hi (with a footnote in a sub of its ph): the whole element is one code
        '<hi type="fn">注释<ph x="4">&lt;fn&gt;<sub>脚注</sub>&lt;/fn&gt;</ph>尾</hi>',
    ]
    assert unit.target == f"The {p[0]}State Council{p[1]} issued the {p[2]}Opinions{p[3]} in full{p[4]}."
    assert plain(unit.source) == "国务院印发《意见》全文。"
    assert len(unit.target_codes) == 5


def test_export_puts_the_inline_elements_back_where_they_were(tmp_path):
    (unit,), _ = read(tmp_path, tmx_text(LEVEL2))
    out = io.BytesIO()
    write_tmx([unit], out)
    original = etree.fromstring(tmx_text(LEVEL2).encode())
    exported = etree.fromstring(out.getvalue())
    for lang in ("zh-CN", "en"):
        seg_in = original.find(f".//tuv[@{XML_LANG}='{lang}']/seg")
        seg_out = exported.find(f".//tuv[@{XML_LANG}='{lang}']/seg")
        assert etree.tostring(seg_out, with_tail=False) == etree.tostring(seg_in, with_tail=False)
    assert round_trip(tmp_path, [unit]) == [unit]


def test_inline_codes_are_numbered_per_segment(tmp_path):
    body = tu(zh='<ph x="1"/>深化<ph x="2"/>', en='<ph x="2"/>deepen')
    (unit,), _ = read(tmp_path, tmx_text(body))
    assert unit.source == f"{placeholder(0)}深化{placeholder(1)}"
    assert unit.target == f"{placeholder(0)}deepen"
    assert unit.target_codes == ['<ph x="2"/>']


def test_a_namespaced_tmx_gives_inline_codes_without_namespace_declarations(tmp_path):
    content = tmx_text(tu(zh='<ph x="1">&lt;br/&gt;</ph>改革', en='<ph x="1">&lt;br/&gt;</ph>reform'))
    content = content.replace('<tmx version="1.4">', '<tmx version="1.4" xmlns="http://www.lisa.org/tmx14" xmlns:o="urn:other">')
    (unit,), _ = read(tmp_path, content)
    assert unit.source_codes == ['<ph x="1">&lt;br/&gt;</ph>']
    assert unit.source == f"{placeholder(0)}改革"


def test_a_placeholder_without_a_code_is_written_as_the_character(tmp_path):
    unit = TranslationUnit(source=f"改革{placeholder(0)}", target="reform")
    (back,) = round_trip(tmp_path, [unit])
    assert back.source == unit.source and back.source_codes == []


# -- languages ----------------------------------------------------------------


@pytest.mark.parametrize(
    "zh_lang, en_lang",
    [
        ("zh-CN", "en-GB"),
        ("zh-TW", "en-us"),
        ("zh-Hans", "EN"),
        ("ZH-cn", "en-US"),
        ("zh", "en"),
        ("zh-HK", "en-GB"),
        ("zh-Hant", "en-AU"),
        ("zh-SG", "en_US"),
    ],
)
def test_any_chinese_and_english_code_is_recognised_and_kept_exactly(tmp_path, zh_lang, en_lang):
    # The English variant first: the order of the variants does not matter.
    body = (
        f'<tu><tuv xml:lang="{en_lang}"><seg>{REFORM_EN}</seg></tuv>'
        f'<tuv xml:lang="{zh_lang}"><seg>{REFORM}</seg></tuv></tu>'
    )
    (unit,), _ = read(tmp_path, tmx_text(body, srclang="*all*"))
    assert (unit.source, unit.target) == (REFORM, REFORM_EN)
    assert (unit.source_lang, unit.target_lang) == (zh_lang, en_lang)


@pytest.mark.parametrize("traditional", ["zh-TW", "zh-HK", "zh-Hant", "zh-Hant-TW"])
@pytest.mark.parametrize("simplified", ["zh-CN", "zh", "zh-Hans", "zh-SG"])
def test_simplified_chinese_is_preferred_to_traditional_whatever_the_order(tmp_path, simplified, traditional):
    body = (
        f'<tu><tuv xml:lang="{traditional}"><seg>全面深化改革開放</seg></tuv>'
        f'<tuv xml:lang="en"><seg>{REFORM_EN}</seg></tuv>'
        f'<tuv xml:lang="{simplified}"><seg>全面深化改革开放</seg></tuv></tu>'
    )
    (unit,), _ = read(tmp_path, tmx_text(body))
    assert unit.source == "全面深化改革开放" and unit.source_lang == simplified
    # The Traditional variant is not lost: it is exported again.
    assert unit.extra["other_tuvs"] == [f'<tuv xml:lang="{traditional}"><seg>全面深化改革開放</seg></tuv>']
    assert round_trip(tmp_path, [unit]) == [unit]


def test_a_unit_with_only_traditional_chinese_is_read_from_it(tmp_path):
    (unit,), _ = read(tmp_path, tmx_text(tu(zh="國務院辦公廳", en="General Office of the State Council", zh_lang="zh-TW")))
    assert unit.source == "國務院辦公廳" and unit.source_lang == "zh-TW"


def test_an_empty_simplified_variant_gives_way_to_a_traditional_one(tmp_path):
    body = (
        '<tu><tuv xml:lang="zh-CN"><seg> </seg></tuv><tuv xml:lang="zh-TW"><seg>國務院</seg></tuv>'
        '<tuv xml:lang="en"><seg>State Council</seg></tuv></tu>'
    )
    (unit,), _ = read(tmp_path, tmx_text(body))
    assert (unit.source, unit.source_lang) == ("國務院", "zh-TW")


def test_tmx_1_1_lang_attributes_are_read(tmp_path):
    body = '<tu><tuv lang="ZH-CN"><seg>地方政府专项债券</seg></tuv><tuv lang="EN-US"><seg>local government special bonds</seg></tuv></tu>'
    (unit,), _ = read(tmp_path, tmx_text(body, version="1.1"))
    assert (unit.source, unit.target) == ("地方政府专项债券", "local government special bonds")
    assert (unit.source_lang, unit.target_lang) == ("ZH-CN", "EN-US")
    assert unit.extra == {}


def test_variants_in_other_languages_are_ignored(tmp_path):
    body = (
        f'<tu><tuv xml:lang="fr-FR"><seg>approfondir la réforme</seg></tuv>'
        f'<tuv xml:lang="zh-CN"><seg>{REFORM}</seg></tuv><tuv xml:lang="en"><seg>{REFORM_EN}</seg></tuv></tu>'
    )
    (unit,), _ = read(tmp_path, tmx_text(body))
    assert (unit.source, unit.target, unit.extra) == (REFORM, REFORM_EN, {})


# -- skipped units ------------------------------------------------------------


def test_units_lacking_chinese_or_english_are_skipped_and_counted_by_reason(tmp_path):
    body = "\n".join(
        [
            tu(),  # kept
            '<tu><tuv xml:lang="fr"><seg>réforme</seg></tuv><tuv xml:lang="en"><seg>reform</seg></tuv></tu>',
            '<tu><tuv xml:lang="zh-CN"><seg>改革</seg></tuv><tuv xml:lang="ja"><seg>改革</seg></tuv></tu>',
            '<tu><tuv xml:lang="zh-CN"><seg>改革</seg></tuv></tu>',
            tu(zh="  \n "),
            tu(zh='<ph x="1"/>'),  # nothing but an inline code
            tu(en="\t"),
            '<tu><tuv xml:lang="zh-CN"><seg>改革</seg></tuv><tuv xml:lang="en"></tuv></tu>',  # no <seg>
            tu(zh=PEOPLE, en=PEOPLE_EN),  # kept
        ]
    )
    units, stats = read(tmp_path, tmx_text(body))
    assert [u.source for u in units] == [REFORM, PEOPLE]
    assert (stats.read, stats.skipped, stats.kept) == (9, 7, 2)
    assert stats.reasons == {
        formats.NO_CHINESE: 1,
        formats.NO_ENGLISH: 2,
        formats.EMPTY_CHINESE: 2,
        formats.EMPTY_ENGLISH: 2,
    }


def test_stats_are_optional():
    stats = ReadStats()
    stats.skip("no English variant")
    assert (stats.read, stats.skipped, dict(stats.reasons)) == (0, 1, {"no English variant": 1})


# -- props, notes and attributes ------------------------------------------------

RICH = """<tu tuid="gov-7" srclang="zh-CN" datatype="html" segtype="sentence" o-encoding="UTF-8" usagecount="12">
  <note>checked by the reviewer</note>
  <prop type="x-context-pre">会议指出，</prop>
  <prop type="x-context-post">这是一项长期任务。</prop>
  <prop type="x-doc-id">gov-report-2024</prop>
  <prop type="x-origin">2024年政府工作报告</prop>
  <prop type="x-position">17</prop>
  <prop type="x-confidence">0.92</prop>
  <prop type="x-client" xml:lang="en">State Council Information Office</prop>
  <prop type="x-position">not a number</prop>
  <note xml:lang="zh">术语已核对</note>
  <tuv xml:lang="zh-CN" creationdate="20240305T010203Z" creationid="translator1" usagecount="4">
    <prop type="x-style">formal</prop>
    <note>source note</note>
    <seg>推进国家治理体系和治理能力现代化。</seg>
  </tuv>
  <tuv xml:lang="en-GB" changedate="20240306T000000Z">
    <note xml:lang="en">target note &amp; more</note>
    <prop type="x-reviewed">yes</prop>
    <seg>Modernise China's system and capacity for governance.</seg>
  </tuv>
</tu>"""


def test_props_notes_and_attributes_fill_fields_or_are_kept_in_extra(tmp_path):
    (unit,), _ = read(tmp_path, tmx_text(RICH))
    assert unit.tuid == "gov-7"
    assert (unit.prev_source, unit.next_source) == ("会议指出，", "这是一项长期任务。")
    assert (unit.doc_id, unit.origin, unit.position, unit.confidence) == ("gov-report-2024", "2024年政府工作报告", 17, 0.92)
    # The TU has no dates of its own: those of the Chinese variant are used.
    assert (unit.created_at, unit.creator) == ("20240305T010203Z", "translator1")
    assert (unit.changed_at, unit.changer) == ("", "")
    assert unit.extra == {
        "attrs": {"srclang": "zh-CN", "datatype": "html", "segtype": "sentence", "o-encoding": "UTF-8", "usagecount": "12"},
        "props": [["x-client", "en", "State Council Information Office"], ["x-position", "", "not a number"]],
        "notes": [["", "checked by the reviewer"], ["zh", "术语已核对"]],
        "source_attrs": {"creationdate": "20240305T010203Z", "creationid": "translator1", "usagecount": "4"},
        "source_props": [["x-style", "", "formal"]],
        "source_notes": [["", "source note"]],
        "target_attrs": {"changedate": "20240306T000000Z"},
        "target_props": [["x-reviewed", "", "yes"]],
        "target_notes": [["en", "target note & more"]],
    }


def test_props_notes_and_attributes_are_exported_again(tmp_path):
    (unit,), _ = read(tmp_path, tmx_text(RICH))
    out = io.BytesIO()
    write_tmx([unit], out)
    root = etree.fromstring(out.getvalue())
    exported = root.find("body/tu")
    assert exported.get("usagecount") == "12" and exported.get("datatype") == "html"
    assert exported.get("tuid") == "gov-7" and exported.get("creationdate") == "20240305T010203Z"
    props = {(p.get("type"), p.text) for p in exported.findall("prop")}
    assert {("x-context-pre", "会议指出，"), ("x-position", "17"), ("x-confidence", "0.92"),
            ("x-client", "State Council Information Office"), ("x-position", "not a number")} <= props
    zh, en = exported.findall("tuv")
    assert zh.get("creationid") == "translator1" and zh.find("prop").text == "formal"
    assert en.find("note").get(XML_LANG) == "en" and en.find("note").text == "target note & more"
    assert round_trip(tmp_path, [unit]) == [unit]


def test_omegat_prev_and_next_props_give_the_context(tmp_path):
    body = (
        '<tu><prop type="prev">会议强调，</prop><prop type="next">要久久为功。</prop>'
        f'<tuv xml:lang="zh-CN"><seg>{REFORM}</seg></tuv><tuv xml:lang="en"><seg>{REFORM_EN}</seg></tuv></tu>'
    )
    (unit,), _ = read(tmp_path, tmx_text(body))
    assert (unit.prev_source, unit.next_source, unit.extra) == ("会议强调，", "要久久为功。", {})
    assert round_trip(tmp_path, [unit]) == [unit]


# -- the lossless round trip, for any unit ------------------------------------

_TEXT_CHARS = st.characters(
    blacklist_categories=("Cs", "Co", "Cn", "Cc"), blacklist_characters="\ufffe\uffff"
) | st.sampled_from(list("\t\n\r&<>\"' 　改革开放发展治理國務院"))
text = st.text(_TEXT_CHARS, max_size=12)
nonblank = st.text(st.sampled_from(list("国务院深化改革Reform&<>\"'")), min_size=1, max_size=8)
names = st.sampled_from(["x-client", "x-project", "x-style", "client", "Domain", "x-note"])
langs = st.sampled_from(["", "en", "zh-CN", "de"])


@st.composite
def inline_code(draw, number: int) -> str:
    kind = draw(st.sampled_from(["bpt", "ept", "ph", "it", "hi"]))
    element = etree.Element(kind)
    if kind in ("bpt", "ept"):
        element.set("i", str(number))
    elif kind == "it":
        element.set("pos", draw(st.sampled_from(["begin", "end"])))
    else:
        element.set("x", str(number))
        if draw(st.booleans()):
            element.set("type", draw(st.sampled_from(["link", "fn", "a&b \"q\""])))
    element.text = draw(text) or None
    if draw(st.booleans()):
        # A sub-flow (a footnote, an alt text): in a ph inside a hi, directly in the others.
        holder = etree.SubElement(element, "ph") if kind == "hi" else element
        sub = etree.SubElement(holder, "sub")
        sub.text = draw(text) or None
        sub.tail = draw(text) or None
        if holder is not element:
            holder.tail = draw(text) or None
    return etree.tostring(element, encoding="unicode")


@st.composite
def segment(draw) -> tuple[str, list[str]]:
    parts, codes = [], []
    for _ in range(draw(st.integers(0, 3))):
        parts.append(draw(text))
        parts.append(placeholder(len(codes)))
        codes.append(draw(inline_code(len(codes) + 1)))
    parts.append(draw(text))
    # Somewhere a character that is not white space, so that the segment is not skipped.
    where = draw(st.integers(0, len(parts) - 1)) // 2 * 2
    parts[where] += draw(nonblank)
    return "".join(parts), codes


@st.composite
def extras(draw) -> dict:
    props = st.lists(st.tuples(names, langs, text).map(list), max_size=3)
    notes = st.lists(st.tuples(langs, text).map(list), max_size=2)
    attrs = st.dictionaries(st.sampled_from(["usagecount", "lastusagedate", "datatype", "o-encoding", "segtype"]), text, max_size=2)
    tuv_attrs = st.dictionaries(st.sampled_from(["usagecount", "o-tmf", "datatype", "creationtool"]), text, max_size=2)
    extra = {
        "attrs": draw(attrs),
        "props": draw(props),
        "notes": draw(notes),
        "source_attrs": draw(tuv_attrs),
        "source_props": draw(props),
        "source_notes": draw(notes),
        "target_attrs": draw(tuv_attrs),
        "target_props": draw(props),
        "target_notes": draw(notes),
    }
    return {key: value for key, value in extra.items() if value}


@st.composite
def units(draw) -> TranslationUnit:
    source, source_codes = draw(segment())
    target, target_codes = draw(segment())
    return TranslationUnit(
        source=source,
        target=target,
        source_lang=draw(st.sampled_from(["zh-CN", "zh", "zh-Hans", "zh-TW", "ZH-cn", "zh-Hant-HK"])),
        target_lang=draw(st.sampled_from(["en", "en-US", "en-GB", "EN-us"])),
        origin=draw(text),
        doc_id=draw(text),
        position=draw(st.none() | st.integers(-(10**12), 10**12)),
        prev_source=draw(text),
        next_source=draw(text),
        created_at=draw(st.sampled_from(["", "20240101T000000Z"]) | text),
        creator=draw(text),
        changed_at=draw(text),
        changer=draw(text),
        confidence=draw(st.none() | st.floats(allow_nan=False, allow_infinity=False)),
        tuid=draw(text),
        source_codes=source_codes,
        target_codes=target_codes,
        extra=draw(extras()),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(units(), min_size=1, max_size=4))
def test_any_units_survive_export_and_import_field_for_field(tmp_path, generated):
    assert round_trip(tmp_path, generated) == generated


# -- the export is valid TMX 1.4b ------------------------------------------------

TMX14_DTD = """
<!ENTITY % segtypes "block|paragraph|sentence|phrase">
<!ELEMENT tmx (header, body)>
<!ATTLIST tmx version CDATA #FIXED "1.4">
<!ELEMENT header (note|ude|prop)*>
<!ATTLIST header creationtool CDATA #REQUIRED creationtoolversion CDATA #REQUIRED
  segtype (%segtypes;) #REQUIRED o-tmf CDATA #REQUIRED adminlang CDATA #REQUIRED
  srclang CDATA #REQUIRED datatype CDATA #REQUIRED o-encoding CDATA #IMPLIED
  creationdate CDATA #IMPLIED creationid CDATA #IMPLIED changedate CDATA #IMPLIED changeid CDATA #IMPLIED>
<!ELEMENT ude (map+)>
<!ATTLIST ude name CDATA #REQUIRED base CDATA #IMPLIED>
<!ELEMENT map EMPTY>
<!ATTLIST map unicode CDATA #REQUIRED code CDATA #IMPLIED ent CDATA #IMPLIED subst CDATA #IMPLIED>
<!ELEMENT note (#PCDATA)>
<!ATTLIST note o-encoding CDATA #IMPLIED xml:lang CDATA #IMPLIED>
<!ELEMENT prop (#PCDATA)>
<!ATTLIST prop type CDATA #REQUIRED xml:lang CDATA #IMPLIED o-encoding CDATA #IMPLIED>
<!ELEMENT body (tu*)>
<!ELEMENT tu ((note|prop)*, tuv+)>
<!ATTLIST tu tuid CDATA #IMPLIED o-encoding CDATA #IMPLIED datatype CDATA #IMPLIED
  usagecount CDATA #IMPLIED lastusagedate CDATA #IMPLIED creationtool CDATA #IMPLIED
  creationtoolversion CDATA #IMPLIED creationdate CDATA #IMPLIED creationid CDATA #IMPLIED
  changedate CDATA #IMPLIED segtype (%segtypes;) #IMPLIED changeid CDATA #IMPLIED
  o-tmf CDATA #IMPLIED srclang CDATA #IMPLIED>
<!ELEMENT tuv ((note|prop)*, seg)>
<!ATTLIST tuv xml:lang CDATA #REQUIRED o-encoding CDATA #IMPLIED datatype CDATA #IMPLIED
  usagecount CDATA #IMPLIED lastusagedate CDATA #IMPLIED creationtool CDATA #IMPLIED
  creationtoolversion CDATA #IMPLIED creationdate CDATA #IMPLIED creationid CDATA #IMPLIED
  changedate CDATA #IMPLIED o-tmf CDATA #IMPLIED changeid CDATA #IMPLIED>
<!ELEMENT seg (#PCDATA|bpt|ept|it|ph|hi|ut)*>
<!ELEMENT bpt (#PCDATA|sub)*>
<!ATTLIST bpt i CDATA #REQUIRED x CDATA #IMPLIED type CDATA #IMPLIED>
<!ELEMENT ept (#PCDATA|sub)*>
<!ATTLIST ept i CDATA #REQUIRED>
<!ELEMENT sub (#PCDATA|bpt|ept|it|ph|hi|ut)*>
<!ATTLIST sub datatype CDATA #IMPLIED type CDATA #IMPLIED>
<!ELEMENT it (#PCDATA|sub)*>
<!ATTLIST it pos (begin|end) #REQUIRED x CDATA #IMPLIED type CDATA #IMPLIED>
<!ELEMENT ph (#PCDATA|sub)*>
<!ATTLIST ph x CDATA #IMPLIED assoc CDATA #IMPLIED type CDATA #IMPLIED>
<!ELEMENT hi (#PCDATA|bpt|ept|it|ph|hi|ut)*>
<!ATTLIST hi x CDATA #IMPLIED type CDATA #IMPLIED>
<!ELEMENT ut (#PCDATA|sub)*>
<!ATTLIST ut x CDATA #IMPLIED>
"""


def test_an_export_is_valid_tmx_1_4b_with_every_required_header_attribute(tmp_path):
    (level2,), _ = read(tmp_path, tmx_text(LEVEL2), "level2.tmx")
    (rich,), _ = read(tmp_path, tmx_text(RICH), "rich.tmx")
    plain_unit = TranslationUnit(source=REFORM, target=REFORM_EN, origin="plenum", position=3, confidence=1.0)
    path = tmp_path / "export.tmx"
    write_tmx([level2, rich, plain_unit], path, creationtoolversion="9.9")
    document = etree.parse(str(path))
    dtd = etree.DTD(io.StringIO(TMX14_DTD))
    assert dtd.validate(document), dtd.error_log.filter_from_errors()
    header = document.getroot().find("header")
    assert dict(header.attrib) == {
        "creationtool": "zhen-tm",
        "creationtoolversion": "9.9",
        "segtype": "sentence",
        "o-tmf": "zhen-tm",
        "adminlang": "en",
        "srclang": "zh-CN",
        "datatype": "plaintext",
    }
    assert document.getroot().get("version") == "1.4"
    assert document.docinfo.encoding == "UTF-8"


def test_an_empty_memory_exports_as_a_valid_empty_tmx(tmp_path):
    path = tmp_path / "empty.tmx"
    assert write_tmx([], path) == 0
    assert etree.DTD(io.StringIO(TMX14_DTD)).validate(etree.parse(str(path)))
    assert list(iter_tmx(path)) == []


def test_export_writes_to_open_binary_and_text_files(tmp_path):
    unit = TranslationUnit(source=REFORM, target=REFORM_EN)
    binary, textual = io.BytesIO(), io.StringIO()
    write_tmx([unit], binary)
    write_tmx([unit], textual)
    assert binary.getvalue().decode("utf-8") == textual.getvalue()
    assert not binary.closed and not textual.closed
    assert f"<seg>{REFORM}</seg>" in textual.getvalue()


def test_a_failed_export_leaves_the_existing_file_untouched(tmp_path):
    path = tmp_path / "memory.tmx"
    write_tmx([TranslationUnit(source=REFORM, target=REFORM_EN)], path)
    before = path.read_bytes()

    def broken():
        yield TranslationUnit(source=PEOPLE, target=PEOPLE_EN)
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        write_tmx(broken(), path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["memory.tmx"]


def test_characters_xml_cannot_carry_are_exported_as_replacement_characters(tmp_path):
    (back,) = round_trip(tmp_path, [TranslationUnit(source="改革\x0b开放", target="reform\x00")])
    assert (back.source, back.target) == ("改革\ufffd开放", "reform\ufffd")


# -- streaming -------------------------------------------------------------------

MEMORY_PROBE = textwrap.dedent(
    """
    import resource, sys
    from tm.tmx import iter_tmx, write_tmx
    from tm.unit import TranslationUnit, placeholder

    def peak_mb():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    path, count = sys.argv[1], int(sys.argv[2])
    units = (
        TranslationUnit(
            source=f"第{i}条 各级党委和政府要把乡村振兴摆在优先位置{placeholder(0)}。",
            target=f"Article {i}: Party committees at all levels must prioritise rural revitalisation{placeholder(0)}.",
            source_codes=['<ph x="1">&lt;br/&gt;</ph>'],
            target_codes=['<ph x="1">&lt;br/&gt;</ph>'],
            origin="rural-report", position=i, prev_source="会议指出，",
        )
        for i in range(count)
    )
    before = peak_mb()
    write_tmx(units, path)
    written = peak_mb()
    read = sum(1 for unit in iter_tmx(path) if unit.position is not None)
    print(read, written - before, peak_mb() - before)
    """
)


def test_a_200000_unit_file_is_written_and_read_in_constant_memory(tmp_path):
    """Peak resident memory, in a fresh process: lxml's tree lives in C memory,
    which tracemalloc does not see (an uncleared iterparse of this file takes
    hundreds of MB while tracemalloc reports well under 1 MB)."""
    path = tmp_path / "big.tmx"
    result = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, str(path), "200000"],
        capture_output=True, text=True, cwd=REPO, check=True,
    )
    count, write_growth, read_growth = result.stdout.split()
    assert int(count) == 200000
    assert path.stat().st_size > 50_000_000
    assert float(write_growth) < 30, f"writing grew the process by {write_growth} MB"
    assert float(read_growth) < 30, f"reading grew the process by {read_growth} MB"


def test_reading_stops_at_an_error_after_yielding_the_units_before_it(tmp_path):
    body = "\n".join([tu(), tu(zh=PEOPLE, en=PEOPLE_EN), "<tu><tuv xml:lang='zh'><seg>坏</tuv></tu>"])
    path = write(tmp_path, "broken.tmx", tmx_text(body))
    seen = []
    with pytest.raises(FormatError) as info:
        for unit in iter_tmx(path):
            seen.append(unit.source)
    assert seen == [REFORM, PEOPLE]
    assert info.value.line == 7 and info.value.message.startswith("malformed XML: ")


# -- hostile and broken files ---------------------------------------------------

DOCTYPE_MESSAGE = "DOCTYPE/entity declarations are not allowed in TMX (security)"

BILLION_LAUGHS = billion_laughs("tmx", """<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x"
 adminlang="en" srclang="zh" datatype="plaintext" creationid="&lol9;"/><body>
<tu><tuv xml:lang="zh"><seg>&lol9;</seg></tuv><tuv xml:lang="en"><seg>&lol9;</seg></tuv></tu>
</body></tmx>
""")


def test_a_billion_laughs_file_is_refused_not_expanded(tmp_path):
    started = time.monotonic()
    error = error_of(write(tmp_path, "lol.tmx", BILLION_LAUGHS))
    assert time.monotonic() - started < 2
    assert (error.line, error.message) == (2, DOCTYPE_MESSAGE)
    assert str(error) == f"{tmp_path / 'lol.tmx'}:2: {DOCTYPE_MESSAGE}"


def passwd_file(kind: str) -> str:
    body = tu(zh="&xxe;", en="&xxe;")
    declarations = {
        "internal subset": '<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        "external DTD": '<!DOCTYPE tmx SYSTEM "file:///etc/passwd">',
        "parameter entity": '<!DOCTYPE tmx [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>',
    }
    return tmx_text(body).replace("<tmx ", "<!-- exported TM -->\n" + declarations[kind] + "\n<tmx ", 1)


@pytest.mark.parametrize("kind", ["internal subset", "external DTD", "parameter entity"])
def test_an_external_entity_is_refused_and_etc_passwd_never_read(tmp_path, kind):
    error = error_of(write(tmp_path, "xxe.tmx", passwd_file(kind)))
    assert (error.line, error.message) == (3, DOCTYPE_MESSAGE)
    assert "root:" not in str(error) and "root:" not in repr(error.args)


def test_the_parser_itself_also_refuses_a_doctype(tmp_path, monkeypatch):
    """Defence in depth: even without the prolog check, nothing is expanded or read."""
    monkeypatch.setattr(xmlsafe, "check_prolog", lambda *args: None)
    for kind in ("internal subset", "external DTD"):
        path = write(tmp_path, "xxe.tmx", passwd_file(kind))
        stats = ReadStats()
        with pytest.raises(FormatError) as info:
            for unit in iter_tmx(path, stats):
                assert "root:" not in unit.source + unit.target
        assert info.value.message == DOCTYPE_MESSAGE
        assert "root:" not in str(info.value)
        assert stats.read == 0


def test_a_doctype_in_a_utf16_file_is_refused(tmp_path):
    content = ('<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE tmx [<!ENTITY a "b">]>\n<tmx version="1.4"/>\n')
    error = error_of(write(tmp_path, "utf16.tmx", content.encode("utf-16")))
    assert (error.line, error.message) == (2, DOCTYPE_MESSAGE)


def test_a_utf16_file_with_a_bom_is_read(tmp_path):
    content = tmx_text(tu(zh=PEOPLE, en=PEOPLE_EN)).replace('encoding="UTF-8"', 'encoding="UTF-16"')
    for encoding in ("utf-16", "utf-16-be"):
        data = content.encode(encoding)
        if encoding == "utf-16-be":
            data = b"\xfe\xff" + data
        (unit,), _ = read(tmp_path, data, f"{encoding}.tmx")
        assert (unit.source, unit.target) == (PEOPLE, PEOPLE_EN)


def test_a_utf8_file_with_a_bom_is_read(tmp_path):
    (unit,), _ = read(tmp_path, b"\xef\xbb\xbf" + tmx_text(tu()).encode())
    assert unit.source == REFORM


def test_malformed_xml_is_reported_with_its_line(tmp_path):
    body = tu() + "\n" + tu() + "\n<tu><tuv xml:lang='zh'><seg>改革</seg></tuv>\n</body>"
    error = error_of(write(tmp_path, "broken.tmx", tmx_text(body)))
    assert error.message.startswith("malformed XML: ")
    assert error.line == 8
    assert str(error).startswith(f"{tmp_path / 'broken.tmx'}:8: malformed XML")


def test_an_undefined_entity_is_malformed_xml_on_its_line(tmp_path):
    body = tu() + "\n" + tu(zh="驻京&nbsp;办事处")
    error = error_of(write(tmp_path, "entity.tmx", tmx_text(body)))
    assert (error.line, error.message) == (6, "malformed XML: Entity 'nbsp' not defined")


def test_a_file_cut_short_is_malformed(tmp_path):
    content = tmx_text(tu() + "\n" + tu())[:-60]
    error = error_of(write(tmp_path, "cut.tmx", content))
    assert error.message.startswith("malformed XML") and error.line


def test_bytes_that_are_not_utf8_are_malformed_xml_on_their_line(tmp_path):
    content = tmx_text(tu() + "\n" + tu(zh="治理")).encode("utf-8").replace("治理".encode(), "治理".encode("gbk"))
    error = error_of(write(tmp_path, "gbk.tmx", content))
    assert error.message.startswith("malformed XML") and error.line == 6


def test_a_file_that_is_not_tmx_is_refused_naming_its_root(tmp_path):
    content = '<?xml version="1.0"?>\n<xliff version="1.2"><file/></xliff>\n'
    error = error_of(write(tmp_path, "not.tmx", content))
    assert (error.line, error.message) == (2, "not a TMX file (root element <xliff>)")


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"  \n\n", "\ufeff".encode("utf-16")])
def test_an_empty_file_is_an_error(tmp_path, content):
    error = error_of(write(tmp_path, "empty.tmx", content))
    assert (error.line, error.message) == (None, "empty file")


def test_a_missing_file_is_a_format_error(tmp_path):
    error = error_of(tmp_path / "missing.tmx")
    assert error.message == "no such file"


def test_too_many_inline_elements_in_one_segment_is_an_error_on_its_line(tmp_path):
    body = tu() + "\n" + tu(zh="改革" + "<ph/>" * 6401)
    error = error_of(write(tmp_path, "many.tmx", tmx_text(body)))
    assert error.line == 6 and "too many inline elements" in error.message


# -- choosing the format by extension ---------------------------------------------


def test_the_extension_chooses_tmx_or_tsv(tmp_path):
    units = [TranslationUnit(source=REFORM, target=REFORM_EN, origin="plenum")]
    write_units(units, tmp_path / "tm.tmx")
    write_units(units, tmp_path / "tm.tsv")
    assert (tmp_path / "tm.tmx").read_text(encoding="utf-8").startswith("<?xml")
    assert (tmp_path / "tm.tsv").read_text(encoding="utf-8") == f"{REFORM}\t{REFORM_EN}\n"
    assert list(iter_units(tmp_path / "tm.tmx")) == units
    stats = ReadStats()
    assert [(u.source, u.target) for u in iter_units(tmp_path / "tm.tsv", stats)] == [(REFORM, REFORM_EN)]
    assert stats.read == 1


@pytest.mark.parametrize("name", ["tm.xliff", "tm"])
def test_an_unknown_extension_is_refused(tmp_path, name):
    with pytest.raises(FormatError) as info:
        iter_units(tmp_path / name)
    assert "unknown translation memory format" in info.value.message
    with pytest.raises(FormatError):
        write_units([], tmp_path / name)
