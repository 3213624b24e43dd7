"""`tm check` through click's CliRunner, as a reviser runs it on a finished job."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from hostile_xml import billion_laughs
from tm.cli import cli
from tm.store import TranslationMemory
from tm.unit import TranslationUnit

CLEAN = "两会在北京召开。\tThe Two Sessions opened in Beijing.\n"
#: line 1 fine, line 3 a forbidden rendering (error) and full-width punctuation (warning), line 4 empty.
JOB = ("两会在北京召开。\tThe Two Sessions opened in Beijing.\n"
       "\n"
       "首都的发展\tThe development of the capitol，\n"
       "全面深化改革\t\n")


def run(*args, input=None):
    return CliRunner().invoke(cli, ["check", *args], input=input, catch_exceptions=False)


def write(tmp_path, name, content: str | bytes):
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return str(path)


@pytest.fixture
def glossary(tmp_path):
    return write(tmp_path, "mine.tsv", "两会\tTwo Sessions\n首都\tcapital\n")


def findings(result) -> list[dict]:
    assert result.stdout.lstrip().startswith("["), result.output
    return json.loads(result.stdout)


# ---------------------------------------------------------------- results and exit codes

def test_a_clean_file_exits_0_with_a_summary(tmp_path):
    result = run(write(tmp_path, "job.tsv", CLEAN))
    assert result.exit_code == 0
    assert "0 findings in 0 of 1 segments." in result.output


def test_errors_exit_1_and_the_table_names_segment_line_check_severity_and_message(tmp_path):
    result = run(write(tmp_path, "job.tsv", JOB))
    assert result.exit_code == 1
    for word in ("forbidden-term", "untranslated", "punctuation", "capitol", "error", "warning"):
        assert word in result.output
    assert "findings (2 errors, 1 warning) in 2 of 3 segments." in result.output


@pytest.mark.parametrize("fail_on, code", [("error", 0), ("warning", 1), ("never", 0)])
def test_fail_on_sets_the_lowest_severity_that_fails(tmp_path, fail_on, code):
    path = write(tmp_path, "job.tsv", "两会\tThe Two Sessions，\n")  # one warning only
    assert run(path, "--fail-on", fail_on).exit_code == code


def test_fail_on_never_exits_0_even_with_errors(tmp_path):
    assert run(write(tmp_path, "job.tsv", JOB), "--fail-on", "never").exit_code == 0


def test_json_lists_findings_with_their_line_in_the_file(tmp_path):
    result = run(write(tmp_path, "job.tsv", JOB), "--json")
    assert result.exit_code == 1
    rows = findings(result)
    assert {tuple(sorted(row)) for row in rows} == {
        ("check", "data", "line", "message", "related", "segment", "severity", "spans")}
    forbidden = next(row for row in rows if row["check"] == "forbidden-term")
    assert (forbidden["segment"], forbidden["line"], forbidden["severity"]) == (2, 3, "error")
    assert {"side": "target", "start": 23, "end": 30, "text": "capitol"} in forbidden["spans"]
    empty = next(row for row in rows if row["check"] == "untranslated")
    assert (empty["segment"], empty["line"]) == (3, 4)
    assert "findings" in result.stderr and "findings" not in result.stdout


def test_only_and_skip_take_repeated_or_comma_separated_ids(tmp_path):
    path = write(tmp_path, "job.tsv", JOB)
    only = findings(run(path, "--json", "--only", "untranslated,punctuation"))
    assert {row["check"] for row in only} == {"untranslated", "punctuation"}
    repeated = findings(run(path, "--json", "--only", "untranslated", "--only", "punctuation"))
    assert repeated == only
    skipped = findings(run(path, "--json", "--skip", "forbidden-term", "--skip", "punctuation,untranslated"))
    assert not {row["check"] for row in skipped} & {"forbidden-term", "punctuation", "untranslated"}


def test_an_unknown_check_is_one_line_and_exit_2(tmp_path):
    result = run(write(tmp_path, "job.tsv", JOB), "--only", "spelling")
    assert result.exit_code == 2
    assert result.output.startswith("error: unknown check 'spelling'; known: ") and result.output.count("\n") == 1


def test_list_names_every_check(tmp_path):
    result = run("--list", "--json")
    ids = [row["id"] for row in json.loads(result.output)]
    assert {"term-mismatch", "forbidden-term", "inconsistent-target", "untranslated", "punctuation"} <= set(ids)


def test_user_glossary_alone_with_no_builtin(tmp_path, glossary):
    path = write(tmp_path, "job.tsv", "两会召开\tThe annual sessions opened\n")
    rows = findings(run(path, "--json", "--only", "term-mismatch", "--no-builtin", "-g", glossary))
    assert [row["data"]["expected"] for row in rows] == [["Two Sessions"]]


# ---------------------------------------------------------------- inputs

def test_src_and_tgt_line_files(tmp_path):
    src = write(tmp_path, "zh.txt", "两会在北京召开。\n全面深化改革\n")
    tgt = write(tmp_path, "en.txt", "The Two Sessions opened in Beijing.\n\n")
    rows = findings(run("--src", src, "--tgt", tgt, "--json", "--only", "untranslated"))
    assert [(row["segment"], row["line"]) for row in rows] == [(2, 2)]


def test_line_files_of_different_lengths_are_one_line_and_exit_2(tmp_path):
    src = write(tmp_path, "zh.txt", "两会\n改革\n开放\n")
    tgt = write(tmp_path, "en.txt", "Two Sessions\n")
    result = run("--src", src, "--tgt", tgt)
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert "3 lines" in result.output and "has 1" in result.output


def test_the_translation_memory_itself(tmp_path):
    db = str(tmp_path / "tm.db")
    with TranslationMemory(db) as memory:
        memory.add([TranslationUnit("全面深化改革的决定", "Decision on deepening reform"),
                    TranslationUnit("全面深化改革的決定", "The decision to deepen reform")])
    rows = findings(run("--from-tm", "--db", db, "--json", "--only", "inconsistent-target"))
    assert [(row["segment"], row["related"]) for row in rows] == [(1, [2])]


def test_xliff_input(tmp_path):
    xliff = ('<?xml version="1.0"?>\n<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" '
             'srcLang="zh" trgLang="en"><file id="f">\n<unit id="1"><segment><source>全面深化改革</source>'
             '</segment></unit>\n</file></xliff>\n')
    rows = findings(run(write(tmp_path, "job.xlf", xliff), "--json"))
    assert [(row["check"], row["line"]) for row in rows] == [("untranslated", 1)]


def test_no_input_or_two_inputs_is_a_usage_error(tmp_path):
    assert run().exit_code == 2
    path = write(tmp_path, "job.tsv", CLEAN)
    assert run(path, "--from-tm").exit_code == 2
    assert run("--src", path).exit_code == 2


TMX_BROKEN = ('<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="zh"/><body>\n'
              '<tu><tuv xml:lang="zh"><seg>改革</seg></tuv><tuv xml:lang="en"><seg>reform</tuv></tu>\n'
              '</body></tmx>\n')
XLIFF_BROKEN = ('<?xml version="1.0"?>\n<xliff version="1.2"><file source-language="zh"><body>\n'
                '<trans-unit id="1"><source>改革</source><target>reform</trans-unit>\n</body></file></xliff>\n')


@pytest.mark.parametrize("name, content, expected", [
    ("job.tsv", "两会在北京召开。\n", "job.tsv:1: no tab"),
    ("job.tsv", "两会\tTwo Sessions\tnote\n", "job.tsv:1: 3 columns"),
    ("job.tmx", TMX_BROKEN, "job.tmx:3: malformed XML"),
    ("job.xlf", XLIFF_BROKEN, "job.xlf:3: malformed XML"),
    ("job.tmx", billion_laughs("tmx", "<tmx>&lol9;</tmx>"), "DOCTYPE/entity declarations are not allowed"),
    ("job.xliff", billion_laughs("xliff", "<xliff>&lol9;</xliff>"), "DOCTYPE/entity declarations are not allowed"),
    ("job.tsv", "", "job.tsv: empty file"),
    ("job.xlf", "", "job.xlf: empty file"),
    ("job.tsv", "两会\tTwo Sessions\n".encode("gb18030"), "job.tsv:1: not valid UTF-8"),
    ("job.docx", "x", "unknown bilingual format '.docx'"),
])
def test_bad_input_is_one_line_on_stderr_and_exit_2(tmp_path, name, content, expected):
    result = run(write(tmp_path, name, content))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1 and expected in result.stderr
    assert "Traceback" not in result.output and result.stdout == ""


def test_a_missing_file_is_one_line_and_exit_2(tmp_path):
    result = run(str(tmp_path / "nothing.tsv"))
    assert result.exit_code == 2 and result.output.strip().endswith("nothing.tsv: no such file")


def test_encoding_option_reads_a_gb18030_file(tmp_path):
    path = write(tmp_path, "job.tsv", CLEAN.encode("gb18030"))
    assert run(path, "--encoding", "gb18030").exit_code == 0


# ---------------------------------------------------------------- HTML

def test_html_report_marks_the_spans_and_counts_by_check_and_severity(tmp_path):
    page = tmp_path / "report.html"
    result = run(write(tmp_path, "job.tsv", JOB), "--html", str(page))
    assert result.exit_code == 1
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html and "http" not in html
    assert '<mark class="error" title="&#x27;capitol&#x27; is a forbidden rendering' in html
    assert ">capitol</mark>" in html and ">首都</mark>" in html and ">，</mark>" in html
    assert "<td>forbidden-term</td><td class=n>1</td>" in html
    assert 'id="s3"' in html and "not translated: the target is empty" in html
    assert 'id="s1"' not in html  # segments without findings are left out


def test_a_file_name_with_square_brackets_is_shown_as_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "job [draft].tsv").write_text("国务院召开常务会议\t\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "job [draft].tsv"], catch_exceptions=False)
    assert result.exit_code == 1 and "job [draft].tsv" in result.output


def test_the_central_committee_is_not_a_member_of_it(tmp_path):
    path = tmp_path / "plenum.tsv"
    path.write_text("十九届中央委员会第四次全体会议\tthe fourth plenary session of the 19th CPC Central Committee\n",
                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(path), "--only", "term-mismatch"], catch_exceptions=False)
    assert "中央委员 is not rendered" not in result.output and result.exit_code == 0
