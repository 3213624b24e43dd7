"""OmegaT TSV and CSV glossaries, and choosing a format by extension.

Each test reads as: given this file, the user gets these entries (or this error).
"""
from __future__ import annotations

import io
import os

import pytest

import entry_strategies
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossary import formats
from glossary.errors import FormatError
from glossary.formats import read_glossary, write_glossary
from glossary.model import Entry
from glossary.tsv import CSV_COLUMNS, read_csv, read_tsv, write_csv, write_tsv

ORG_DEPT = "中共中央组织部"
ORG_DEPT_EN = "Organization Department of the CPC Central Committee"
NDRC = "国家发展和改革委员会"
NDRC_EN = "National Development and Reform Commission"


def write(tmp_path, name: str, content: str | bytes):
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def error_of(reader, path) -> FormatError:
    with pytest.raises(FormatError) as info:
        reader(path)
    return info.value


# -- OmegaT TSV: reading ---------------------------------------------------


def test_tsv_lines_with_the_same_chinese_term_add_alternatives(tmp_path):
    path = write(
        tmp_path,
        "terms.tsv",
        f"{ORG_DEPT}\t{ORG_DEPT_EN}\tParty body, not a ministry\n"
        f"{NDRC}\t{NDRC_EN}\n"
        f"{ORG_DEPT}\tCentral Organization Department\n"
        f"{NDRC}\tNDRC\n"
        f"{NDRC}\t{NDRC_EN}\n",  # a repeated rendering adds nothing
    )
    entries = read_tsv(path)
    assert [(e.zh, e.en, e.en_admitted) for e in entries] == [
        (ORG_DEPT, ORG_DEPT_EN, ["Central Organization Department"]),
        (NDRC, NDRC_EN, ["NDRC"]),
    ]
    assert entries[0].note == "Party body, not a ministry"


def test_tsv_comment_lines_and_blank_lines_are_skipped(tmp_path):
    path = write(
        tmp_path,
        "terms.txt",
        "# governance terms, checked 2024\n\n"
        "驻京办事处\tliaison office in Beijing\n"
        "   \n"
        "#中组部\tcommented out\n",
    )
    assert [(e.zh, e.en) for e in read_tsv(path)] == [("驻京办事处", "liaison office in Beijing")]


def test_tsv_notes_of_repeated_lines_are_joined(tmp_path):
    path = write(
        tmp_path, "terms.tsv", "中组部\tOrganization Department\tshort form\n中组部\tOrg Dept\tinformal\n"
    )
    [entry] = read_tsv(path)
    assert entry.note == "short form; informal"


def test_tsv_with_a_byte_order_mark_and_windows_line_ends_reads_cleanly(tmp_path):
    content = f"\ufeff{ORG_DEPT}\t{ORG_DEPT_EN}\tnote\r\n{NDRC}\t{NDRC_EN}\r\n"
    path = write(tmp_path, "terms.tsv", content)
    entries = read_tsv(path)
    assert [(e.zh, e.en, e.note) for e in entries] == [
        (ORG_DEPT, ORG_DEPT_EN, "note"),
        (NDRC, NDRC_EN, ""),
    ]


def test_tsv_row_without_a_tab_is_reported_with_its_line(tmp_path):
    path = write(tmp_path, "terms.tsv", f"# header comment\n{NDRC}\t{NDRC_EN}\n中组部  Organization Department\n")
    error = error_of(read_tsv, path)
    assert error.line == 3
    assert str(error) == f"{path}:3: no tab between the Chinese term and its English rendering"


def test_tsv_row_with_an_empty_english_column_is_reported(tmp_path):
    path = write(tmp_path, "terms.tsv", f"{NDRC}\t{NDRC_EN}\n中组部\t  \tnote\n")
    error = error_of(read_tsv, path)
    assert error.line == 2
    assert "English rendering of 中组部" in error.message


def test_tsv_row_with_an_empty_chinese_column_is_reported(tmp_path):
    path = write(tmp_path, "terms.tsv", "\tliaison office in Beijing\n")
    error = error_of(read_tsv, path)
    assert error.line == 1
    assert "Chinese term" in error.message


