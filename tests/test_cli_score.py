"""`tm score` through click's CliRunner, as a user types it."""
import json

import pytest
from click.testing import CliRunner
from sacrebleu.metrics import BLEU, CHRF, TER

from tm.cli import cli
from tm.store import TranslationMemory
from tm.unit import TranslationUnit

SOURCES = ["驻京办说，驻京办很忙。", "两会在北京举行。", "市政府表示支持。"]
HYPOTHESES = ["The Beijing liaison office says it is busy.", "The Two Sessions are held in Beijing.",
              "The city government expressed support."]
REFERENCES = ["The liaison office in Beijing said it was busy.", "The Two Sessions were held in Beijing.",
              "The municipal government expressed its support."]
TERMS = ['{"驻京办": ["liaison office in Beijing", "Beijing liaison office"]}', "[]",
         '[{"zh": "市政府", "en": "municipal government"}]']


def run(*args, input=None):
    return CliRunner().invoke(cli, ["score", *args], input=input, catch_exceptions=False)


def write(path, lines):
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


@pytest.fixture
def files(tmp_path):
    return {"src": write(tmp_path / "zh.txt", SOURCES), "hyp": write(tmp_path / "en.txt", HYPOTHESES),
            "ref": write(tmp_path / "ref.txt", REFERENCES), "terms": write(tmp_path / "terms.jsonl", TERMS),
            "db": str(tmp_path / "tm.db")}


@pytest.fixture
def mine(tmp_path):
    return write(tmp_path / "mine.tsv", ["驻京办\tliaison office in Beijing", "两会\tTwo Sessions",
                                         "市政府\tmunicipal government"])


