"""Alignment evaluation: the .align format, strict/lax counting by hand, pooling, `tm align-eval`."""
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, strategies as st

from aligned.evaluate import (Bead, Scores, evaluate, evaluate_dirs, format_beads, parse_beads,
                              read_beads)
from glossary.errors import FormatError
from tm.cli import cli

ALIGN_DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "align-dev"


def beads(text: str) -> list[Bead]:
    return parse_beads(text)


# Document A. Gold: 5 beads, 3 of them not null.
GOLD_A = """\
[0]:[0]
[1]:[1,2]
[2,3]:[3]
[4]:[]
[]:[4]
"""
# Predicted: 7 beads.
PRED_A = """\
[0]:[0]
[1]:[1]
[]:[2]
[2]:[3]
[3]:[]
[4]:[]
[]:[4]
"""
# Precision, over the 7 predicted beads (null beads included):
#   [0]:[0]  equals a gold bead                       strict hit, lax hit
#   [1]:[1]  gold links 1 to {1,2}; 1 overlaps        lax hit
#   []:[2]   null, not in gold                        miss, miss
#   [2]:[3]  gold links 2 to {3}; 3 overlaps          lax hit
#   [3]:[]   null, not in gold (gold has [2,3]:[3])   miss, miss (a null bead links nothing)
#   [4]:[]   equals a gold null bead                  strict hit, lax hit
#   []:[4]   equals a gold null bead                  strict hit, lax hit
#   strict 3/7, lax 5/7
# Recall, over the 3 gold beads that are not null, against the predicted beads that are not null
# ([0]:[0], [1]:[1], [2]:[3]):
#   [0]:[0]    predicted exactly                      strict hit, lax hit
#   [1]:[1,2]  prediction links 1 to {1}; overlaps    lax hit
#   [2,3]:[3]  prediction links 2 to {3}; overlaps    lax hit
#   strict 1/3, lax 3/3
# strict F1 = 2 * 3/7 * 1/3 / (3/7 + 1/3) = (6/21) / (16/21) = 0.375
# lax F1    = 2 * 5/7 * 1 / (5/7 + 1)     = (10/7) / (12/7)  = 5/6
GOLD_B = "[0]:[0,1]\n[1]:[2]\n"
PRED_B = "[0]:[0]\n[1]:[1,2]\n"
# Document B. Precision: [0]:[0] (gold links 0 to {0,1}) and [1]:[1,2] (gold links 1 to {2}) are lax
# hits, neither is exact: strict 0/2, lax 2/2. Recall: [0]:[0,1] (prediction links 0 to {0}) and
# [1]:[2] (prediction links 1 to {1,2}) are lax hits: strict 0/2, lax 2/2.
# Pooled A + B: strict P = 3/9, R = 1/5, F1 = 2 * (1/15) / (8/15) = 0.25;
#               lax    P = 7/9, R = 5/5, F1 = 2 * (7/9) / (16/9) = 0.875.


def close(scores: Scores, precision, recall, f1):
    assert scores.precision == pytest.approx(precision)
    assert scores.recall == pytest.approx(recall)
    assert scores.f1 == pytest.approx(f1)


def test_one_document_counted_by_hand():
    result = evaluate([beads(GOLD_A)], [beads(PRED_A)])
    close(result["strict"], 3 / 7, 1 / 3, 0.375)
    close(result["lax"], 5 / 7, 1.0, 5 / 6)
    assert (result["strict"].hits, result["strict"].predicted) == (3, 7)
    assert (result["strict"].recalled, result["strict"].gold) == (1, 3)
    assert (result["lax"].hits, result["lax"].recalled) == (5, 3)


def test_lax_hits_without_any_exact_bead():
    result = evaluate([beads(GOLD_B)], [beads(PRED_B)])
    close(result["strict"], 0.0, 0.0, 0.0)
    close(result["lax"], 1.0, 1.0, 1.0)


def test_counts_are_pooled_over_documents_not_averaged():
    result = evaluate([beads(GOLD_A), beads(GOLD_B)], [beads(PRED_A), beads(PRED_B)])
    close(result["strict"], 3 / 9, 1 / 5, 0.25)
    close(result["lax"], 7 / 9, 1.0, 0.875)
    assert result["strict"] == Scores.from_counts(hits=3, predicted=9, recalled=1, gold=5)
    # the mean of the two documents' strict F1 would be (0.375 + 0) / 2
    assert result["strict"].f1 != pytest.approx(0.1875)


def test_lax_needs_one_gold_bead_overlapping_on_both_sides():
    # 0 is in gold bead [0]:[0] and 1 in gold bead [1]:[1], but no gold bead links 0 to 1.
    result = evaluate([beads("[0]:[0]\n[1]:[1]\n")], [beads("[0]:[1]\n[1]:[0]\n")])
    close(result["lax"], 0.0, 0.0, 0.0)
    # overlap on the source side alone is not enough either
    result = evaluate([beads("[0,1]:[0]\n")], [beads("[0]:[1]\n")])
    assert result["lax"].hits == 0