def test_tsv_in_gbk_is_reported_on_the_line_of_the_first_bad_byte(tmp_path):
    content = f"{NDRC}\t{NDRC_EN}\n".encode() + "驻京办事处\tliaison office\n".encode("gbk")
    path = write(tmp_path, "terms.tsv", content)
    error = error_of(read_tsv, path)
    assert error.line == 2
    assert "not valid UTF-8" in error.message
    assert "save the file as UTF-8" in error.message


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n\n  \r\n"])
def test_an_empty_tsv_file_is_an_error_without_a_line(tmp_path, content):
    path = write(tmp_path, "terms.tsv", content)
    error = error_of(read_tsv, path)
    assert error.line is None
    assert str(error) == f"{path}: empty glossary file"


# -- OmegaT TSV: writing ---------------------------------------------------


def test_tsv_round_trip_keeps_terms_alternatives_and_notes(tmp_path):
    entries = [
        Entry(ORG_DEPT, ORG_DEPT_EN, en_admitted=["Central Organization Department"], note="Party body"),
        Entry(NDRC, NDRC_EN, en_admitted=["NDRC"]),
        Entry("驻京办事处", "liaison office in Beijing"),
    ]
    path = tmp_path / "out.tsv"
    write_tsv(entries, path)
    back = read_tsv(path)
    assert [(e.zh, e.en, e.en_admitted, e.note) for e in back] == [
        (e.zh, e.en, e.en_admitted, e.note) for e in entries
    ]


def test_tsv_writes_one_line_per_accepted_rendering_in_omegat_form():
    entry = Entry(
        NDRC,
        NDRC_EN,
        en_admitted=["NDRC"],
        en_deprecated=["State Planning Commission"],  # not accepted: not written
        note="ministry-level\tcommission\nunder the State Council",
    )
    out = io.StringIO()
    write_tsv([entry], out)
    assert out.getvalue() == (
        f"{NDRC}\t{NDRC_EN}\tministry-level commission under the State Council\n{NDRC}\tNDRC\n"
    )


def test_tsv_writer_accepts_a_binary_stream():
    out = io.BytesIO()
    write_tsv([Entry("中组部", "Organization Department")], out)
    assert out.getvalue().decode("utf-8") == "中组部\tOrganization Department\n"


# -- CSV -------------------------------------------------------------------


def test_csv_header_names_columns_in_any_case_and_with_aliases(tmp_path):
    path = write(
        tmp_path,
        "terms.csv",
        "Chinese,English,EN_Admitted,Type,Comment\n"
        f"{NDRC},{NDRC_EN},NDRC|National Development & Reform Commission,organisation,macro-economic planning\n",
    )
    [entry] = read_csv(path)
    assert entry.zh == NDRC and entry.en == NDRC_EN
    assert entry.en_admitted == ["NDRC", "National Development & Reform Commission"]
    assert entry.type == "organisation"
    assert entry.note == "macro-economic planning"


def test_csv_source_term_and_target_term_are_accepted(tmp_path):
    path = write(tmp_path, "terms.csv", "source_term,target_term,definition\n驻京办事处,liaison office in Beijing,x\n")
    [entry] = read_csv(path)
    assert (entry.zh, entry.en, entry.note) == ("驻京办事处", "liaison office in Beijing", "x")


def test_csv_rows_with_the_same_chinese_term_merge(tmp_path):
    path = write(
        tmp_path,
        "terms.csv",
        "zh,en,zh_variants,en_forbidden\n"
        f"{ORG_DEPT},{ORG_DEPT_EN},中组部,\n"
        f"{ORG_DEPT},Central Organization Department,,Organisation Ministry\n",
    )
    [entry] = read_csv(path)
    assert entry.en_admitted == ["Central Organization Department"]
    assert entry.zh_variants == ["中组部"]
    assert entry.en_forbidden == ["Organisation Ministry"]


