"""The translation memory as a user meets it: import, duplicates, lookup, concordance, analysis, safety.

Tests taking ``memory_url`` run against both stores, SQLite and PostgreSQL (see conftest.py).
"""
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from click.testing import CliRunner

from glossary.errors import FormatError
from tm.analysis import analyze
from tm.cli import cli
from tm.store import TranslationMemory, open_memory
from tm.tmx import write_tmx
from tm.unit import TranslationUnit

PAIRS = [
    ("国家发展和改革委员会今天宣布了一项80亿元的计划。", "The NDRC announced an 8 billion yuan plan today."),
    ("两会期间，驻京办十分忙碌。", "During the Two Sessions, the liaison office is very busy."),
    ("中央经济工作会议在北京举行。", "The Central Economic Work Conference was held in Beijing."),
    ("省长会见了代表团。", "The governor met the delegation."),
]


def write_pairs(path, pairs=PAIRS):
    path.write_text("".join(f"{zh}\t{en}\n" for zh, en in pairs), encoding="utf-8")
    return path


def snapshot(location):
    """What an import could leave behind: the units and, in SQLite, the index postings
    (PostgreSQL maintains its indexes inside the transaction itself)."""
    with open_memory(location) as memory:
        postings = (memory.db.execute("SELECT count(*) FROM postings").fetchone()[0]
                    if isinstance(memory, TranslationMemory) else None)
        return [(u.source, u.target) for u in memory.units()], postings


def test_import_counts_read_added_duplicates_and_skipped(tmp_path, memory_url):
    tmx = tmp_path / "a.tmx"
    units = [TranslationUnit(zh, en) for zh, en in PAIRS] + [TranslationUnit(*PAIRS[0])]
    write_tmx(units, tmx)
    text = tmx.read_text(encoding="utf-8").replace(
        "</body>", '<tu><tuv xml:lang="en"><seg>English only</seg></tuv></tu></body>')
    tmx.write_text(text, encoding="utf-8")
    with open_memory(memory_url) as memory:
        stats = memory.import_file(tmx)
        assert (stats.read, stats.added, stats.duplicates, stats.skipped) == (6, 4, 1, 1)
        again = memory.import_file(tmx)
        assert (again.added, again.duplicates) == (0, 5)
        assert len(memory) == 4


def test_a_file_broken_half_way_leaves_the_tm_exactly_as_it_was(tmp_path, memory_url):
    with open_memory(memory_url) as memory:
        memory.import_file(write_pairs(tmp_path / "first.tsv", PAIRS[:2]))
    before = snapshot(memory_url)
    good = "".join(f"{zh}\t{en}\n" for zh, en in PAIRS[2:]) * 30_000  # more than one batch
    (tmp_path / "broken.tsv").write_text(good + "no tab on this line\n", encoding="utf-8")
    with open_memory(memory_url) as memory, pytest.raises(FormatError, match=r"broken.tsv:60001"):
        memory.import_file(tmp_path / "broken.tsv")
    assert snapshot(memory_url) == before


def test_malformed_tmx_is_reported_with_its_line_and_nothing_is_imported(tmp_path, memory_url):
    tmx = tmp_path / "bad.tmx"
    write_tmx([TranslationUnit(zh, en) for zh, en in PAIRS], tmx)
    tmx.write_text(tmx.read_text(encoding="utf-8").replace("</body>", "<tu><tuv></tu></body>"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(tmx), "--db", memory_url])
    assert result.exit_code == 2 and "bad.tmx:" in result.output and "malformed XML" in result.output
    units, postings = snapshot(memory_url)
    assert units == [] and not postings


_SLOW_IMPORT = """
import sys, time
from tm.store import open_memory
from tm.unit import TranslationUnit
def units():
    for i in range(10**9):
        if i == 30_000:
            print("started", flush=True)
        yield TranslationUnit(f"第{i}条新闻稿的中文句子。", f"English sentence {i}.")
with open_memory(sys.argv[1]) as memory:
    memory.add(units())
"""


