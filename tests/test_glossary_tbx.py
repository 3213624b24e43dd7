"""TBX: what a user gets from writing and reading term bases, and what hostile
or broken files produce.
"""
from __future__ import annotations

import io
import os
import time

import pytest

from hostile_xml import billion_laughs

import entry_strategies
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from glossary import formats, tbx
from glossary.errors import FormatError
from glossary.formats import read_glossary
from glossary.model import Entry
from glossary.tbx import read_tbx, read_tbx_report, write_tbx

NS = {"t": "urn:iso:std:iso:30042:ed-2"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ORG_DEPT = "中共中央组织部"
ORG_DEPT_EN = "Organization Department of the CPC Central Committee"
NDRC = "国家发展和改革委员会"
NDRC_EN = "National Development and Reform Commission"


def write(tmp_path, name: str, content: str | bytes):
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def error_of(path) -> FormatError:
    with pytest.raises(FormatError) as info:
        read_tbx(path)
    return info.value


def tbx3(body: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">\n'
        "<tbxHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></tbxHeader>\n"
        f"<text><body>\n{body}\n</body></text>\n</tbx>\n"
    )


def xian() -> Entry:
    return Entry(
        zh="西安市",
        en="Xi'an",
        zh_traditional="西安市",
        zh_variants=["西安", "长安"],
        en_admitted=["Xi'an City"],
        en_deprecated=["Sian"],
        en_forbidden=["Hsi-an", "Xian"],
        pinyin="Xī'ān Shì",
        type="place",
        field="administrative divisions",
        note="capital of Shaanxi; <b> & \"quoted\" 'text'",
        source="GB/T 16159-2012 & Xinhua style guide",
    )


def org_dept() -> Entry:
    return Entry(
        zh=ORG_DEPT,
        en=ORG_DEPT_EN,
        zh_traditional="中共中央組織部",
        zh_variants=["中组部"],
        en_admitted=["Central Organization Department"],
        pinyin="Zhōnggòng Zhōngyāng Zǔzhībù",
        type="organisation",
        field="Party organs",
        id="org-dept",
    )


# -- writing -----------------------------------------------------------------


def test_written_tbx_is_tbx_basic_v3_in_dca_style(tmp_path):
    path = tmp_path / "terms.tbx"
    write_tbx([xian(), org_dept()], path)
    data = path.read_bytes()
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<tbx ')
    root = etree.fromstring(data)
    assert root.tag == "{urn:iso:std:iso:30042:ed-2}tbx"
    assert (root.get("type"), root.get("style"), root.get(XML_LANG)) == ("TBX-Basic", "dca", "en")
    assert root.find("t:tbxHeader/t:fileDesc/t:sourceDesc/t:p", NS) is not None
    concepts = root.findall("t:text/t:body/t:conceptEntry", NS)
    assert [c.get("id") for c in concepts] == ["c1", "org-dept"]
    assert {etree.QName(e).namespace for e in root.iter()} == {NS["t"]}
    assert b"\n    <body>\n" in data  # pretty-printed


def test_written_statuses_and_data_categories(tmp_path):
    path = tmp_path / "terms.tbx"
    write_tbx([xian()], path)
    concept = etree.parse(str(path)).find(".//t:conceptEntry", NS)

    def status(lang: str) -> list[tuple[str, str]]:
        [sec] = concept.xpath("t:langSec[@xml:lang=$lang]", namespaces=NS, lang=lang)
        return [
            (ts.findtext("t:term", namespaces=NS), ts.findtext("t:termNote[@type='administrativeStatus']", namespaces=NS))
            for ts in sec.findall("t:termSec", NS)
        ]

    assert status("zh") == [
        ("西安市", "preferredTerm-admn-sts"),
        ("西安", "admittedTerm-admn-sts"),
        ("长安", "admittedTerm-admn-sts"),
    ]
    assert status("zh-Hant") == [("西安市", "preferredTerm-admn-sts")]
    assert status("en") == [
        ("Xi'an", "preferredTerm-admn-sts"),
        ("Xi'an City", "admittedTerm-admn-sts"),
        ("Sian", "supersededTerm-admn-sts"),
        ("Hsi-an", "deprecatedTerm-admn-sts"),
        ("Xian", "deprecatedTerm-admn-sts"),
    ]
    assert concept.findtext("t:descrip[@type='subjectField']", namespaces=NS) == "administrative divisions"
    assert concept.findtext("t:descrip[@type='definition']", namespaces=NS) == xian().note
    assert concept.findtext("t:note", namespaces=NS) == "type: place"
    headword = concept.xpath("t:langSec[@xml:lang='zh']/t:termSec", namespaces=NS)[0]
    assert headword.findtext("t:termNote[@type='termType']", namespaces=NS) == "fullForm"
    assert headword.findtext("t:termNote[@type='pronunciation']", namespaces=NS) == "Xī'ān Shì"
    english = concept.xpath("t:langSec[@xml:lang='en']/t:termSec", namespaces=NS)[0]
    assert english.findtext("t:admin[@type='source']", namespaces=NS) == xian().source


def test_tbx_writer_accepts_text_and_binary_streams():
    text, binary = io.StringIO(), io.BytesIO()
    write_tbx([org_dept()], text)
    write_tbx([org_dept()], binary)
    assert binary.getvalue().decode("utf-8") == text.getvalue()
    assert "<term>中组部</term>" in text.getvalue()


def test_concept_ids_are_kept_when_valid_and_unique_else_numbered(tmp_path):
    entries = [
        Entry("中组部", "Organization Department", id="c2"),
        Entry(NDRC, NDRC_EN),
        Entry("驻京办事处", "liaison office in Beijing", id="42"),  # not an XML ID
        Entry("国务院", "State Council", id="c2"),  # already used
    ]
    path = tmp_path / "ids.tbx"
    write_tbx(entries, path)
    assert [e.id for e in read_tbx(path)] == ["c2", "c1", "c3", "c4"]


def test_characters_xml_cannot_carry_are_replaced(tmp_path):
    path = tmp_path / "control.tbx"
    write_tbx([Entry(NDRC, NDRC_EN, note="bell\x07 here")], path)
    assert read_tbx(path)[0].note == "bell\ufffd here"


# -- round trips ---------------------------------------------------------------


def test_tbx_round_trip_keeps_every_field(tmp_path):
    entries = [xian(), org_dept(), Entry("驻京办事处", "liaison office in Beijing")]
    path = tmp_path / "terms.tbx"
    write_tbx(entries, path)
    back = read_tbx(path)
    expected = [xian(), org_dept(), Entry("驻京办事处", "liaison office in Beijing")]
    expected[0].id, expected[2].id = "c1", "c2"  # numbered in order; org_dept keeps its id
    assert back == expected


TEXT = st.text(st.characters(exclude_categories=("Cc", "Cs", "Cn")), max_size=12)  # Cn: U+FFFE, U+FFFF


def entries():
    return entry_strategies.entries(TEXT)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(entries(), max_size=5))
