"""The scorer (tm.score): sacrebleu's numbers, TM references, the result object, the HTML report."""
import random
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

from tm import score as score_module
from tm.bilingual import Segment
from tm.score import Reference, score_segments, text_scores, tm_references
from tm.score_report import score_html
from tm import segment_stats
from tm.segment_stats import (bleu_statistics, bleu_statistics_batch, chrf_statistics, chrf_statistics_batch,
                              remove_punctuation, ter_statistics, tokenize_13a)
from tm.store import TranslationMemory
from tm.terms import Term, read_term_lists, rendering_pattern
from tm.unit import TranslationUnit

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
TERM_DEV = ROOT.parent / "shared" / "data" / "term-dev"

OFFICE = Term("驻京办", ("liaison office in Beijing", "Beijing liaison office"))


def paragraphs(language: str) -> list[str]:
    return [line.strip() for path in sorted((EXAMPLES / language).glob("*.txt"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def altered(sentence: str, rng: random.Random) -> str:
    """A plausible other translation: a word dropped, one replaced, two swapped."""
    words = sentence.split()
    if len(words) > 4:
        del words[rng.randrange(len(words))]
        words[rng.randrange(len(words))] = rng.choice(["office", "the", "government", "Plan"])
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


@pytest.fixture(scope="module")
def corpus():
    rng = random.Random(5)
    refs = paragraphs("en")
    # sentences too: short segments exercise effective order and empty n-gram orders
    refs += [s.strip() + "." for p in refs[:10] for s in p.split(".") if s.strip()]
    hyps = [altered(r, rng) for r in refs] + ["", "Nothing in common here"]
    return hyps, refs + ["A reference.", ""]


# ---------------------------------------------------------------- sacrebleu agreement

def test_corpus_and_sentence_scores_are_sacrebleus_own(corpus):
    hyps, refs = corpus
    scores, per_segment = text_scores(hyps, refs)
    assert scores["bleu"].score == BLEU().corpus_score(hyps, [refs]).score
    assert scores["chrf"].score == CHRF(word_order=2).corpus_score(hyps, [refs]).score
    assert scores["ter"].score == TER().corpus_score(hyps, [refs]).score
    sentence_bleu, chrf, ter = BLEU(effective_order=True), CHRF(word_order=2), TER()
    for hyp, ref, row in zip(hyps, refs, per_segment):
        assert row == {"bleu": sentence_bleu.sentence_score(hyp, [ref]).score,
                       "chrf": chrf.sentence_score(hyp, [ref]).score,
                       "ter": ter.sentence_score(hyp, [ref]).score}


ODD = ["", " ", "a", "(hi)", "U.S. 2,000.5 - 3 -- x...", "&quot;quoted&quot; <skipped> tab\tend -",
       "Liǎnghuì 两会 ＧＤＰ", "a a a a a a a", "end .", "'s it's (a) [b] {c}!"]


@pytest.mark.parametrize("name", ["bleu", "chrf", "ter"])
def test_segment_statistics_are_the_lists_sacrebleu_keeps(corpus, name):
    hyps, refs = corpus
    hyps = hyps + ODD + ODD[::-1]
    refs = refs + ODD[::-1] + ODD
    metric = score_module._metrics()[name][0]
    compute = {"bleu": bleu_statistics, "chrf": chrf_statistics, "ter": ter_statistics}[name]
    ours = [compute(metric, h, r) for h, r in zip(hyps, refs)]
    assert ours == score_module._metrics()[name][0]._extract_corpus_statistics(hyps, [refs])


def test_bleu_statistics_in_batches_are_the_same_lists(corpus, monkeypatch):
    hyps, refs = corpus
    hyps, refs = hyps + ODD + ["a b", "x"], refs + ODD[::-1] + ["", "a b c d e"]
    metric = score_module._metrics()["bleu"][0]
    expected = metric._extract_corpus_statistics(hyps, [refs])
    for size in (7, 1, 500):
        monkeypatch.setattr(segment_stats, "BATCH", size)
        assert bleu_statistics_batch(metric, hyps, refs) == expected


def test_chrf_statistics_in_batches_are_the_same_lists(corpus, monkeypatch):
    hyps, refs = corpus
    cjk = "".join(chr(0x4E00 + k) for k in range(3000))  # too many characters to pack: counted one by one
    hyps = hyps + ODD + [cjk, "\ud800 lone surrogate", "x"]
    refs = refs + ODD[::-1] + [cjk[::-1], "lone", ""]
    metric = score_module._metrics()["chrf"][0]
    expected = metric._extract_corpus_statistics(hyps, [refs])
    monkeypatch.setattr(segment_stats, "BATCH", 7)
    assert chrf_statistics_batch(metric, hyps, refs) == expected


PIECES = [chr(c) for c in range(32, 127)] + ["\n", "\t", "é", "两", "．", "&quot;", "&amp;", "&lt;", "<skipped>", "-\n"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(PIECES + [" ", " ", "  ", ".", ",", "-", "1"]), max_size=40).map("".join))
def test_the_13a_tokenizer_is_sacrebleus(line):
    assert tokenize_13a(line) == Tokenizer13a()(line)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES + ["\x1c", "\u3000", "\xa0", "\u2028"]), max_size=30).map("".join))