def test_csv_quoted_values_may_hold_commas_quotes_and_line_breaks(tmp_path):
    path = write(
        tmp_path,
        "terms.csv",
        'zh,en,note\r\n'
        f'{NDRC},"{NDRC_EN}","formerly the ""State Planning Commission"",\r\nrenamed 2003"\r\n'
        f'驻京办事处,liaison office in Beijing,\r\n',
    )
    entries = read_csv(path)
    assert entries[0].note == 'formerly the "State Planning Commission",\r\nrenamed 2003'
    assert entries[1].zh == "驻京办事处"


def test_csv_unknown_column_is_reported_on_line_1_by_name(tmp_path):
    path = write(tmp_path, "terms.csv", "zh,en,remarks,Domain\n中组部,Organization Department,x,y\n")
    error = error_of(read_csv, path)
    assert error.line == 1
    assert "remarks" in error.message and "Domain" in error.message


def test_csv_without_an_english_column_is_reported(tmp_path):
    path = write(tmp_path, "terms.csv", "zh,note\n中组部,x\n")
    error = error_of(read_csv, path)
    assert error.line == 1
    assert "'en'" in error.message


def test_csv_row_with_the_wrong_number_of_fields_is_reported_with_its_line(tmp_path):
    path = write(
        tmp_path,
        "terms.csv",
        'zh,en,note\n中组部,Organization Department,"multi\nline note"\n驻京办事处,liaison office,in,Beijing\n',
    )
    error = error_of(read_csv, path)
    assert error.line == 4  # the quoted note spans lines 2-3
    assert "4 fields" in error.message


def test_csv_quote_error_is_reported_with_its_line(tmp_path):
    path = write(tmp_path, "terms.csv", 'zh,en\n中组部,Organization Department\n驻京办事处,"liaison" office\n')
    error = error_of(read_csv, path)
    assert error.line == 3
    assert "CSV" in error.message


def test_csv_with_an_unclosed_quote_is_reported(tmp_path):
    path = write(tmp_path, "terms.csv", 'zh,en\n中组部,"Organization Department\n')
    error = error_of(read_csv, path)
    assert error.line is not None and error.line >= 2


def test_csv_empty_chinese_term_is_reported_with_its_line(tmp_path):
    path = write(tmp_path, "terms.csv", "zh,en\n中组部,Organization Department\n ,liaison office\n")
    error = error_of(read_csv, path)
    assert error.line == 3


def test_csv_bad_utf8_and_empty_file_follow_the_tsv_rules(tmp_path):
    bad = write(tmp_path, "bad.csv", "zh,en\n".encode() + "中組部,Organization Department\n".encode("big5"))
    assert error_of(read_csv, bad).line == 2
    assert "not valid UTF-8" in error_of(read_csv, bad).message
    empty = write(tmp_path, "empty.csv", b"")
    assert str(error_of(read_csv, empty)) == f"{empty}: empty glossary file"


def test_csv_with_bom_crlf_and_blank_rows(tmp_path):
    path = write(tmp_path, "terms.csv", "\ufeffzh,en\r\n\r\n中组部,Organization Department\r\n,\r\n")
    assert [(e.zh, e.en) for e in read_csv(path)] == [("中组部", "Organization Department")]


def full_entry() -> Entry:
    return Entry(
        zh=ORG_DEPT,
        en=ORG_DEPT_EN,
        zh_traditional="中共中央組織部",
        zh_variants=["中组部"],
        en_admitted=["Central Organization Department"],
        en_deprecated=["Organisation Department of the CCP Central Committee"],
        en_forbidden=["Ministry of Organization"],
        pinyin="Zhōnggòng Zhōngyāng Zǔzhībù",
        type="organisation",
        field="Party organs",
        note='Party body; "組織" is not "organisation" <here> & there',
        source="Xinhua style guide",
    )


def test_csv_header_is_the_documented_column_list():
    out = io.StringIO()
    write_csv([], out)
    assert out.getvalue() == ",".join(CSV_COLUMNS) + "\r\n"


def test_csv_round_trip_keeps_every_field(tmp_path):
    entries = [full_entry(), Entry(NDRC, NDRC_EN, en_admitted=["NDRC"], type="organisation")]
    path = tmp_path / "out.csv"
    write_csv(entries, path)
    assert read_csv(path) == entries