def test_tbx_round_trip_of_generated_entries(tmp_path, generated):
    path = tmp_path / "generated.tbx"
    write_tbx(generated, path)
    for i, entry in enumerate(generated, start=1):
        entry.id = f"c{i}"
    assert read_tbx(path) == generated


# -- reading other TBX -----------------------------------------------------------

MARTIF = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en-US">
  <martifHeader><fileDesc><sourceDesc><p>exported from a CAT tool</p></sourceDesc></fileDesc></martifHeader>
  <text><body>
    <termEntry id="eid-1">
      <descrip type="subjectField">macroeconomics</descrip>
      <descripGrp>
        <descrip type="definition">the state planning agency</descrip>
        <admin type="source">State Council website</admin>
      </descripGrp>
      <langSet xml:lang="zh-CN">
        <tig>
          <term>国家发展和改革委员会</term>
          <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
        </tig>
        <tig>
          <term>发改委</term>
          <termNote type="administrativeStatus">admittedTerm-admn-sts</termNote>
        </tig>
      </langSet>
      <langSet xml:lang="EN-GB">
        <ntig>
          <termGrp>
            <term>National Development and Reform Commission</term>
            <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
          </termGrp>
          <admin type="source">NDRC English site</admin>
        </ntig>
        <tig>
          <term>NDRC</term>
          <termNote type="administrativeStatus">standardizedTerm-admn-sts</termNote>
        </tig>
        <tig>
          <term>State Development Planning Commission</term>
          <termNote type="administrativeStatus">supersededTerm-admn-sts</termNote>
        </tig>
        <tig>
          <term>Reform Commission</term>
          <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote>
        </tig>
      </langSet>
      <langSet xml:lang="fr"><tig><term>Commission nationale du développement et de la réforme</term></tig></langSet>
    </termEntry>
    <termEntry id="eid-2">
      <langSet xml:lang="zh"><tig><term>驻京办事处</term></tig></langSet>
      <langSet xml:lang="en"><tig><term>liaison office in Beijing</term></tig><tig><term>Beijing office</term></tig></langSet>
    </termEntry>
  </body></text>
