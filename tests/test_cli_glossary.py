"""The `tm glossary` commands, through click's CliRunner, as a user types them."""
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tm.cli import cli

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture
def mine(tmp_path):
    path = tmp_path / "mine.tsv"
    path.write_text(
        "驻京办事处\tliaison office in Beijing\tcity governments' offices in the capital\n"
        "驻京办事处\tBeijing liaison office\n"
        "两会\tTwo Sessions\n"
        "地级市\tprefecture-level city\n", encoding="utf-8")
    return str(path)


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_lookup_json_lists_entries_with_zh_en_alternatives_pinyin_status(mine):
    result = run("glossary", "lookup", "--no-builtin", "-g", mine, "liaison offices", "--json")
    assert result.exit_code == 0
    (entry,) = json.loads(result.output)
    assert entry["zh"] == "驻京办事处"
    assert entry["en"] == "liaison office in Beijing"
    assert entry["alternatives"] == ["Beijing liaison office"]
    assert entry["pinyin"] and entry["status"] == "preferred"


def test_lookup_without_a_hit_says_so_and_exits_1(mine):
    result = run("glossary", "lookup", "--no-builtin", "-g", mine, "海关总署")
    assert result.exit_code == 1
    assert "No glossary entry" in result.output


def test_scan_of_standard_input_prints_one_json_object_per_occurrence(mine):
    text = "一个地級市的駐京辦事處。"
    result = run("glossary", "scan", "-", "--json", "--no-builtin", "-g", mine, input=text.encode("utf-8"))
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["start"], r["end"], r["text"], r["zh"]) for r in rows] == [
        (2, 5, "地級市", "地级市"), (6, 11, "駐京辦事處", "驻京办事处")]
    assert all(text[r["start"]:r["end"]] == r["text"] for r in rows)


def test_scan_for_people_marks_terms_and_prints_a_table_and_writes_html(mine, tmp_path):
    page = tmp_path / "report.html"
    result = run("glossary", "scan", "-", "--no-builtin", "-g", mine, "--html", str(page),
                 input="两会期间，地级市的驻京办事处很忙。".encode("utf-8"))
    assert result.exit_code == 0
    assert "3 occurrences of 3 terms" in result.output
    html = page.read_text(encoding="utf-8")
    assert '<mark class="preferred" title="Two Sessions' in html and "<script" not in html


def test_the_bundled_example_scans_with_the_bundled_glossary():
    result = run("glossary", "scan", str(EXAMPLES / "zh" / "liaison-offices.txt"), "--json")
    assert result.exit_code == 0
    found = {json.loads(line)["zh"] for line in result.output.splitlines()}
    assert {"驻京办事处", "地级市", "中央经济工作会议"} <= found


def test_pinyin_command_writes_standard_orthography():
    result = run("glossary", "pinyin", "西安的长安街")
    assert result.exit_code == 0
    assert result.output.strip() == "Xī'ān de Cháng'ān Jiē"


def test_add_creates_and_extends_a_user_glossary(tmp_path):
    path = str(tmp_path / "new.tsv")
    assert run("glossary", "add", "两会", "Two Sessions", "--file", path).exit_code == 0
    assert run("glossary", "add", "两会", "NPC and CPPCC annual sessions", "--file", path).exit_code == 0
    result = run("glossary", "lookup", "两会", "--json", "--no-builtin", "-g", path)
    (entry,) = json.loads(result.output)
    assert entry["en"] == "Two Sessions" and entry["alternatives"] == ["NPC and CPPCC annual sessions"]


def test_add_appends_to_a_tsv_glossary_and_keeps_its_comments(tmp_path):
    path = tmp_path / "mine.tsv"
    path.write_text("# my terms\n两会\tTwo Sessions\n", encoding="utf-8")
    assert run("glossary", "add", "挂职", "temporary post", "--alt", "secondment", "--file", str(path)).exit_code == 0
    assert path.read_text(encoding="utf-8") == (
        "# my terms\n两会\tTwo Sessions\n挂职\ttemporary post\n挂职\tsecondment\n")


