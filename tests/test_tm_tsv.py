"""Bilingual TSV translation memories: ``Chinese<TAB>English``, one pair a line."""
from __future__ import annotations

import io
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossary.errors import FormatError
from tm.formats import ReadStats
from tm.tsv import EMPTY_CHINESE, EMPTY_ENGLISH, iter_tsv, write_tsv
from tm.unit import TranslationUnit, placeholder

OPINIONS = "国务院办公厅印发《关于进一步优化营商环境的意见》。"
OPINIONS_EN = "The General Office of the State Council issued the Opinions on Further Improving the Business Environment."
BONDS = "地方政府专项债券"
BONDS_EN = "local government special-purpose bonds"


def write(tmp_path, content: str | bytes, name: str = "memory.tsv"):
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def pairs(path, stats: ReadStats | None = None) -> list[tuple[str, str]]:
    return [(unit.source, unit.target) for unit in iter_tsv(path, stats)]


def error_of(path) -> FormatError:
    with pytest.raises(FormatError) as info:
        list(iter_tsv(path))
    return info.value


def test_each_line_is_one_chinese_english_unit(tmp_path):
    path = write(tmp_path, f"{OPINIONS}\t{OPINIONS_EN}\n{BONDS}\t{BONDS_EN}\n")
    units = list(iter_tsv(path))
    assert units == [
        TranslationUnit(source=OPINIONS, target=OPINIONS_EN, source_lang="zh-CN", target_lang="en"),
        TranslationUnit(source=BONDS, target=BONDS_EN),
    ]


def test_a_bom_crlf_blank_lines_and_surrounding_spaces_are_fine(tmp_path):
    content = "\ufeff" + f"{BONDS} \t  {BONDS_EN}\r\n\r\n   \r\n{OPINIONS}\t{OPINIONS_EN}"
    stats = ReadStats()
    assert pairs(write(tmp_path, content), stats) == [(BONDS, BONDS_EN), (OPINIONS, OPINIONS_EN)]
    assert (stats.read, stats.skipped) == (2, 0)


def test_a_line_separator_inside_a_segment_does_not_split_the_line(tmp_path):
    assert pairs(write(tmp_path, f"专项\u2028债券\tspecial\u0085bonds\n")) == [("专项\u2028债券", "special\u0085bonds")]


def test_a_line_with_an_empty_side_is_skipped_and_counted(tmp_path):
    content = f"{BONDS}\t{BONDS_EN}\n\t{OPINIONS_EN}\n{OPINIONS}\t  \n{OPINIONS}\t\n"
    stats = ReadStats()
    assert pairs(write(tmp_path, content), stats) == [(BONDS, BONDS_EN)]
    assert (stats.read, stats.skipped, stats.kept) == (4, 3, 1)
    assert stats.reasons == {EMPTY_CHINESE: 1, EMPTY_ENGLISH: 2}


def test_a_line_without_a_tab_is_an_error_on_its_line(tmp_path):
    error = error_of(write(tmp_path, f"{BONDS}\t{BONDS_EN}\n\n{OPINIONS} {OPINIONS_EN}\n"))
    assert error.line == 3
    assert error.message == "no tab between the Chinese segment and its English translation"
    assert str(error) == f"{tmp_path / 'memory.tsv'}:3: {error.message}"


def test_a_third_column_is_an_error_on_its_line(tmp_path):
    error = error_of(write(tmp_path, f"{BONDS}\t{BONDS_EN}\tfinance\n"))
    assert error.line == 1
    assert error.message == "3 columns: a TM line is Chinese<TAB>English, with one tab"


def test_bytes_that_are_not_utf8_are_an_error_on_their_line(tmp_path):
    content = f"{BONDS}\t{BONDS_EN}\n".encode() + f"{OPINIONS}\t{OPINIONS_EN}\n".encode("gbk")
    error = error_of(write(tmp_path, content))
    assert error.line == 2 and error.message.startswith("not valid UTF-8 (byte 0x")


def test_units_before_an_error_are_yielded_first(tmp_path):
    path = write(tmp_path, f"{BONDS}\t{BONDS_EN}\nbroken line\n")
    seen = []
    with pytest.raises(FormatError) as info:
        for unit in iter_tsv(path):
            seen.append(unit.source)
    assert seen == [BONDS] and info.value.line == 2


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n\r\n  \n"])
def test_an_empty_file_is_an_error(tmp_path, content):
    error = error_of(write(tmp_path, content))
    assert (error.line, error.message) == (None, "empty file")


def test_a_missing_file_is_an_error(tmp_path):
    assert error_of(tmp_path / "missing.tsv").message == "no such file"


def test_export_writes_plain_text_one_pair_a_line(tmp_path):
    units = [
        TranslationUnit(
            source=f"{placeholder(0)}国务院{placeholder(1)}办公厅",
            target=f"General Office of the {placeholder(0)}State Council{placeholder(1)}",
            source_codes=['<bpt i="1">&lt;b&gt;</bpt>', '<ept i="1">&lt;/b&gt;</ept>'],
            target_codes=['<bpt i="1">&lt;b&gt;</bpt>', '<ept i="1">&lt;/b&gt;</ept>'],
            origin="dropped: TSV has no metadata",
        ),
        TranslationUnit(source="专项\t债券\n", target="special\r\nbonds"),
        TranslationUnit(source=placeholder(0), target="only a code on the Chinese side", source_codes=["<ph/>"]),
    ]
    path = tmp_path / "export.tsv"
    assert write_tsv(units, path) == 2
    assert path.read_text(encoding="utf-8") == (
        "国务院办公厅\tGeneral Office of the State Council\n专项 债券\tspecial  bonds\n"
    )
    assert pairs(path) == [("国务院办公厅", "General Office of the State Council"), ("专项 债券", "special  bonds")]


def test_export_writes_to_open_text_and_binary_files(tmp_path):
    units = [TranslationUnit(source=BONDS, target=BONDS_EN)]
    text, binary = io.StringIO(), io.BytesIO()
    write_tsv(units, text)
    write_tsv(units, binary)
    assert text.getvalue() == binary.getvalue().decode("utf-8") == f"{BONDS}\t{BONDS_EN}\n"


def test_a_failed_export_leaves_the_existing_file_untouched(tmp_path):
    path = tmp_path / "memory.tsv"
    write_tsv([TranslationUnit(source=BONDS, target=BONDS_EN)], path)
    before = path.read_bytes()

    def broken():
        yield TranslationUnit(source=OPINIONS, target=OPINIONS_EN)
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        write_tsv(broken(), path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["memory.tsv"]


segment = st.text(
    st.characters(blacklist_categories=("Cs", "Co", "Cc"), blacklist_characters="\t\n\r"), min_size=1, max_size=20
).map(str.strip).filter(bool)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(segment, segment), max_size=5))
def test_plain_pairs_survive_export_and_import(tmp_path, generated):
    path = tmp_path / "round.tsv"
    write_tsv([TranslationUnit(source=zh, target=en) for zh, en in generated], path)
    if generated:
        assert pairs(path) == generated
    else:
        assert error_of(path).message == "empty file"