def test_null_beads_count_in_precision_only():
    # Gold and prediction agree on a deletion and an insertion; gold has no other bead.
    # Precision: 2/2. Recall: no gold bead that is not null, 0/0 → 0.0 (as Bertalign).
    result = evaluate([beads("[3]:[]\n[]:[5]\n")], [beads("[3]:[]\n[]:[5]\n")])
    assert (result["strict"].hits, result["strict"].predicted) == (2, 2)
    assert (result["strict"].recalled, result["strict"].gold) == (0, 0)
    close(result["strict"], 1.0, 0.0, 0.0)
    # A gold null bead missed by the prediction costs nothing in recall…
    result = evaluate([beads("[0]:[0]\n[1]:[]\n")], [beads("[0]:[0]\n")])
    close(result["strict"], 1.0, 1.0, 1.0)
    # …but a predicted null bead that gold does not have costs precision, strict and lax.
    result = evaluate([beads("[0,1]:[0]\n")], [beads("[0]:[0]\n[1]:[]\n")])
    close(result["strict"], 0.0, 0.0, 0.0)
    assert (result["lax"].hits, result["lax"].predicted) == (1, 2)
    assert (result["lax"].recalled, result["lax"].gold) == (1, 1)


def test_a_repeated_bead_counts_once_and_an_empty_prediction_scores_zero():
    result = evaluate([beads("[0]:[0]\n[1]:[1]\n")], [beads("[0]:[0]\n[0]:[0]\n")])
    assert (result["strict"].hits, result["strict"].predicted, result["strict"].recalled) == (1, 1, 1)
    result = evaluate([beads("[0]:[0]\n")], [[]])
    assert result["strict"] == Scores(0.0, 0.0, 0.0, 0, 0, 0, 1)


def test_document_counts_must_agree():
    with pytest.raises(ValueError):
        evaluate([beads(GOLD_A)], [])


# An independent statement of the definitions, for random alignments.
def _naive(gold: list[Bead], predicted: list[Bead]) -> tuple[int, int, int, int, int, int]:
    gold, predicted = set(gold), set(predicted)

    def shares_a_link(bead, others):
        return any(set(bead.src) & set(o.src) and set(bead.tgt) & set(o.tgt) for o in others)

    full_gold = [g for g in gold if g.src and g.tgt]
    full_pred = [p for p in predicted if p.src and p.tgt]
    return (sum(p in gold for p in predicted),
            sum(p in gold or shares_a_link(p, gold) for p in predicted),
            len(predicted),
            sum(g in full_pred for g in full_gold),
            sum(g in full_pred or shares_a_link(g, full_pred) for g in full_gold),
            len(full_gold))


_ids = st.lists(st.integers(0, 6), max_size=3, unique=True).map(tuple)
_beads = st.lists(st.tuples(_ids, _ids).filter(lambda b: b[0] or b[1]).map(lambda b: Bead(*b)),
                  max_size=8)


@given(_beads, _beads)
def test_counts_match_a_naive_statement_of_the_definitions(gold, predicted):
    result = evaluate([gold], [predicted])
    strict, lax = result["strict"], result["lax"]
    assert (strict.hits, lax.hits, strict.predicted, strict.recalled, lax.recalled, strict.gold) \
        == _naive(gold, predicted)


# ---------------------------------------------------------------- the .align format

def test_parse_tolerates_spaces_and_blank_lines_and_reads_null_beads():
    text = "[0, 1]:[0]\n\n  [ 2 ] : [ 3 ,4 ]  \n[5]:[]\n[]:[ 6 ]\r\n\n"
    assert parse_beads(text) == [Bead((0, 1), (0,)), Bead((2,), (3, 4)), Bead((5,), ()),
                                 Bead((), (6,))]


def test_format_then_parse_round_trip():
    text = "[0,1]:[0]\n[2]:[1,2,3]\n[4]:[]\n[]:[4]\n[10]:[11]\n"
    assert format_beads(parse_beads(text)) == text
    assert format_beads([Bead((3,), (4, 5))]) == "[3]:[4,5]\n"
    assert format_beads([]) == ""


@pytest.mark.parametrize("line, message", [
    ("[3]:[4", "not a bead"),
    ("3:4", "not a bead"),
    ("[a]:[1]", "not a bead"),
    ("[-1]:[2]", "not a bead"),
    ("[1]:[2]:[3]", "not a bead"),
    ("[1];[2]", "not a bead"),
    ("[]:[]", "no sentence on either side"),
    ("[1,1]:[2]", "listed twice"),
])
def test_a_malformed_line_names_the_file_and_line(line, message):
    with pytest.raises(FormatError) as caught:
        parse_beads(f"[0]:[0]\n\n{line}\n[5]:[5]\n", "doc.align")
    assert caught.value.path == "doc.align" and caught.value.line == 3
    assert message in caught.value.message
    assert str(caught.value).startswith("doc.align:3: ")