def test_a_killed_import_leaves_no_trace(tmp_path, memory_url):
    with open_memory(memory_url) as memory:
        memory.import_file(write_pairs(tmp_path / "a.tsv"))
    before = snapshot(memory_url)
    child = subprocess.Popen([sys.executable, "-c", _SLOW_IMPORT, memory_url], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "started"
    time.sleep(0.5)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert snapshot(memory_url) == before


def _import(args):
    location, path = args
    with open_memory(location) as memory:
        return memory.import_file(path).added


def test_two_processes_importing_at_once_lose_nothing(tmp_path, memory_url):
    open_memory(memory_url).close()
    files = []
    for name in "ab":
        pairs = [(f"{name}文件第{i}句，关于地方政府债务。", f"{name} sentence {i}.") for i in range(3000)]
        pairs += PAIRS  # the same four in both files: stored once
        files.append(write_pairs(tmp_path / f"{name}.tsv", pairs))
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        added = pool.map(_import, [(memory_url, str(f)) for f in files])
    assert sum(added) == 6004
    with open_memory(memory_url) as memory:
        assert len(memory) == 6004
        assert memory.lookup("a文件第2999句，关于地方政府债务。")[0].band == "100"


def test_concordance_finds_one_and_two_character_chinese_terms_and_english_words(tmp_path, memory_url):
    with open_memory(memory_url) as memory:
        memory.import_file(write_pairs(tmp_path / "a.tsv"))
        assert [h.source for h in memory.concordance("省")] == [PAIRS[3][0]]
        assert [h.source for h in memory.concordance("兩會")] == [PAIRS[1][0]]
        (hit,) = memory.concordance("Liaison Offices")
        assert hit.side == "en" and hit.target[slice(*hit.spans[0])] == "liaison office"
        hits = memory.concordance("会")  # every unit with 会, newest first
        assert [h.id for h in hits] == [4, 3, 2, 1]
        assert [h.source[slice(*h.spans[0])] for h in hits] == ["会"] * 4
        assert len(memory.concordance("会", limit=2)) == 2


def test_analysis_counts_segments_characters_and_words_per_band(tmp_path, memory_url):
    with open_memory(memory_url) as memory:
        memory.import_file(write_pairs(tmp_path / "a.tsv"))
        document = [PAIRS[2][0], "中央农村工作会议在北京举行。", PAIRS[2][0], "完全不同的一句话。"]
        result = analyze(memory, document, minimum=50)
    bands = [r.band for r in result.segments]
    assert bands == ["100", "85-94", "repetition", "no match"]
    totals = result.totals()
    assert totals["total"]["segments"] == 4
    assert totals["100"]["characters"] == len(PAIRS[2][0]) == totals["repetition"]["characters"]
    assert sum(totals[b]["words"] for b in totals if b != "total") == totals["total"]["words"] > 4


def test_cli_lookup_file_prints_one_json_object_per_query(tmp_path, memory_url):
    db = memory_url
    runner = CliRunner()
    assert runner.invoke(cli, ["import", str(write_pairs(tmp_path / "a.tsv")), "--db", db]).exit_code == 0
    queries = "国家发展和改革委员会昨天宣布了一项90亿元的计划。\n完全无关。\n"
    result = runner.invoke(cli, ["lookup", "--file", "-", "--db", db, "--json"], input=queries)
    assert result.exit_code == 0
    first, second = [json.loads(line) for line in result.output.splitlines()]
    match = first["matches"][0]
    assert (match["target"], match["band"], match["score"]) == (PAIRS[0][1], "85-94", 92.0)
    assert match["numbers"] == {"query": ["90亿"], "match": ["80亿"]}
    assert second == {"query": "完全无关。", "matches": []}


def test_cli_analyze_writes_a_pretranslation(tmp_path, memory_url):
    db = memory_url
    runner = CliRunner()
    runner.invoke(cli, ["import", str(write_pairs(tmp_path / "a.tsv")), "--db", db])
    (tmp_path / "new.txt").write_text(f"{PAIRS[3][0]}\n新的一句。\n", encoding="utf-8")
    result = runner.invoke(cli, ["analyze", str(tmp_path / "new.txt"), "--db", db,
                                 "--pretranslate", str(tmp_path / "out.tsv"), "--json",
                                 "--html", str(tmp_path / "report.html")])
    assert result.exit_code == 0
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert PAIRS[3][1] in page and "<td class=band>no match</td>" in page and "<script" not in page
    assert json.loads(result.output)["bands"]["100"]["segments"] == 1
    lines = (tmp_path / "out.tsv").read_text(encoding="utf-8").splitlines()
    assert lines == [f"{PAIRS[3][0]}\t{PAIRS[3][1]}\t100.0\t100", "新的一句。\t\t\tno match"]


def test_export_and_reimport_round_trip(tmp_path, new_memory_url):
    db, again = new_memory_url(), new_memory_url()
    runner = CliRunner()
    runner.invoke(cli, ["import", str(write_pairs(tmp_path / "a.tsv")), "--db", db, "--ordered"])
    assert runner.invoke(cli, ["export", str(tmp_path / "out.tmx"), "--db", db]).exit_code == 0
    runner.invoke(cli, ["import", str(tmp_path / "out.tmx"), "--db", again])
    with open_memory(db) as a, open_memory(again) as b:
        assert len(a) == len(PAIRS) and list(a.units()) == list(b.units())


def test_a_missing_tm_or_a_file_that_is_not_one_is_a_one_line_error(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["lookup", "两会", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2 and "none.db: no translation memory here" in result.output
    (tmp_path / "junk.db").write_bytes(b"this is not sqlite" * 100)
    result = runner.invoke(cli, ["lookup", "两会", "--db", str(tmp_path / "junk.db")])
    assert result.exit_code == 2 and "junk.db: not a translation memory" in result.output


def test_units_differing_only_in_their_inline_tags_are_both_kept(memory_url):
    units = [TranslationUnit("见附件\ue000。", "See the attachment\ue000.", source_codes=[f'<ph x="1">{name}</ph>'],
                             target_codes=[f'<ph x="1">{name}</ph>']) for name in ("1.html", "2.html")]
    with open_memory(memory_url) as memory:
        assert memory.add(units).added == 2


def test_concordance_spans_point_into_the_text_as_shown_with_tags(memory_url):
    with open_memory(memory_url) as memory:
        memory.add([TranslationUnit("一项\ue00080亿元\ue001的计划", "an \ue0008 billion yuan\ue001 plan",
                                    source_codes=["<bpt i='1'/>", "<ept i='1'/>"],
                                    target_codes=["<bpt i='1'/>", "<ept i='1'/>"])])
        (hit,) = memory.concordance("亿元")
        shown = hit.to_dict()["source"]
        assert shown == "一项{1}80亿元{2}的计划" and shown[slice(*hit.spans[0])] == "亿元"
        (hit,) = memory.concordance("billion yuan")
        assert hit.to_dict()["target"][slice(*hit.spans[0])] == "billion yuan"


def test_digits_and_signs_are_looked_for_in_the_chinese(memory_url):
    with open_memory(memory_url) as memory:
        memory.add([TranslationUnit("增长5%（同比）。", "Up 5% (year on year).")])
        assert [h.side for h in memory.concordance("5%")] == ["zh"]
        assert [h.side for h in memory.concordance("（")] == ["zh"]


def test_a_lookup_runs_while_an_import_is_writing(tmp_path, memory_url):
    with open_memory(memory_url) as memory:
        memory.import_file(write_pairs(tmp_path / "a.tsv"))
    paused, resume = threading.Event(), threading.Event()

    def slow_units():  # more than one batch is written, then the import waits, uncommitted
        for i in range(25_000):
            yield TranslationUnit(f"第{i}条新闻稿的中文句子。", f"English sentence {i}.")
        paused.set()
        resume.wait(60)

    def importer():
        with open_memory(memory_url) as writer:
            writer.add(slow_units())

    thread = threading.Thread(target=importer)
    thread.start()
    try:
        assert paused.wait(60)
        with open_memory(memory_url, readonly=True, timeout=1) as reader:
            assert reader.lookup(PAIRS[3][0])[0].band == "100"  # sees the last committed state
            assert len(reader) == len(PAIRS)
    finally:
        resume.set()
        thread.join()
    with open_memory(memory_url, readonly=True) as reader:
        assert len(reader) == len(PAIRS) + 25_000


def test_a_tm_on_a_read_only_medium_can_still_be_searched(tmp_path):
    db = tmp_path / "ro" / "tm.db"
    db.parent.mkdir()
    with TranslationMemory(db) as memory:
        memory.import_file(write_pairs(tmp_path / "a.tsv"))
    os.chmod(db.parent, 0o555)
    os.chmod(db, 0o444)
    try:
        result = CliRunner().invoke(cli, ["lookup", PAIRS[3][0], "--db", str(db), "--json"])
        assert result.exit_code == 0 and json.loads(result.output)["matches"][0]["band"] == "100"
    finally:
        os.chmod(db.parent, 0o755)


def test_a_failed_first_import_leaves_no_empty_tm_behind(tmp_path):
    db = tmp_path / "tm.db"
    (tmp_path / "bad.tsv").write_text("no tab here\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(tmp_path / "bad.tsv"), "--db", str(db)])
    assert result.exit_code == 2 and not db.exists()


def test_one_and_two_character_queries_find_what_brute_force_finds(memory_url):
    from tm.fuzzy import brute_force

    sources = ["省", "两会", "两会议", "省长", "会议", "两会召开了", "会"]
    with open_memory(memory_url) as memory:
        memory.add([TranslationUnit(s, s) for s in sources])
        keys = list(enumerate(sources, 1))
        for query in ("两会", "省", "会"):
            assert memory.candidates(query, 50) == brute_force(query, keys, 50)
        assert sorted(memory.candidates("两会", 50)) == [2, 3, 7]