def test_add_refuses_fields_a_tsv_cannot_keep_instead_of_dropping_them(tmp_path):
    path = tmp_path / "mine.tsv"
    result = CliRunner().invoke(cli, ["glossary", "add", "挂职", "temporary post", "--forbidden", "hanging post",
                                      "--file", str(path)])
    assert result.exit_code == 2 and "cannot keep en_forbidden: use a .csv file" in result.output
    assert not path.exists()


def test_add_to_csv_keeps_every_field(tmp_path):
    path = str(tmp_path / "mine.csv")
    assert run("glossary", "add", "挂职", "temporary post", "--forbidden", "hanging post", "--pinyin", "guàzhí",
               "--variant", "挂职锻炼", "--type", "policy", "--file", path).exit_code == 0
    (entry,) = json.loads(run("glossary", "lookup", "挂职锻炼", "--json", "--no-builtin", "-g", path).output)
    assert (entry["forbidden"], entry["pinyin"], entry["type"]) == (["hanging post"], "guàzhí", "policy")


def test_errors_on_output_are_one_line_too(mine, tmp_path):
    result = CliRunner().invoke(cli, ["glossary", "export", str(tmp_path / "no" / "x.tbx"), "-g", mine])
    assert result.exit_code == 2 and result.output.startswith("error: ") and "Traceback" not in result.output
    result = CliRunner().invoke(cli, ["glossary", "scan", str(tmp_path)])
    assert result.exit_code == 2 and result.output.strip() == f"error: {tmp_path}: is a directory"


def test_user_text_is_never_read_as_terminal_markup(tmp_path):
    path = tmp_path / "mine.tsv"
    path.write_text("两会\tTwo Sessions\tsee [/b] and [bold]this[/bold]\n", encoding="utf-8")
    result = run("glossary", "lookup", "两会", "--no-builtin", "-g", str(path))
    assert result.exit_code == 0 and "see [/b] and [bold]this[/bold]" in result.output


def test_export_converts_a_tsv_glossary_to_tbx_and_back(mine, tmp_path):
    tbx = tmp_path / "mine.tbx"
    assert run("glossary", "export", str(tbx), "--no-builtin", "-g", mine).exit_code == 0
    assert "<conceptEntry" in tbx.read_text(encoding="utf-8")
    result = run("glossary", "lookup", "驻京办事处", "--json", "--no-builtin", "-g", str(tbx))
    assert json.loads(result.output)[0]["alternatives"] == ["Beijing liaison office"]


@pytest.mark.parametrize("content, message", [
    (b"\xe9\xa9\xbb\xe4\xba\xac\xe5\x8a\x9e liaison office\n", "mine.tsv:1: no tab"),
    (b"\xe4\xb8\xa4\xe4\xbc\x9a\tTwo Sessions\n\xc1\xbd\tx\n", "mine.tsv:2: not valid UTF-8"),
    (b"", "mine.tsv: empty"),
])
def test_a_bad_glossary_is_one_line_naming_file_and_line_with_exit_code_2(tmp_path, content, message):
    path = tmp_path / "mine.tsv"
    path.write_bytes(content)
    result = CliRunner().invoke(cli, ["glossary", "lookup", "两会", "-g", str(path)])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_hostile_tbx_is_refused(tmp_path):
    path = tmp_path / "evil.tbx"
    path.write_text('<?xml version="1.0"?><!DOCTYPE tbx [<!ENTITY a "aaaaaaaaaa">'
                    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><tbx>&b;</tbx>', encoding="utf-8")
    result = CliRunner().invoke(cli, ["glossary", "lookup", "两会", "-g", str(path)])
    assert result.exit_code == 2 and "evil.tbx" in result.output and "DOCTYPE" in result.output


def test_a_text_in_another_encoding_is_reported_with_a_hint(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("两会期间".encode("gb18030"))
    result = CliRunner().invoke(cli, ["glossary", "scan", str(path)])
    assert result.exit_code == 2 and "gbk.txt:1: not valid UTF-8" in result.output
    assert "--encoding gb18030" in result.output
    result = CliRunner().invoke(cli, ["glossary", "scan", str(path), "--encoding", "gb18030", "--json"])
    assert result.exit_code == 0 and '"zh": "两会"' in result.output


def test_a_missing_file_is_an_error_not_a_traceback():
    result = CliRunner().invoke(cli, ["glossary", "scan", "no/such/file.txt"])
    assert result.exit_code == 2 and "no/such/file.txt: no such file" in result.output