</martif>
"""


def test_a_tbx_2008_martif_file_is_read(tmp_path):
    entries = read_tbx(write(tmp_path, "old.tbx", MARTIF))
    assert entries == [
        Entry(
            zh=NDRC,
            en=NDRC_EN,
            zh_variants=["发改委"],
            en_admitted=["NDRC"],  # a second preferred (standardized) term is an alternative
            en_deprecated=["State Development Planning Commission"],
            en_forbidden=["Reform Commission"],
            field="macroeconomics",
            note="the state planning agency",
            source="NDRC English site",
            id="eid-1",
        ),
        # no statuses: the first English term is preferred, the others admitted
        Entry("驻京办事处", "liaison office in Beijing", en_admitted=["Beijing office"], id="eid-2"),
    ]


def test_a_traditional_only_concept_gets_its_simplified_form_derived(tmp_path):
    body = """<conceptEntry id="x">
      <langSec xml:lang="zh-TW"><termSec><term>國家發展和改革委員會</term></termSec></langSec>
      <langSec xml:lang="en-US"><termSec><term>National Development and Reform Commission</term></termSec></langSec>
    </conceptEntry>"""
    [entry] = read_tbx(write(tmp_path, "tw.tbx", tbx3(body)))
    assert entry.zh == NDRC
    assert entry.zh_traditional == "國家發展和改革委員會"
    assert entry.en == NDRC_EN


@pytest.mark.parametrize("code", ["zh", "zh-CN", "ZH-cn", "zh-Hans", "zh-SG", "zh_CN"])
def test_simplified_language_codes(tmp_path, code):
    body = f"""<conceptEntry><langSec xml:lang="{code}"><termSec><term>中组部</term></termSec></langSec>
      <langSec xml:lang="en"><termSec><term>Organization Department</term></termSec></langSec></conceptEntry>"""
    [entry] = read_tbx(write(tmp_path, "t.tbx", tbx3(body)))
    assert (entry.zh, entry.zh_traditional) == ("中组部", "")


@pytest.mark.parametrize("code", ["zh-TW", "zh-HK", "zh-Hant", "ZH-HANT-TW"])
def test_traditional_language_codes(tmp_path, code):
    body = f"""<conceptEntry><langSec xml:lang="{code}"><termSec><term>中組部</term></termSec></langSec>
      <langSec xml:lang="en-GB"><termSec><term>Organisation Department</term></termSec></langSec></conceptEntry>"""
    [entry] = read_tbx(write(tmp_path, "t.tbx", tbx3(body)))
    assert (entry.zh, entry.zh_traditional) == ("中组部", "中組部")


def test_tbx_v3_without_a_namespace_is_read(tmp_path):
    content = tbx3(
        '<conceptEntry id="c1"><langSec xml:lang="zh"><termSec><term>中组部</term></termSec></langSec>'
        '<langSec xml:lang="en"><termSec><term>Organization Department</term></termSec></langSec></conceptEntry>'
    ).replace(' xmlns="urn:iso:std:iso:30042:ed-2"', "")
    assert [(e.zh, e.en) for e in read_tbx(write(tmp_path, "t.tbx", content))] == [
        ("中组部", "Organization Department")
    ]


def test_concepts_without_chinese_or_usable_english_are_skipped_and_counted(tmp_path):
    body = """
    <conceptEntry id="no-zh"><langSec xml:lang="en"><termSec><term>State Council</term></termSec></langSec></conceptEntry>
    <conceptEntry id="no-en"><langSec xml:lang="zh"><termSec><term>国务院</term></termSec></langSec></conceptEntry>
    <conceptEntry id="only-forbidden">
      <langSec xml:lang="zh"><termSec><term>中组部</term></termSec></langSec>
      <langSec xml:lang="en"><termSec><term>Ministry of Organization</term>
        <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec></langSec>
    </conceptEntry>
    <conceptEntry id="ok">
      <langSec xml:lang="zh"><termSec><term>驻京办事处</term></termSec></langSec>
      <langSec xml:lang="en"><termSec><term>liaison office in Beijing</term></termSec></langSec>
    </conceptEntry>"""
    path = write(tmp_path, "t.tbx", tbx3(body))
    entries, skipped = read_tbx_report(path)
    assert [e.id for e in entries] == ["ok"]
    assert skipped == 3
    assert read_tbx(path) == entries


def test_reading_streams_a_large_file_concept_by_concept(tmp_path, monkeypatch):
    """Each concept is dropped once read: only the parser's look-ahead stays in memory."""
    body = "\n".join(
        f'<conceptEntry id="c{i}"><langSec xml:lang="zh"><termSec><term>术语{i}</term></termSec></langSec>'
        f'<langSec xml:lang="en"><termSec><term>term {i}</term></termSec></langSec></conceptEntry>'
        for i in range(2000)
    )
    path = write(tmp_path, "big.tbx", tbx3(body))
    kept = []
    real = tbx._concept_entry

    def spy(element):
        kept.append([len(c) for c in element.itersiblings(preceding=True)])
        return real(element)

    monkeypatch.setattr(tbx, "_concept_entry", spy)
    entries = read_tbx(path)
    assert len(entries) == 2000 and entries[-1].en == "term 1999"
    # of the concepts read before, at most the last one is still there, emptied
    assert all(before in ([], [0]) for before in kept)


