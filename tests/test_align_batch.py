"""Aligning document pairs: formats, batch with bad input, resume, encodings, TM, review."""
from __future__ import annotations

import json
import multiprocessing
import os
import signal
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import aligned.align
from aligned.batch import align_batch, align_pair, read_document, to_align, to_json, to_tsv
from glossary.errors import FormatError
from tm.cli import cli
from tm.aligned_pairs import into, units
from tm.store import TranslationMemory

ZH_STATE_COUNCIL = (
    "国务院总理李强主持召开国务院常务会议。"
    "会议研究部署进一步扩大内需的政策措施。"
    "会议指出，要加快推进城市更新行动。"
    "会议还审议通过了《生态环境保护条例（草案）》。\n"
)
EN_STATE_COUNCIL = (
    "Premier Li Qiang presided over an executive meeting of the State Council. "
    "The meeting studied and deployed policy measures to further expand domestic demand. "
    "The meeting noted that urban renewal should be accelerated. "
    "The meeting also adopted the draft regulations on ecological and environmental protection.\n"
)
# The third Chinese sentence has no English: it must end up in the review list.
ZH_PLAN = (
    "国家发展和改革委员会昨天宣布了一项90亿元的计划。\n"
    "该计划将支持中西部地区的基础设施建设。\n"
    "记者从发布会上获悉，相关细则将于下月公布。\n"
    "官员表示，资金将优先用于农村公路和水利项目。\n"
)
EN_PLAN = (
    "The National Development and Reform Commission announced a 9 billion yuan plan yesterday.\n"
    "The plan will support infrastructure construction in the central and western regions.\n"
    "Officials said the funds would give priority to rural roads and water conservancy projects.\n"
)
ZH_HANT = "香港特別行政區政府今天公布施政報告。報告提出多項改善民生的措施。行政長官表示將加快興建公營房屋。\n"
EN_HANT = ("The Hong Kong Special Administrative Region Government released its policy address today. "
           "The address proposed a number of measures to improve people's livelihood. "
           "The Chief Executive said public housing construction would be accelerated.\n")


@pytest.fixture(scope="module")
def aligner():
    return aligned.align.Aligner()


@pytest.fixture()
def shared(aligner, monkeypatch):
    """Commands build their Aligner through aligned.align.Aligner: hand them the loaded one."""
    monkeypatch.setattr(aligned.align, "Aligner", lambda: aligner)
    return aligner


def _pair(tmp_path, zh: bytes | str, en: bytes | str, name: str = "doc.txt"):
    zh_dir, en_dir = tmp_path / "zh", tmp_path / "en"
    zh_dir.mkdir(exist_ok=True)
    en_dir.mkdir(exist_ok=True)
    for folder, data in ((zh_dir, zh), (en_dir, en)):
        path = folder / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return zh_dir / name, en_dir / name


def _links(pair) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(tuple(b.src), tuple(b.tgt)) for b in pair.beads]


# ---------------------------------------------------------------- one pair, every format

def test_align_one_pair_every_format(tmp_path, aligner):
    zh, en = _pair(tmp_path, ZH_STATE_COUNCIL, EN_STATE_COUNCIL)
    pair = align_pair(zh, en, aligner)
    assert _links(pair) == [((i,), (i,)) for i in range(4)]
    assert to_align(pair) == "[0]:[0]\n[1]:[1]\n[2]:[2]\n[3]:[3]\n"
    tsv = to_tsv(pair).splitlines()
    assert tsv[0] == ("国务院总理李强主持召开国务院常务会议。\t"
                      "Premier Li Qiang presided over an executive meeting of the State Council.")
    value = json.loads(to_json(pair))
    assert [b["zh_ids"] for b in value["beads"]] == [[0], [1], [2], [3]]
    assert all(0 <= b["confidence"] <= 1 for b in value["beads"])
    assert value["unaligned"] == {"zh": [], "en": []}


def test_cli_align_formats(tmp_path, shared):
    zh, en = _pair(tmp_path, ZH_STATE_COUNCIL, EN_STATE_COUNCIL)
    runner = CliRunner()
    result = runner.invoke(cli, ["align", str(zh), str(en)])
    assert result.exit_code == 0, result.output
    assert result.output == "[0]:[0]\n[1]:[1]\n[2]:[2]\n[3]:[3]\n"
    result = runner.invoke(cli, ["align", str(zh), str(en), "--format", "tsv"])
    assert result.exit_code == 0 and len(result.output.splitlines()) == 4
    result = runner.invoke(cli, ["align", str(zh), str(en), "--format", "json"])
    assert json.loads(result.output)["zh_sentences"] == 4
    result = runner.invoke(cli, ["align", str(zh), str(en), "--format", "tmx"])
    assert result.exit_code == 2 and "--output" in result.output
    out = tmp_path / "doc.tmx"
    result = runner.invoke(cli, ["align", str(zh), str(en), "--format", "tmx", "--output", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    assert "<tmx" in text and text.count("</tu>") == 4 and "国务院常务会议" in text


def test_presplit_keeps_line_numbers(tmp_path, aligner):
    zh, en = _pair(tmp_path, ZH_PLAN, EN_PLAN)
    pair = align_pair(zh, en, aligner, presplit=True)
    assert len(pair.zh) == 4 and len(pair.en) == 3
    assert _links(pair) == [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), (2,))]
    assert to_align(pair) == "[0]:[0]\n[1]:[1]\n[2]:[]\n[3]:[2]\n"
    assert "相关细则" not in to_tsv(pair)  # null beads are left out of the TSV
    value = json.loads(to_json(pair))
    assert value["unaligned"] == {"zh": [{"id": 2, "text": "记者从发布会上获悉，相关细则将于下月公布。"}], "en": []}


