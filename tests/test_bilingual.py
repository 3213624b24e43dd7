"""Bilingual input for `tm check` and `tm score`: line-aligned files, TSV, TMX, XLIFF 1.2/2.0, the TM."""
from __future__ import annotations

import pytest

from hostile_xml import billion_laughs
from glossary.errors import FormatError
from tm.bilingual import Segment, memory_segments, read_parallel, read_segments
from tm.store import TranslationMemory
from tm.unit import TranslationUnit, placeholder
from tm.xliff import iter_xliff

REFORM, REFORM_EN = "全面深化改革。", "Deepen reform comprehensively."
SESSIONS, SESSIONS_EN = "两会在北京召开。", "The Two Sessions opened in Beijing."


def write(tmp_path, name, content: str | bytes):
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return str(path)


def error_of(call, *args) -> FormatError:
    with pytest.raises(FormatError) as info:
        call(*args)
    return info.value


# ---------------------------------------------------------------- two line-aligned files

def test_parallel_files_pair_line_n_with_line_n_and_number_segments_by_line(tmp_path):
    src = write(tmp_path, "zh.txt", f"{REFORM}\n\n{SESSIONS}\n")
    tgt = write(tmp_path, "en.txt", f"{REFORM_EN}\n\n{SESSIONS_EN}\n")
    assert read_parallel(src, tgt) == [Segment(REFORM, REFORM_EN, 1), Segment(SESSIONS, SESSIONS_EN, 3)]


def test_parallel_files_keep_a_line_blank_on_one_side_as_an_empty_side(tmp_path):
    src = write(tmp_path, "zh.txt", f"{REFORM}\n{SESSIONS}\n")
    tgt = write(tmp_path, "en.txt", f"{REFORM_EN}\n\n")
    assert read_parallel(src, tgt) == [Segment(REFORM, REFORM_EN, 1), Segment(SESSIONS, "", 2)]


def test_parallel_files_tolerate_a_bom_and_crlf(tmp_path):
    src = write(tmp_path, "zh.txt", b"\xef\xbb\xbf" + f"{REFORM}\r\n{SESSIONS}\r\n".encode())
    tgt = write(tmp_path, "en.txt", f"{REFORM_EN}\n{SESSIONS_EN}")
    assert read_parallel(src, tgt) == [Segment(REFORM, REFORM_EN, 1), Segment(SESSIONS, SESSIONS_EN, 2)]


def test_parallel_files_split_on_newlines_only_not_on_unicode_line_separators(tmp_path):
    src = write(tmp_path, "zh.txt", f"改革\u2028开放\n{SESSIONS}\n")
    tgt = write(tmp_path, "en.txt", f"reform and opening up\n{SESSIONS_EN}\n")
    assert [s.line for s in read_parallel(src, tgt)] == [1, 2]


def test_parallel_files_of_different_lengths_are_an_error_naming_both_counts(tmp_path):
    src = write(tmp_path, "zh.txt", f"{REFORM}\n{SESSIONS}\n{REFORM}\n")
    tgt = write(tmp_path, "en.txt", f"{REFORM_EN}\n{SESSIONS_EN}\n")
    message = str(error_of(read_parallel, src, tgt))
    assert "zh.txt" in message and "en.txt" in message and "3 lines" in message and "has 2" in message


def test_parallel_file_in_another_encoding_names_the_line_and_accepts_encoding(tmp_path):
    src = write(tmp_path, "zh.txt", f"{REFORM}\n{SESSIONS}\n".encode("gb18030"))
    tgt = write(tmp_path, "en.txt", f"{REFORM_EN}\n{SESSIONS_EN}\n")
    error = error_of(read_parallel, src, tgt)
    assert error.line == 1 and "UTF-8" in error.message
    assert read_parallel(src, tgt, encoding="gb18030")[1].source == SESSIONS


def test_empty_parallel_file_is_an_error(tmp_path):
    src = write(tmp_path, "zh.txt", "\n\n")
    tgt = write(tmp_path, "en.txt", "a\n")
    assert error_of(read_parallel, src, tgt).message == "empty file"


# ---------------------------------------------------------------- TSV

def test_tsv_keeps_empty_targets_for_the_untranslated_check(tmp_path):
    path = write(tmp_path, "job.tsv", f"{REFORM}\t{REFORM_EN}\n\n{SESSIONS}\t\n")
    assert read_segments(path) == [Segment(REFORM, REFORM_EN, 1), Segment(SESSIONS, "", 3)]