def test_punctuation_is_split_off_as_sacrebleus_chrf_does(text):
    assert remove_punctuation(text) == CHRF()._remove_punctuation(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab .,-'()1", max_size=30), st.text(alphabet="ab .,-'()1", max_size=30))
def test_segment_statistics_on_random_strings(hyp, ref):
    for name, compute in (("bleu", bleu_statistics), ("chrf", chrf_statistics), ("ter", ter_statistics)):
        metric = score_module._metrics()[name][0]
        assert compute(metric, hyp, ref) == metric._extract_corpus_statistics([hyp], [[ref]])[0]


def test_chunks_and_worker_processes_change_nothing(corpus, monkeypatch):
    hyps, refs = corpus
    whole, whole_rows = text_scores(hyps, refs)
    monkeypatch.setattr(score_module, "CHUNK", 7)
    for jobs in (1, 2):
        parts, rows = text_scores(hyps, refs, jobs=jobs)
        assert {k: v.score for k, v in parts.items()} == {k: v.score for k, v in whole.items()}
        assert rows == whole_rows


def test_signatures_are_what_sacrebleu_prints_after_scoring(corpus):
    hyps, refs = corpus
    bleu, chrf, ter = BLEU(), CHRF(word_order=2), TER()
    for metric in (bleu, chrf, ter):
        metric.corpus_score(hyps, [refs])
    sentence = BLEU(effective_order=True)
    sentence.sentence_score(hyps[0], [refs[0]])
    assert score_module.signatures() == {"bleu": str(bleu.get_signature()), "chrf": str(chrf.get_signature()),
                                         "ter": str(ter.get_signature()),
                                         "sentence_bleu": str(sentence.get_signature())}
    assert "nw:2" in score_module.signatures()["chrf"] and "eff:yes" in score_module.signatures()["sentence_bleu"]


# ---------------------------------------------------------------- the scorer

SEGMENTS = [
    Segment("驻京办说，驻京办很忙。", "The Beijing liaison office says it is busy.", 1),
    Segment("两会在北京举行。", "The Two Sessions are held in Beijing.", 2),
    Segment("市政府表示支持。", "The city government expressed support.", 3),
]
TERMS = [[OFFICE], [Term("两会", ("Two Sessions",))], [Term("市政府", ("municipal government",))]]


def test_the_result_holds_corpus_scores_counts_signatures_and_segments():
    refs = [Reference("The liaison office in Beijing said it was busy."), None,
            Reference("The municipal government expressed its support.")]
    result = score_segments(SEGMENTS, TERMS, refs)
    data = result.to_dict()
    assert {"bleu", "chrf", "ter", "term_success_rate", "term_exact_match_accuracy", "counts",
            "signature", "segments"} <= set(data)
    # segment 2 has no reference: out of BLEU, chrF++ and TER
    assert data["bleu"] == BLEU().corpus_score([SEGMENTS[0].target, SEGMENTS[2].target],
                                               [[refs[0].text, refs[2].text]]).score
    assert data["counts"]["with_reference"] == 2 and data["counts"]["without_reference"] == 1
    assert data["segments"][1]["bleu"] is None and data["segments"][0]["bleu"] is not None
    # terms: 驻京办 1 of 2, 两会 1 of 1 (no reference: no filter), 市政府 0 of 1
    assert data["term_success_rate"] == (0.5 + 1 + 0) / 3
    assert data["term_exact_match_accuracy"] == 2 / 4
    assert data["term_scores"]["term_exact_match_accuracy"]["numerator"] == 2
    assert data["term_scores"]["term_success_rate"]["denominator"] == 3
    missed = data["segments"][2]["terms_missed"]
    assert missed == [{"zh": "市政府", "source_count": 1, "found": 0, "expected": ["municipal government"],
                       "renderings": []}]
    assert data["segments"][1]["terms_found"][0]["renderings"] == ["Two Sessions"]
    assert data["signature"]["term_success_rate"].startswith("tsr|method:default")
    assert data["signature"]["bleu"].startswith("nrefs:1|")


def test_without_any_reference_only_the_terms_are_scored():
    result = score_segments(SEGMENTS, TERMS).to_dict()
    assert (result["bleu"], result["chrf"], result["ter"]) == (None, None, None)
    assert result["counts"]["with_reference"] == 0 and result["references"] == "none"
    assert "ref:none" in result["signature"]["term_success_rate"]


def test_the_method_changes_only_the_success_rate():
    wmt25 = score_segments(SEGMENTS, TERMS, method="wmt25")
    assert wmt25.method == "wmt25" and "method:wmt25" in wmt25.signatures["term_success_rate"]
    assert wmt25.term_exact_match_accuracy == score_segments(SEGMENTS, TERMS).term_exact_match_accuracy


def test_tm_references_are_the_best_match_at_the_minimum_with_its_score(tmp_path):
    with TranslationMemory(tmp_path / "tm.db") as memory:
        memory.add([TranslationUnit("驻京办说，驻京办很忙。", "The liaison office in Beijing said it was busy."),
                     TranslationUnit("市政府表示坚决支持。", "The municipal government expressed firm support.")])
        refs = tm_references(memory, [s.source for s in SEGMENTS], minimum=75)
    assert refs[0] == Reference("The liaison office in Beijing said it was busy.", "tm", 100.0, "100", 1)
    assert refs[1] is None
    assert refs[2].origin == "tm" and 75 <= refs[2].score < 100 and refs[2].band == "75-84"
    result = score_segments(SEGMENTS, TERMS, refs, minimum=75)
    assert result.counts["with_reference"] == 2 and result.references == "tm"
    assert result.to_dict()["segments"][2]["reference"]["match"] == refs[2].score


# ---------------------------------------------------------------- HTML

def test_the_html_report_marks_found_and_missed_terms_and_lists_the_expected_english():
    refs = [Reference("The liaison office in Beijing said it was busy."), None, None]
    page = score_html("job.tsv", score_segments(SEGMENTS, TERMS, refs))
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page and "http" not in page
    assert '<mark class=ok title="两会">Two Sessions</mark>' in page
    assert '<mark class=ok title="驻京办">Beijing liaison office</mark>' in page
    assert '<mark class=miss title="municipal government">市政府</mark>' in page
    assert "市政府 → municipal government" in page
    assert '<mark class=miss title="liaison office in Beijing / Beijing liaison office">驻京办</mark>' in page
    assert "nrefs:1|" in page and "Scores of job.tsv" in page


def test_the_html_report_escapes_text():
    segments = [Segment("驻京办<b>", "<script>alert(1)</script> Beijing liaison office", 1)]
    page = score_html("x", score_segments(segments, [[OFFICE]]))
    assert "<script>" not in page and "&lt;script&gt;" in page and "驻京办</mark>&lt;b&gt;" in page


# ---------------------------------------------------------------- the WMT 2023 term set

@pytest.mark.skipif(not TERM_DEV.is_dir(), reason="../shared/data/term-dev is not here")
def test_the_term_dev_reference_scored_against_itself_and_against_an_altered_copy():
    sources = (TERM_DEV / "zhen.zh").read_text(encoding="utf-8").split("\n")
    refs = (TERM_DEV / "zhen.en").read_text(encoding="utf-8").split("\n")
    terms = read_term_lists(TERM_DEV / "zhen.term.proper")
    n = len(terms)
    sources, refs = sources[:n], refs[:n]
    segments = [Segment(s, r, i) for i, (s, r) in enumerate(zip(sources, refs), 1)]
    itself = score_segments(segments, terms, [Reference(r) for r in refs])
    assert itself.bleu.score == pytest.approx(100) and itself.ter.score == 0

    # Segments where each term's English occurs at least as often in the reference as its Chinese
    # in the source (counted independently, by str.count) and no rendering is part of another
    # term's: there the reference succeeds with every term.
    def clean(i):
        renderings = [en.lower() for t in terms[i] for en in t.en]
        return terms[i] and all(
            refs[i].lower().count(t.en[0].lower()) >= sources[i].count(t.zh) >= 1 and len(t.en) == 1
            and not any(t.en[0].lower() in other and t.en[0].lower() != other for other in renderings)
            for t in terms[i])

    chosen = [i for i in range(n) if clean(i)]
    assert len(chosen) > 300
    assert all(itself.segments[i].term_success_rate == 1.0 for i in chosen)
    assert itself.term_success_rate.score > 0.95

    # Every term rendering, in any of its forms, removed from the even segments: those score 0,
    # the odd ones as before.
    def strip_terms(i):
        text = refs[i]
        for term in terms[i]:
            for en in term.en:
                if en.strip():
                    text = rendering_pattern(en).sub("something", text)
        return text

    altered_segments = [Segment(s.source, strip_terms(i) if i % 2 == 0 else s.target, s.line)
                        for i, s in enumerate(segments)]
    worse = score_segments(altered_segments, terms, [Reference(r) for r in refs])
    for i in chosen:
        expected = 0.0 if i % 2 == 0 else 1.0
        assert worse.segments[i].term_success_rate == expected
    assert 0.3 < worse.term_success_rate.score < 0.7
    assert worse.term_exact_match_accuracy.score < itself.term_exact_match_accuracy.score
    assert worse.bleu.score < 100