# ---------------------------------------------------------------- bad input

def test_encodings_detected(tmp_path, aligner):
    gb = tmp_path / "gb.txt"
    gb.write_bytes(ZH_STATE_COUNCIL.encode("gb18030"))
    assert read_document(gb, "zh") == ZH_STATE_COUNCIL
    big5 = tmp_path / "big5.txt"
    big5.write_bytes(ZH_HANT.encode("big5"))
    assert read_document(big5, "zh") == ZH_HANT
    assert read_document(big5, "zh", encoding="big5") == ZH_HANT
    zh, en = _pair(tmp_path, ZH_HANT.encode("big5"), EN_HANT)
    assert _links(align_pair(zh, en, aligner)) == [((i,), (i,)) for i in range(3)]


def test_bom_and_crlf(tmp_path, aligner):
    zh_text = ZH_PLAN.replace("\n", "\r\n")
    en_text = EN_PLAN.replace("\n", "\r\n")
    zh, en = _pair(tmp_path, b"\xef\xbb\xbf" + zh_text.encode("utf-8"), b"\xef\xbb\xbf" + en_text.encode("utf-8"))
    assert read_document(zh, "zh") == ZH_PLAN
    pair = align_pair(zh, en, aligner, presplit=True)
    assert pair.zh[0] == "国家发展和改革委员会昨天宣布了一项90亿元的计划。"
    assert pair.en[0].startswith("The National")