def test_read_beads_bom_empty_file_and_bad_bytes(tmp_path):
    path = tmp_path / "001.align"
    path.write_bytes(b"\xef\xbb\xbf[0]:[0]\r\n[1]:[1,2]\r\n")
    assert read_beads(path) == [Bead((0,), (0,)), Bead((1,), (1, 2))]
    path.write_bytes(b"")
    assert read_beads(path) == []
    path.write_bytes(b"[0]:[0]\n[1]:[\xff]\n")
    with pytest.raises(FormatError) as caught:
        read_beads(path)
    assert caught.value.line == 2
    with pytest.raises(FormatError):
        read_beads(tmp_path / "absent.align")


# ---------------------------------------------------------------- folders and the command line

@pytest.fixture
def folders(tmp_path):
    gold, pred = tmp_path / "gold", tmp_path / "pred"
    gold.mkdir()
    pred.mkdir()
    (gold / "001.align").write_text(GOLD_A)
    (gold / "002.align").write_text(GOLD_B)
    (pred / "001.align").write_text(PRED_A)
    (pred / "002.align").write_text(PRED_B)
    (pred / "999.align").write_text("[0]:[0]\n")  # no gold: ignored
    return gold, pred


def test_evaluate_dirs_pairs_files_by_name(folders):
    gold, pred = folders
    pooled, per_document, missing = evaluate_dirs(gold, pred)
    close(pooled["strict"], 3 / 9, 1 / 5, 0.25)
    assert sorted(per_document) == ["001", "002"] and missing == []
    close(per_document["001"]["strict"], 3 / 7, 1 / 3, 0.375)
    close(per_document["002"]["lax"], 1.0, 1.0, 1.0)


def test_a_missing_prediction_counts_as_predicting_nothing(folders):
    gold, pred = folders
    (pred / "002.align").unlink()
    pooled, per_document, missing = evaluate_dirs(gold, pred)
    assert missing == ["002"]
    # document B's 2 gold beads stay in recall; nothing predicted for it
    assert pooled["strict"] == Scores.from_counts(hits=3, predicted=7, recalled=1, gold=5)
    assert per_document["002"]["lax"].recall == 0.0


def test_evaluate_dirs_without_gold_files(tmp_path):
    with pytest.raises(FormatError, match="no gold"):
        evaluate_dirs(tmp_path, tmp_path)


def run(*args):
    return CliRunner().invoke(cli, ["align-eval", *map(str, args)], catch_exceptions=False)


def test_cli_prints_pooled_table_and_per_document_with_verbose(folders):
    result = run(*folders)
    assert result.exit_code == 0, result.output
    assert "strict" in result.output and "lax" in result.output
    assert "0.250" in result.output and "0.875" in result.output
    assert "0.375" not in result.output  # document A alone: only with --verbose
    result = run(*folders, "--verbose")
    assert "0.375" in result.output and "001" in result.output and "002" in result.output


def test_cli_json(folders):
    result = run(*folders, "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["strict"]["f1"] == pytest.approx(0.25)
    assert data["lax"]["precision"] == pytest.approx(7 / 9)
    assert data["strict"]["hits"] == 3 and data["strict"]["gold"] == 5
    assert data["documents"]["001"]["lax"]["f1"] == pytest.approx(5 / 6)
    assert data["missing"] == []


def test_cli_missing_prediction_warns_and_exits_1(folders):
    gold, pred = folders
    (pred / "001.align").unlink()
    result = run(gold, pred, "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["missing"] == ["001"]
    assert "warning" in result.stderr and "001" in result.stderr


def test_cli_malformed_file_is_one_line_and_exit_2(folders):
    gold, pred = folders
    (pred / "002.align").write_text("[0]:[0]\n[1]-[1]\n")
    result = run(gold, pred)
    assert result.exit_code == 2
    assert f"{pred / '002.align'}:2:" in result.stderr
    assert "Traceback" not in result.output


# ---------------------------------------------------------------- the development gold

def test_mac_dev_gold_against_itself_scores_one():
    gold = ALIGN_DEV / "mac-dev" / "gold"
    if not gold.is_dir():
        pytest.skip(f"{gold} is absent (../shared/data is not part of the project)")
    pooled, per_document, missing = evaluate_dirs(gold, gold)
    assert missing == [] and len(per_document) == len(list(gold.glob("*.align")))
    for kind in ("strict", "lax"):
        assert pooled[kind].f1 == 1.0
        assert pooled[kind].precision == pooled[kind].recall == 1.0
    assert pooled["strict"].predicted == sum(len(set(read_beads(p))) for p in gold.glob("*.align"))