def test_tsv_without_a_tab_or_with_two_is_an_error_on_its_line(tmp_path):
    assert error_of(read_segments, write(tmp_path, "a.tsv", f"{REFORM}\t{REFORM_EN}\n{SESSIONS}\n")).line == 2
    error = error_of(read_segments, write(tmp_path, "b.tsv", f"{REFORM}\t{REFORM_EN}\tnote\n"))
    assert error.line == 1 and "3 columns" in error.message


def test_tsv_in_gb18030_is_an_error_unless_the_encoding_is_given(tmp_path):
    path = write(tmp_path, "job.tsv", f"{REFORM}\t{REFORM_EN}\n".encode("gb18030"))
    assert error_of(read_segments, path).line == 1
    assert read_segments(path, encoding="gb18030") == [Segment(REFORM, REFORM_EN, 1)]


def test_a_binary_file_is_named_as_such_not_as_a_missing_tab(tmp_path):
    error = error_of(read_segments, write(tmp_path, "image.tsv", f"{REFORM}\t{REFORM_EN}\n".encode() + b"\x89PNG\x00\x01"))
    assert (error.line, error.message) == (2, "binary file, not text")
    error = error_of(read_parallel, write(tmp_path, "zh.txt", b"\x00\x01"), write(tmp_path, "en.txt", "x\n"))
    assert error.message == "binary file, not text"


def test_unknown_extension_names_the_known_ones(tmp_path):
    message = error_of(read_segments, write(tmp_path, "job.docx", "x")).message
    assert "'.docx'" in message and ".xliff" in message and ".tmx" in message


# ---------------------------------------------------------------- TMX

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="zh-CN" segtype="sentence" o-tmf="x" adminlang="en" datatype="plaintext" creationtool="t" creationtoolversion="1"/>
<body>
<tu><tuv xml:lang="zh-CN"><seg>{zh1}</seg></tuv><tuv xml:lang="en-US"><seg>{en1}</seg></tuv></tu>
<tu><tuv xml:lang="fr"><seg>Bonjour</seg></tuv><tuv xml:lang="en"><seg>Hello</seg></tuv></tu>
<tu><tuv xml:lang="zh-TW"><seg>{zh2}</seg></tuv><tuv xml:lang="en"><seg></seg></tuv></tu>
<tu><tuv xml:lang="zh-CN"><seg>全面<bpt i="1">&lt;b&gt;</bpt>深化<ept i="1">&lt;/b&gt;</ept>改革</seg></tuv></tu>
</body></tmx>
"""


def test_tmx_segments_number_units_and_keep_units_without_english_as_untranslated(tmp_path):
    path = write(tmp_path, "job.tmx", TMX.format(zh1=REFORM, en1=REFORM_EN, zh2="兩會在北京召開。"))
    assert read_segments(path) == [
        Segment(REFORM, REFORM_EN, 1),          # unit 2 has no Chinese: not a segment
        Segment("兩會在北京召開。", "", 3),
        Segment("全面{1}深化{2}改革", "", 4),      # inline codes shown as {n}
    ]


def test_hostile_tmx_is_refused_before_parsing(tmp_path):
    path = write(tmp_path, "bomb.tmx", billion_laughs("tmx", "<tmx><body>&lol9;</body></tmx>"))
    assert "DOCTYPE" in error_of(read_segments, path).message


def test_malformed_tmx_names_its_line(tmp_path):
    path = write(tmp_path, "bad.tmx", TMX.format(zh1=REFORM, en1="<b>unclosed", zh2="x"))
    error = error_of(read_segments, path)
    assert error.line == 4 and "malformed XML" in error.message


# ---------------------------------------------------------------- XLIFF

XLIFF12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="article.docx" source-language="zh-CN" target-language="en-US" datatype="x-docx">
  <body>
   <group id="p1">
    <trans-unit id="a1"><source>{zh1}</source><target state="translated">{en1}</target></trans-unit>
    <trans-unit id="a2"><source>全面<g id="1">深化</g><x id="2"/>改革</source><target>Deepen <g id="1">reform</g><x id="2"/></target></trans-unit>
   </group>
   <trans-unit id="a3" translate="no"><source>ABC</source></trans-unit>
   <trans-unit id="a4"><source>{zh2}</source></trans-unit>
  </body>
 </file>
</xliff>
"""

XLIFF20 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="zh-CN" trgLang="en">
 <file id="f1">
  <unit id="u1">
   <segment id="s1"><source>{zh1}</source><target>{en1}</target></segment>
   <ignorable><source> </source></ignorable>
   <segment id="s2"><source>两会<pc id="1">在北京</pc><ph id="2"/>召开<cp hex="3002"/></source></segment>
  </unit>
 </file>