@pytest.mark.parametrize("data, message", [
    (b"", "empty file"),
    (b"  \r\n\n", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file, not text"),
    (b"\xff\xfe\xfd\xfc abc \x80\x80\x80", "not UTF-8, GB18030 or Big5 text; give --encoding"),
])
def test_bad_documents(tmp_path, data, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(FormatError) as caught:
        read_document(path, "zh")
    assert str(caught.value) == f"{path}: {message}"


def test_cli_empty_side_is_one_line(tmp_path, shared):
    zh, en = _pair(tmp_path, ZH_PLAN, b"")
    result = CliRunner().invoke(cli, ["align", str(zh), str(en)])
    assert result.exit_code == 2
    assert result.output == f"error: {en}: empty file\n"


# ---------------------------------------------------------------- batch

def _archive(tmp_path):
    zh_lines = ZH_STATE_COUNCIL.replace("。", "。\n").replace("\n\n", "\n")
    en_lines = EN_STATE_COUNCIL.replace(". ", ".\n")
    _pair(tmp_path, zh_lines, en_lines, "council.txt")  # one sentence per line (--presplit)
    _pair(tmp_path, ZH_PLAN, EN_PLAN, "plan.txt")
    _pair(tmp_path, b"\x00\x01\x02binary\x00", EN_PLAN, "broken.txt")
    (tmp_path / "zh" / "lonely.txt").write_text(ZH_PLAN, "utf-8")
    return tmp_path / "zh", tmp_path / "en", tmp_path / "out"


def test_cli_batch_carries_on_and_resumes(tmp_path, shared):
    zh_dir, en_dir, out = _archive(tmp_path)
    runner = CliRunner()
    args = ["align-batch", str(zh_dir), str(en_dir), "--out", str(out), "--presplit"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert "2 pair(s) aligned, 0 skipped" in result.output
    assert "only in" in result.output and "lonely.txt" in result.output
    assert "failed: broken.txt:" in result.output and "binary file, not text" in result.output
    assert sorted(os.listdir(out)) == ["council.align", "plan.align"]
    assert (out / "council.align").read_text() == "[0]:[0]\n[1]:[1]\n[2]:[2]\n[3]:[3]\n"
    # What was aligned, per document, and the bead a person must check, with its text.
    assert "council" in result.output and "1-1 ×4" in result.output
    assert "1 bead(s) need review" in result.output and "Chinese not translated?" in result.output
    assert "相关细则将于下月公布" in result.output and "[2]:[]" in result.output

    (out / "plan.align").write_text("sentinel")
    result = runner.invoke(cli, args)
    assert "0 pair(s) aligned, 2 skipped" in result.output
    assert (out / "plan.align").read_text() == "sentinel"
    result = runner.invoke(cli, args + ["--force"])
    assert "2 pair(s) aligned, 0 skipped" in result.output
    assert (out / "plan.align").read_text().startswith("[0]:[0]\n")


def test_batch_review_and_into_tm(tmp_path, aligner):
    zh_dir, en_dir, out = _archive(tmp_path)
    review = tmp_path / "review.tsv"
    with TranslationMemory(tmp_path / "tm.db") as memory:
        report = align_batch(zh_dir, en_dir, out, "tsv", aligner, presplit=True, force=False,
                             review_path=review, threshold=0.5, sink=into(memory))
        stored = sorted(memory.units(), key=lambda u: (u.doc_id, u.position))
    assert report.aligned == ["council.txt", "plan.txt"]
    assert report.zh_only == ["lonely.txt"] and report.en_only == []
    assert [name for name, _ in report.failed] == ["broken.txt"]
    lines = review.read_text("utf-8").splitlines()
    doubtful = [line.split("\t") for line in lines if "相关细则" in line]
    assert len(doubtful) == 1
    doc, ids, confidence, zh_text, _ = doubtful[0]
    assert (doc, ids, zh_text) == ("plan", "[2]:[]", "记者从发布会上获悉，相关细则将于下月公布。")
    assert float(confidence) < 0.5
    assert all(line.split("\t")[0] in ("plan", "council") for line in lines)
    assert [item.to_tsv() for item in report.review_items] == [line + "\n" for line in lines]
    plan = next(summary for summary in report.pairs if summary.doc == "plan")
    assert (plan.zh_sentences, plan.en_sentences, plan.beads) == (4, 3, 4)
    assert plan.types == {"1-1": 3, "1-0": 1} and plan.review == len([l for l in lines if l.startswith("plan")])
    assert 0.5 < plan.mean_confidence <= 1
    council = [u for u in stored if u.doc_id == "council"]
    assert len(council) == 4 and report.units_added == len(stored)
    assert all(u.confidence is not None and 0 <= u.confidence <= 1 for u in stored)
    assert council[0].origin == "council.txt" and council[0].position == 0
    assert council[1].prev_source == council[0].source and council[1].next_source == council[2].source
    assert (out / "plan.tsv").read_text("utf-8").count("\n") == len([u for u in stored if u.doc_id == "plan"])


def test_process_pool_gives_the_outputs_and_report_of_one_process(tmp_path, aligner):
    zh_dir, en_dir, out = _archive(tmp_path)
    alone = align_batch(zh_dir, en_dir, tmp_path / "alone", aligner=aligner, presplit=True)
    progress: list[int] = []
    pooled = align_batch(zh_dir, en_dir, out, presplit=True, jobs=2, progress=progress.append)
    assert pooled.to_dict() == alone.to_dict()  # in file-name order, whatever finished first
    assert pooled.aligned == ["council.txt", "plan.txt"] and [n for n, _ in pooled.failed] == ["broken.txt"]
    for name in ("council.align", "plan.align"):
        assert (out / name).read_text() == (tmp_path / "alone" / name).read_text()
    assert progress == [0, 1, 2, 3]


def test_pool_process_killed_loses_no_pair(tmp_path, shared):
    zh_dir, en_dir, out = _archive(tmp_path)
    before = {child.pid for child in multiprocessing.active_children()}

    def busy(pid: int) -> bool:  # past its start-up: killed while spawning, a worker can hang the pool
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return True  # no /proc: kill at once, as before
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK") > 0.5  # user + system CPU

    def kill_a_pool_process() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            children = [child for child in multiprocessing.active_children()
                        if child.pid not in before and busy(child.pid)]
            if children:
                os.kill(children[0].pid, signal.SIGKILL)
                return
            time.sleep(0.01)

    killer = threading.Thread(target=kill_a_pool_process)
    killer.start()
    report = align_batch(zh_dir, en_dir, out, presplit=True, jobs=2)
    killer.join()
    # every pair is either done or reported (the pool breaks: BrokenProcessPool), none vanishes
    assert sorted(report.aligned + [name for name, _ in report.failed]) == ["broken.txt", "council.txt", "plan.txt"]
    assert any("BrokenProcessPool" in message for _, message in report.failed)
    rerun = align_batch(zh_dir, en_dir, out, presplit=True)  # resumes with what is missing
    assert sorted(rerun.skipped + rerun.aligned) == ["council.txt", "plan.txt"]
    assert sorted(os.listdir(out)) == ["council.align", "plan.align"]


def test_units_skip_null_beads(tmp_path, aligner):
    zh, en = _pair(tmp_path, ZH_PLAN, EN_PLAN)
    pair = align_pair(zh, en, aligner, presplit=True)
    found = units(pair, "plan")
    assert [u.position for u in found] == [0, 1, 3]  # bead index; the null bead 2 has no unit
    assert found[2].prev_source == found[1].source and found[0].next_source == found[1].source