def test_csv_value_with_the_separator_cannot_be_written_and_the_file_is_kept(tmp_path):
    path = write(tmp_path, "terms.csv", "zh,en\n中组部,Organization Department\n")
    with pytest.raises(ValueError, match=r"\|"):
        write_csv([Entry(NDRC, NDRC_EN, en_admitted=["NDRC|SPC"])], path)
    assert path.read_text(encoding="utf-8") == "zh,en\n中组部,Organization Department\n"
    assert os.listdir(tmp_path) == ["terms.csv"]


# -- generated round trip ---------------------------------------------------

TEXT = st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=12)
ITEM = TEXT.filter(lambda s: s.strip() and "|" not in s)


def entries():
    return entry_strategies.entries(TEXT, ITEM)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(entries(), max_size=5, unique_by=lambda e: e.zh))
def test_csv_round_trip_of_generated_entries(tmp_path, generated):
    path = tmp_path / "generated.csv"
    write_csv(generated, path)
    assert read_csv(path) == generated


# -- atomic writes -----------------------------------------------------------


def failing_halfway():
    yield Entry(NDRC, NDRC_EN)
    raise RuntimeError("disk full")


@pytest.mark.parametrize("writer", [write_tsv, write_csv])
def test_a_writer_that_fails_halfway_leaves_the_old_file_untouched(tmp_path, writer):
    path = write(tmp_path, "terms.tsv", "中组部\tOrganization Department\n")
    with pytest.raises(RuntimeError):
        writer(failing_halfway(), path)
    assert path.read_text(encoding="utf-8") == "中组部\tOrganization Department\n"
    assert os.listdir(tmp_path) == ["terms.tsv"]  # no temporary file left behind


def test_a_failure_after_everything_was_written_still_keeps_the_old_file(tmp_path, monkeypatch):
    path = write(tmp_path, "terms.csv", "zh,en\n中组部,Organization Department\n")

    def fsync_fails(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(formats.os, "fsync", fsync_fails)
    with pytest.raises(OSError):
        write_csv([Entry(NDRC, NDRC_EN)], path)
    assert path.read_text(encoding="utf-8") == "zh,en\n中组部,Organization Department\n"
    assert os.listdir(tmp_path) == ["terms.csv"]


def test_writing_a_path_keeps_the_file_permissions(tmp_path):
    path = write(tmp_path, "terms.tsv", "")
    os.chmod(path, 0o640)
    write_tsv([Entry(NDRC, NDRC_EN)], path)
    assert os.stat(path).st_mode & 0o777 == 0o640


# -- choosing the format by extension ----------------------------------------


@pytest.mark.parametrize("name", ["terms.tsv", "terms.txt", "terms.utf8", "terms.CSV", "terms.tbx", "terms.xml"])
def test_glossary_files_round_trip_through_the_format_their_extension_names(tmp_path, name):
    entries = [Entry(NDRC, NDRC_EN, en_admitted=["NDRC"], note="planning")]
    path = tmp_path / name
    write_glossary(entries, path)
    back = read_glossary(path)
    assert [(e.zh, e.en, e.en_admitted, e.note) for e in back] == [(NDRC, NDRC_EN, ["NDRC"], "planning")]


def test_the_extension_decides_the_reader(tmp_path):
    path = write(tmp_path, "terms.csv", "zh,en\n中组部,Organization Department\n")
    assert read_glossary(path)[0].en == "Organization Department"  # a TSV reader would find no tab


def test_an_unknown_extension_is_refused(tmp_path):
    path = write(tmp_path, "terms.xlsx", b"PK")
    error = error_of(read_glossary, path)
    assert "unknown glossary format '.xlsx'" in error.message
    with pytest.raises(FormatError):
        write_glossary([], tmp_path / "out.docx")


def test_a_missing_file_is_reported_as_such(tmp_path):
    path = tmp_path / "missing.tsv"
    assert str(error_of(read_glossary, path)) == f"{path}: no such file"
    assert str(error_of(read_tsv, path)) == f"{path}: no such file"