# -- broken and hostile files ----------------------------------------------------


def test_an_unclosed_tag_is_reported_with_its_line(tmp_path):
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'  # 1
        '<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">\n'  # 2
        "<text><body>\n"  # 3
        '<conceptEntry id="c1">\n'  # 4
        '  <langSec xml:lang="zh"><termSec><term>中组部</term></termSec></langSec>\n'  # 5
        "</body></text></tbx>\n"  # 6
    )
    error = error_of(write(tmp_path, "broken.tbx", content))
    assert error.line == 6
    assert error.message.startswith("malformed XML: ")
    assert "conceptEntry line 4" in error.message
    assert str(error).startswith(f"{tmp_path / 'broken.tbx'}:6: malformed XML")


def test_an_undefined_entity_is_reported_with_its_line(tmp_path):
    body = '<conceptEntry>\n<langSec xml:lang="zh"><termSec><term>驻京&nbsp;办事处</term></termSec></langSec></conceptEntry>'
    error = error_of(write(tmp_path, "entity.tbx", tbx3(body)))
    assert error.line == 6
    assert error.message == "malformed XML: Entity 'nbsp' not defined"


def test_a_file_cut_short_is_malformed(tmp_path):
    content = tbx3("<conceptEntry><langSec xml:lang='zh'><termSec><term>中组部</term>")[:-40]
    error = error_of(write(tmp_path, "cut.tbx", content))
    assert "malformed XML" in error.message and error.line