</xliff>
"""


def test_xliff_1_2_reads_units_in_groups_keeps_wrapped_text_and_skips_translate_no(tmp_path):
    path = write(tmp_path, "job.xlf", XLIFF12.format(zh1=REFORM, en1=REFORM_EN, zh2=SESSIONS))
    assert read_segments(path) == [
        Segment(REFORM, REFORM_EN, 1),
        Segment("全面深化{1}改革", "Deepen reform{1}", 2),
        Segment(SESSIONS, "", 3),      # no <target>: untranslated, not an error
    ]


def test_xliff_reader_reports_languages_ids_and_lines_from_the_file(tmp_path):
    path = write(tmp_path, "job.xlf", XLIFF12.format(zh1=REFORM, en1=REFORM_EN, zh2=SESSIONS))
    first, second, third = iter_xliff(path)
    assert (first.id, first.line, first.source_lang, first.target_lang) == ("a1", 6, "zh-CN", "en-US")
    assert second.source == f"全面深化{placeholder(0)}改革" and third.id == "a4"


def test_xliff_2_0_yields_one_segment_per_segment_with_codes_and_code_points(tmp_path):
    path = write(tmp_path, "job.xliff", XLIFF20.format(zh1=REFORM, en1=REFORM_EN))
    assert read_segments(path) == [Segment(REFORM, REFORM_EN, 1), Segment("两会在北京{1}召开。", "", 2)]
    assert [s.id for s in iter_xliff(path)] == ["u1/s1", "u1/s2"]


def test_xliff_from_english_to_chinese_is_refused_with_the_languages_named(tmp_path):
    text = XLIFF12.format(zh1=REFORM, en1=REFORM_EN, zh2=SESSIONS).replace(
        'source-language="zh-CN" target-language="en-US"', 'source-language="en" target-language="zh-CN"')
    message = error_of(read_segments, write(tmp_path, "job.xlf", text)).message
    assert "'en'" in message and "not Chinese" in message


def test_xliff_hostile_malformed_foreign_and_empty_files_are_one_line_errors(tmp_path):
    bomb = write(tmp_path, "bomb.xlf", billion_laughs("xliff", '<xliff version="1.2">&lol9;</xliff>'))
    assert "DOCTYPE" in error_of(read_segments, bomb).message
    broken = write(tmp_path, "broken.xlf", XLIFF12.format(zh1=REFORM, en1="<g>open", zh2=SESSIONS))
    error = error_of(read_segments, broken)
    assert error.line == 6 and "malformed XML" in error.message
    assert "root element <tmx>" in error_of(read_segments, write(tmp_path, "t.xlf", "<tmx/>")).message
    assert "version '3.0'" in error_of(read_segments, write(tmp_path, "v.xlf", '<xliff version="3.0"/>')).message
    assert error_of(read_segments, write(tmp_path, "e.xlf", "  \n")).message == "empty file"
    no_source = '<xliff version="1.2"><file source-language="zh"><body><trans-unit id="1"/></body></file></xliff>'
    assert "without <source>" in error_of(read_segments, write(tmp_path, "n.xlf", no_source)).message


# ---------------------------------------------------------------- the TM

def test_memory_segments_are_the_units_in_order_with_codes_readable(tmp_path):
    with TranslationMemory(tmp_path / "tm.db") as memory:
        memory.add([TranslationUnit(REFORM, REFORM_EN),
                    TranslationUnit(f"两会{placeholder(0)}召开", "Two Sessions", source_codes=['<ph x="1"/>'])])
        assert memory_segments(memory) == [Segment(REFORM, REFORM_EN, 1), Segment("两会{1}召开", "Two Sessions", 2)]


def test_xliff_units_in_a_group_or_file_marked_translate_no_are_skipped(tmp_path):
    v12 = ('<?xml version="1.0"?><xliff version="1.2"><file source-language="zh-CN" target-language="en">'
           '<body><group translate="no"><trans-unit id="1"><source>不翻译</source><target/></trans-unit></group>'
           '<trans-unit id="2"><source>翻译</source><target>translate</target></trans-unit></body></file></xliff>')
    v20 = ('<?xml version="1.0"?><xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="zh" '
           'trgLang="en"><file id="f"><group id="g" translate="no"><unit id="1"><segment><source>不翻译</source>'
           '</segment></unit><unit id="2" translate="yes"><segment><source>翻译</source><target>translate</target>'
           '</segment></unit></group></file></xliff>')
    for name, text in (("v12.xlf", v12), ("v20.xlf", v20)):
        assert [s.source for s in read_segments(write(tmp_path, name, text))] == ["翻译"]