def test_json_has_sacrebleus_scores_the_term_rates_and_every_segment(files):
    result = run("--src", files["src"], "--hyp", files["hyp"], "--ref", files["ref"], "--terms", files["terms"],
                 "--json", "--db", files["db"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["bleu"] == BLEU().corpus_score(HYPOTHESES, [REFERENCES]).score
    assert data["chrf"] == CHRF(word_order=2).corpus_score(HYPOTHESES, [REFERENCES]).score
    assert data["ter"] == TER().corpus_score(HYPOTHESES, [REFERENCES]).score
    assert data["term_success_rate"] == (0.5 + 0.0) / 2
    assert data["term_exact_match_accuracy"] == 1 / 3
    assert data["counts"]["segments"] == 3 and data["counts"]["term_pairs"] == 2
    assert data["references"] == "file" and data["signature"]["chrf"].startswith("nrefs:1|")
    assert [s["line"] for s in data["segments"]] == [1, 2, 3]
    assert data["segments"][2]["terms_missed"][0]["expected"] == ["municipal government"]


def test_the_terminal_summary_shows_scores_signatures_and_the_worst_segments(files):
    result = run("--src", files["src"], "--hyp", files["hyp"], "--ref", files["ref"], "--terms", files["terms"],
                 "--db", files["db"])
    assert result.exit_code == 0
    for text in ("BLEU", "chrF++", "TER", "term success rate (default)", "term exact-match accuracy",
                 "nrefs:1|case:mixed|eff:no|tok:13a", "tsr|method:default", "市政府 → municipal government (0/1)"):
        assert text in result.output


def test_a_bilingual_file_with_the_glossary_and_an_html_report(tmp_path, files, mine):
    job = write(tmp_path / "job.tsv", [f"{s}\t{h}" for s, h in zip(SOURCES, HYPOTHESES)])
    page = tmp_path / "score.html"
    result = run(job, "--no-builtin", "-g", mine, "--ref", files["ref"], "--html", str(page), "--json",
                 "--db", files["db"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["counts"]["term_pairs"] == 3  # 驻京办, 两会, 市政府 from the glossary
    html = page.read_text(encoding="utf-8")
    assert '<mark class=ok title="两会">Two Sessions</mark>' in html
    assert "市政府 → municipal government" in html


@pytest.fixture
def no_tm(tmp_path, monkeypatch):
    """A working directory without tm.db, and no $TM_DB."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TM_DB", raising=False)


def test_wmt25_method(files, no_tm):
    args = ["--src", files["src"], "--hyp", files["hyp"], "--terms", files["terms"], "--json"]
    default, wmt25 = json.loads(run(*args).output), json.loads(run(*args, "--method", "wmt25").output)
    assert "method:wmt25" in wmt25["signature"]["term_success_rate"]
    # wmt25 sees "Beijing liaison office" once for two 驻京办: the same here; 市政府 missed either way
    assert wmt25["term_success_rate"] == default["term_success_rate"] == 0.25


def test_references_from_the_tm_at_the_minimum(files):
    with TranslationMemory(files["db"]) as memory:
        memory.add([TranslationUnit(SOURCES[0], REFERENCES[0]), TranslationUnit("市政府表示坚决支持。", REFERENCES[2])])
    args = ["--src", files["src"], "--hyp", files["hyp"], "--terms", files["terms"], "--json", "--db", files["db"]]
    data = json.loads(run(*args).output)
    assert data["references"] == "tm" and data["minimum"] == 75
    assert data["counts"]["with_reference"] == 2
    assert [s["reference"]["match"] if s["reference"] else None for s in data["segments"]] == [
        100.0, None, data["segments"][2]["reference"]["match"]]
    assert data["bleu"] == BLEU().corpus_score([HYPOTHESES[0], HYPOTHESES[2]], [[REFERENCES[0], REFERENCES[2]]]).score
    strict = json.loads(run(*args, "--min", "100").output)
    assert strict["counts"]["with_reference"] == 1


def test_without_reference_or_tm_only_terms_are_scored(files, no_tm):
    result = run("--src", files["src"], "--hyp", files["hyp"], "--terms", files["terms"])
    assert result.exit_code == 0
    assert "No reference" in result.output and "–" in result.output


def test_an_explicit_tm_that_does_not_exist_is_an_error(files, tmp_path):
    result = run("--src", files["src"], "--hyp", files["hyp"], "--terms", files["terms"],
                 "--db", str(tmp_path / "missing.db"))
    assert result.exit_code == 2 and "missing.db" in result.output


def test_a_bad_terms_line_is_one_line_naming_file_and_line(files, tmp_path):
    bad = write(tmp_path / "bad.jsonl", [TERMS[0], '{"两会": ', TERMS[2]])
    result = run("--src", files["src"], "--hyp", files["hyp"], "--terms", bad, "--ref", files["ref"])
    assert result.exit_code == 2
    assert result.output.strip().startswith(f"error: {bad}:2: not JSON") and len(result.output.splitlines()) == 1


@pytest.mark.parametrize("lines", [REFERENCES[:2], REFERENCES + ["one more"]])
def test_a_reference_file_of_another_length_is_refused(files, tmp_path, lines):
    ref = write(tmp_path / "other.txt", lines)
    result = run("--src", files["src"], "--hyp", files["hyp"], "--ref", ref, "--terms", files["terms"])
    assert result.exit_code == 2 and "other.txt" in result.output and "one line per line" in result.output


def test_lines_blank_on_both_sides_are_skipped_and_ref_and_terms_follow_the_line_numbers(tmp_path):
    """Line N of --ref and --terms goes with line N of --src, whatever lines are skipped."""
    src = write(tmp_path / "zh.txt", [SOURCES[0], "", SOURCES[2]])
    hyp = write(tmp_path / "en.txt", [HYPOTHESES[0], "", HYPOTHESES[2]])
    ref = write(tmp_path / "ref.txt", [REFERENCES[0], "", REFERENCES[2]])
    terms = write(tmp_path / "terms.jsonl", [TERMS[0], "", TERMS[2]])
    data = json.loads(run("--src", src, "--hyp", hyp, "--ref", ref, "--terms", terms, "--json").output)
    assert [s["line"] for s in data["segments"]] == [1, 3]
    assert [s["reference"]["text"] for s in data["segments"]] == [REFERENCES[0], REFERENCES[2]]


@pytest.mark.parametrize("args", [[], ["--src", "a.txt"], ["job.tsv", "--src", "a", "--hyp", "b"]])
def test_input_must_be_a_file_or_src_and_hyp(args):
    result = run(*args)
    assert result.exit_code == 2 and "Usage" in result.output


def test_a_blank_reference_line_means_no_reference_for_that_segment(files, tmp_path):
    ref = write(tmp_path / "partial.txt", [REFERENCES[0], "", REFERENCES[2]])
    data = json.loads(run("--src", files["src"], "--hyp", files["hyp"], "--ref", ref, "--json",
                          "--db", files["db"]).output)
    assert data["counts"]["with_reference"] == 2 and data["counts"]["without_reference"] == 1
    kept = [HYPOTHESES[0], HYPOTHESES[2]], [[REFERENCES[0], REFERENCES[2]]]
    assert data["bleu"] == BLEU().corpus_score(*kept).score