BILLION_LAUGHS = billion_laughs("tbx", """<tbx type="TBX-Basic" style="dca" xml:lang="en" note="&lol9;"><text><body>
<conceptEntry><langSec xml:lang="zh"><termSec><term>&lol9;</term></termSec></langSec>
<langSec xml:lang="en"><termSec><term>&lol9;</term></termSec></langSec></conceptEntry>
</body></text></tbx>
""")


def test_a_billion_laughs_file_is_refused_not_expanded(tmp_path):
    started = time.monotonic()
    error = error_of(write(tmp_path, "lol.tbx", BILLION_LAUGHS))
    assert time.monotonic() - started < 2
    assert error.message == "DOCTYPE/entity declarations are not allowed in TBX (security)"
    assert error.line == 2


def xxe_file(tmp_path) -> tuple[str, str]:
    """A TBX file whose DTD declares an entity reading a secret file, and the secret."""
    secret = "TOP-SECRET-PASSWORD-4711"
    (tmp_path / "secret.txt").write_text(secret, encoding="utf-8")
    body = (
        '<conceptEntry><descrip type="definition">&xxe;</descrip>'
        '<langSec xml:lang="zh"><termSec><term>中组部</term></termSec></langSec>'
        '<langSec xml:lang="en"><termSec><term>&xxe;</term></termSec></langSec></conceptEntry>'
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<!-- exported term base -->\n"
        f'<!DOCTYPE tbx [<!ENTITY xxe SYSTEM "file://{tmp_path / "secret.txt"}">]>\n'
        + tbx3(body).split("\n", 1)[1]
    )
    return content, secret


def test_an_external_entity_is_refused_and_the_file_it_names_never_read(tmp_path):
    content, secret = xxe_file(tmp_path)
    path = write(tmp_path, "xxe.tbx", content)
    with pytest.raises(FormatError) as info:
        read_glossary(path)
    assert info.value.line == 3
    assert "DOCTYPE" in info.value.message
    assert secret not in str(info.value) and secret not in repr(info.value.args)


def test_the_parser_itself_also_refuses_a_doctype(tmp_path, monkeypatch):
    """Defence in depth: even without the prolog check, nothing is expanded or read."""
    content, secret = xxe_file(tmp_path)
    path = write(tmp_path, "xxe.tbx", content)
    monkeypatch.setattr(tbx, "_check_prolog", lambda path, stream: None)
    with pytest.raises(FormatError) as info:
        read_tbx_report(path)
    assert "DOCTYPE" in info.value.message
    assert secret not in str(info.value)


def test_a_doctype_after_a_long_comment_or_in_utf16_is_refused(tmp_path):
    long_comment = "<!-- " + "注释 " * 50000 + "-->\n"
    content = '<?xml version="1.0"?>\n' + long_comment + '<!DOCTYPE tbx SYSTEM "http://example.com/tbx.dtd">\n<tbx/>\n'
    assert "DOCTYPE" in error_of(write(tmp_path, "late.tbx", content)).message
    utf16 = ('<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE tbx [<!ENTITY a "b">]>\n<tbx/>\n').encode("utf-16")
    error = error_of(write(tmp_path, "utf16.tbx", utf16))
    assert "DOCTYPE" in error.message and error.line == 2


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"  \n\n"])
def test_an_empty_tbx_file_is_an_error(tmp_path, content):
    error = error_of(write(tmp_path, "empty.tbx", content))
    assert error.message == "empty glossary file" and error.line is None


def test_a_file_that_is_not_tbx_is_refused_naming_its_root(tmp_path):
    content = '<?xml version="1.0"?>\n<xliff version="1.2"><file/></xliff>\n'
    error = error_of(write(tmp_path, "not.xml", content))
    assert error.message == "not a TBX file (root element <xliff>)"
    assert error.line == 2


def test_a_failed_tbx_write_leaves_the_existing_file_untouched(tmp_path, monkeypatch):
    path = tmp_path / "terms.tbx"
    write_tbx([org_dept()], path)
    before = path.read_bytes()

    def fsync_fails(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(formats.os, "fsync", fsync_fails)
    with pytest.raises(OSError):
        write_tbx([xian()], path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["terms.tbx"]
