"""Terminology metrics (tm.terms): term lists, the success rate (default and wmt25), exact-match accuracy."""
import json
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from glossary.errors import FormatError
from glossary.model import Entry
from glossary.termbase import Glossary
from tm.terms import (ExactMatchAccuracy, Term, TermSuccessRate, glossary_term_lists, max_assignment,
                      parse_term_line, read_term_lists, rendering_pattern)

DEFAULT, WMT25, EXACT = TermSuccessRate(), TermSuccessRate("wmt25"), ExactMatchAccuracy()

CITY = Term("市政府", ("city government",))
GOVERNMENT = Term("政府", ("government",))
OFFICE = Term("驻京办", ("liaison office in Beijing", "Beijing liaison office"))


def score(metric, source, hypothesis, terms, reference=None):
    return metric.sentence_score(source, hypothesis, terms, reference).score


def by_term(metric, source, hypothesis, terms, reference=None):
    return {r.term.zh: (r.expected, r.found) for r in metric.segment(source, hypothesis, terms, reference)}


# ---------------------------------------------------------------- term lists

def test_a_wmt25_line_maps_each_source_term_to_its_renderings():
    assert parse_term_line({"驻京办": ["liaison office", "Beijing office"], "两会": "Two Sessions"}) == [
        Term("驻京办", ("liaison office", "Beijing office")), Term("两会", ("Two Sessions",))]


def test_a_wmt23_line_merges_the_renderings_of_one_source_term():
    line = [{"zh": "八王子", "en": "the Eighth Prince"}, {"zh": "郝仁", "en": "Hao Ren"},
            {"zh": "八王子", "en": "The Eighth Prince"}, {"zh": "八王子", "en": "the Eighth Prince"}]
    assert parse_term_line(line) == [Term("八王子", ("the Eighth Prince", "The Eighth Prince")),
                                     Term("郝仁", ("Hao Ren",))]


@pytest.mark.parametrize("value", [{}, [], None])
def test_empty_values_mean_no_terms(value):
    assert parse_term_line(value) == []


def test_a_terms_file_gives_one_list_per_line_and_blank_lines_are_empty(tmp_path):
    path = tmp_path / "terms.jsonl"
    path.write_text('{"两会": ["Two Sessions"]}\n\n[{"zh": "郝仁", "en": "Hao Ren"}]\n[]\n', encoding="utf-8")
    assert read_term_lists(path) == [[Term("两会", ("Two Sessions",))], [], [Term("郝仁", ("Hao Ren",))], []]


@pytest.mark.parametrize("line, message", [
    ('{"两会": ["Two Sessions"', "not JSON"),
    ('[{"zh": "两会"}]', 'string "zh" and "en"'),
    ('{"两会": [1]}', "list of strings"),
    ('"两会"', "expected"),
])
def test_a_bad_terms_line_is_an_error_naming_file_and_line(tmp_path, line, message):
    path = tmp_path / "terms.jsonl"
    path.write_text('{"两会": ["Two Sessions"]}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(FormatError) as caught:
        read_term_lists(path)
    assert caught.value.line == 2 and str(path) in str(caught.value) and message in str(caught.value)


def test_glossary_terms_are_the_entries_the_scan_finds_per_segment_traditional_included():
    glossary = Glossary([Entry("驻京办", "liaison office in Beijing", en_admitted=["Beijing liaison office"]),
                         Entry("两会", "Two Sessions")])
    lists = glossary_term_lists(glossary, ["两会期间，驻京办很忙。", "没有术语。", "駐京辦和驻京办。"])
    office = Term("驻京办", ("liaison office in Beijing", "Beijing liaison office"))
    assert lists == [[Term("两会", ("Two Sessions",)), office], [], [office]]


def test_glossary_terms_of_two_or_three_characters_must_be_whole_words():
    glossary = Glossary([Entry("市长", "mayor"), Entry("驻京办事处", "liaison office in Beijing")])
    lists = glossary_term_lists(glossary, ["城市长期发展。", "市长来到驻京办事处。", "城市长期规划驻京办事处"])
    assert [[t.zh for t in terms] for terms in lists] == [[], ["市长", "驻京办事处"], ["驻京办事处"]]
    unchecked = glossary_term_lists(glossary, ["城市长期发展。"], words=False)
    assert [t.zh for t in unchecked[0]] == ["市长"]


# ---------------------------------------------------------------- English patterns

@pytest.mark.parametrize("rendering, text, tolerant, found", [
    ("liaison office", "two Liaison Offices", True, True),
    ("liaison office", "two liaison offices", False, False),
    ("policy", "new policies", True, True),
    ("office", "an officer", True, False),
    ("liaison office", "a liaison-office", True, True),
    ("liaison office", "a liaison   office", False, True),
    ("U.S. Congress", "the U.S. Congress", False, True),
    ("U.S. Congress", "the US Congress", True, False),
    ("People's Congress", "the People’s Congress", False, True),
    ("Galaxy Media Co.,", "Galaxy Media Co. said", False, True),
])
def test_renderings_are_found_as_whole_words(rendering, text, tolerant, found):
    assert bool(rendering_pattern(rendering, tolerant).search(text)) is found


def test_a_rendering_without_words_is_matched_literally_and_an_empty_one_never():
    assert rendering_pattern("%").search("5 %") and rendering_pattern("  ") is None


# ---------------------------------------------------------------- term success rate

def test_a_term_rendered_once_for_each_occurrence_scores_one():
    assert score(DEFAULT, "驻京办很忙。", "The liaison office in Beijing is busy.", [OFFICE]) == 1.0


def test_a_repeated_term_rendered_once_scores_half_and_extra_renderings_are_capped():
    source = "驻京办说，驻京办很忙。"
    assert score(DEFAULT, source, "The Beijing liaison office says it is busy.", [OFFICE]) == 0.5
    assert score(WMT25, source, "The Beijing liaison office says it is busy.", [OFFICE]) == 0.5
    three = "The Beijing liaison office, the Beijing liaison office, the Beijing liaison office."
    assert score(DEFAULT, source, three, [OFFICE]) == 1.0


def test_nested_source_terms_count_once_by_default_and_as_they_fall_in_wmt25():
    source = "市政府表示，政府将改革。"  # 政府 twice, once inside 市政府
    hypothesis = "The city government said it would reform."
    assert by_term(DEFAULT, source, hypothesis, [CITY, GOVERNMENT]) == {"市政府": (1, 1), "政府": (1, 0)}
    assert score(DEFAULT, source, hypothesis, [CITY, GOVERNMENT]) == 0.5
    # wmt25: 政府 occurs twice (once in 市政府), "government" once: (1 + 1/2) / 2
    assert by_term(WMT25, source, hypothesis, [CITY, GOVERNMENT]) == {"市政府": (1, 1), "政府": (2, 1)}
    assert score(WMT25, source, hypothesis, [CITY, GOVERNMENT]) == 0.75


def test_a_rendering_inside_a_longer_rendering_is_not_counted_again_by_default():
    source = "市政府表示，政府将改革。"
    hypothesis = "The city government said the government would reform."
    assert by_term(DEFAULT, source, hypothesis, [CITY, GOVERNMENT]) == {"市政府": (1, 1), "政府": (1, 1)}
    council = Term("国务院", ("State Council",))
    office = Term("国务院新闻办公室", ("State Council Information Office",))
    found = by_term(DEFAULT, "国务院新闻办公室和国务院", "The State Council Information Office and the cabinet",
                    [council, office])
    assert found == {"国务院新闻办公室": (1, 1), "国务院": (1, 0)}


def test_plural_forms_satisfy_the_default_method_but_not_wmt25_substrings():
    policy = Term("政策", ("policy",))
    assert score(DEFAULT, "这些政策", "These policies", [policy]) == 1.0
    assert score(WMT25, "这些政策", "These policies", [policy]) == 0.0
    assert score(DEFAULT, "驻京办", "two Beijing liaison offices", [OFFICE]) == 1.0


def test_wmt25_finds_renderings_inside_other_words_the_default_method_does_not():
    office = Term("办公室", ("office",))
    assert score(WMT25, "办公室", "the officer", [office]) == 1.0
    assert score(DEFAULT, "办公室", "the officer", [office]) == 0.0


def test_traditional_and_full_width_sources_match_by_default_only():
    summit = Term("G20峰会", ("G20 summit",))
    assert score(DEFAULT, "駐京辦很忙", "The Beijing liaison office is busy", [OFFICE]) == 1.0
    assert score(DEFAULT, "在Ｇ２０峰會上", "at the G20 Summit", [summit]) == 1.0
    assert DEFAULT.segment("在Ｇ２０峰會上", "at the G20 Summit", [summit])[0].source_spans == [(1, 6)]
    assert WMT25.segment("駐京辦很忙", "The Beijing liaison office is busy", [OFFICE]) == []


def test_wmt25_counts_overlapping_renderings_twice():
    office = Term("驻京办", ("liaison office", "liaison office in Beijing"))
    source = "驻京办说，驻京办很忙。"  # twice
    hypothesis = "The liaison office in Beijing says it is busy."  # once
    assert by_term(WMT25, source, hypothesis, [office]) == {"驻京办": (2, 2)}
    assert by_term(DEFAULT, source, hypothesis, [office]) == {"驻京办": (2, 1)}


def test_given_a_reference_a_term_it_lacks_is_not_scored():
    reference = "The office in the capital is busy."
    (result,) = DEFAULT.segment("驻京办很忙。", "It is busy.", [OFFICE], reference)
    assert result.in_reference is False and not result.scored and result.value is None
    corpus = DEFAULT.corpus_score(["驻京办很忙。", "两会开幕。"], ["It is busy.", "The Two Sessions open."],
                                  [[OFFICE], [Term("两会", ("Two Sessions",))]], [reference, "The Two Sessions open."])
    assert (corpus.score, corpus.numerator, corpus.denominator) == (1.0, 1.0, 1)


def test_nothing_to_score_is_none_not_zero():
    result = DEFAULT.corpus_score(["没有术语。"], ["No terms."], [[OFFICE]])
    assert result.score is None and result.denominator == 0


def test_the_score_is_the_mean_over_segment_term_pairs_not_over_segments():
    sources = ["驻京办和市政府", "驻京办"]
    hypotheses = ["the Beijing liaison office and the city government", "nothing"]
    result = DEFAULT.corpus_score(sources, hypotheses, [[OFFICE, CITY], [OFFICE]])
    assert (result.numerator, result.denominator, result.score) == (2.0, 3, 2 / 3)


def test_signatures_name_the_method_and_whether_references_filtered():
    assert DEFAULT.get_signature(True).startswith("tsr|method:default|")
    assert "|ref:filter|" in DEFAULT.get_signature(True) and "|ref:none|" in WMT25.get_signature(False)
    assert "method:wmt25" in WMT25.get_signature(False) and "version:" in EXACT.get_signature(False)


def test_an_unknown_method_is_refused():
    with pytest.raises(ValueError, match="unknown method"):
        TermSuccessRate("wmt21")


# ---------------------------------------------------------------- wmt25 against its published formula

def official_wmt25(srcs, hyps, refs, term_dicts):
    """A transcription of get_term_success_rate and its loop in ranking/metric_track2/evaluate_track2.py
    (github.com/wmt-conference/wmt25-terminology), for a file of JSON dicts."""
    def get_term_success_rate(src_str, hyp_str, src_term, trg_terms, lowercase):
        trg_terms = [t.strip() for t in trg_terms]
        if lowercase:
            src_str, hyp_str, src_term = src_str.lower(), hyp_str.lower(), src_term.lower()
            trg_terms = [t.strip().lower() for t in trg_terms]
        input_term_count = src_str.count(src_term)
        output_terms_count = sum(hyp_str.count(t) for t in trg_terms)
        return min(1.0 * output_terms_count / input_term_count, 1.0)

    srcs, hyps, refs = [s.strip() for s in srcs], [h.strip() for h in hyps], [r.strip() for r in refs]
    valid, aggregated = 0.0, 0.0
    for src, hyp, ref, term_dict in zip(srcs, hyps, refs, term_dicts):
        for src_term, trg_terms in term_dict.items():
            src_term = src_term.strip()
            if src_term and src_term.lower() in src.lower() and any(t.lower() in ref.lower() for t in trg_terms):
                valid += 1
                aggregated += get_term_success_rate(src, hyp, src_term, trg_terms, lowercase=True)
    return aggregated / valid if valid > 0 else -1.0


WMT25_FILE = [
    # source, hypothesis, reference, terms (the WMT 2025 dict format)
    ("市政府表示，政府将改革。", "The City Government said it would reform.", "The city government said the government would reform.",
     {"市政府": ["city government"], "政府": ["government"]}),
    ("驻京办说，驻京办很忙。 ", "  The liaison office in Beijing says it is busy.", "The liaison office says the office is busy.",
     {"驻京办": ["liaison office", "liaison office in Beijing"], "办": ["office"]}),
    ("G20峰会在杭州举行", "The g20 summit was held in Hangzhou", "The G20 Summit was held in Hangzhou",
     {"G20峰会": ["G20 Summit"], "杭州": ["Hangzhou "], "": ["nothing"]}),
    ("这些政策", "These policies", "These policies and this policy", {"政策": ["policy"]}),
    ("没有", "None", "None", {"两会": ["Two Sessions"]}),
    ("两会和两会", "the Two Sessions", "the two sessions", {"两会": ["Two Sessions", "NPC and CPPCC sessions"]}),
]


def test_wmt25_reproduces_the_official_scorer_on_a_small_file(tmp_path):
    path = tmp_path / "terms.jsonl"
    path.write_text("".join(json.dumps(terms, ensure_ascii=False) + "\n" for *_, terms in WMT25_FILE),
                    encoding="utf-8")
    srcs, hyps, refs, dicts = map(list, zip(*WMT25_FILE))
    ours = WMT25.corpus_score(srcs, hyps, read_term_lists(path), refs)
    assert ours.score == official_wmt25(srcs, hyps, refs, dicts)
    assert ours.denominator == 7  # 政府, 市政府, 驻京办, 办, G20峰会, 政策, 两会 (杭州's "Hangzhou " is not in the reference)


# ---------------------------------------------------------------- exact-match accuracy

def test_exact_match_counts_each_occurrence_and_takes_no_plurals():
    source = "驻京办说，驻京办很忙。"
    assert by_term(EXACT, source, "The Beijing Liaison Office says the office is busy.", [OFFICE]) == {"驻京办": (2, 1)}
    assert by_term(EXACT, source, "Two Beijing liaison offices are busy.", [OFFICE]) == {"驻京办": (2, 0)}
    assert score(EXACT, source, "The Beijing liaison office and the liaison office in Beijing", [OFFICE]) == 1.0


def test_one_stretch_of_the_hypothesis_serves_one_occurrence():
    same = [Term("驻京办", ("liaison office",)), Term("办事处", ("liaison office",))]
    assert score(EXACT, "驻京办和办事处", "the liaison office", same) == 0.5
    assert score(DEFAULT, "驻京办和办事处", "the liaison office", same) == 1.0  # each term on its own


def test_the_assignment_is_the_largest_not_the_first_come():
    # Taken term by term, the first free position would give "liaison office" to 驻京办
    # and leave 办事处 nothing; the best assignment matches both.
    terms = [Term("驻京办", ("liaison office", "Beijing office")), Term("办事处", ("liaison office",))]
    result = EXACT.segment("驻京办和办事处", "the liaison office and the Beijing office", terms)
    assert [(r.term.zh, r.found, r.target_spans) for r in result] == [
        ("驻京办", 1, [(27, 41)]), ("办事处", 1, [(4, 18)])]


def test_stretches_used_do_not_overlap():
    terms = [Term("国务院", ("State Council",)), Term("新闻办", ("State Council Information Office",))]
    assert score(EXACT, "国务院和新闻办", "the State Council Information Office", terms) == 0.5


def test_max_assignment_respects_capacities_and_overlaps():
    spans = {(0, 5): {1, 2}, (3, 8): {2}, (10, 12): {1}, (20, 25): {2}}
    chosen = max_assignment(spans, {1: 1, 2: 2})
    assert len(chosen) == 3
    used = sorted(span for span, _ in chosen)
    assert all(a[1] <= b[0] for a, b in zip(used, used[1:]))
    assert sum(1 for _, item in chosen if item == 1) <= 1


def brute_force(spans, capacity):
    """The largest feasible assignment by trying every choice for every span."""
    order = sorted(spans)

    def search(k, used, taken):
        if k == len(order):
            return 0
        best = search(k + 1, used, taken)
        start, end = order[k]
        if all(end <= s or e <= start for s, e in taken):
            for item in spans[order[k]]:
                if used.get(item, 0) < capacity.get(item, 0):
                    best = max(best, 1 + search(k + 1, {**used, item: used.get(item, 0) + 1}, taken + [order[k]]))
        return best

    return search(0, {}, [])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.tuples(st.integers(0, 12), st.integers(1, 4)).map(lambda p: (p[0], p[0] + p[1])),
                       st.sets(st.integers(0, 3), min_size=1, max_size=3), max_size=8),
       st.dictionaries(st.integers(0, 3), st.integers(0, 3)))
def test_max_assignment_is_as_large_as_brute_force_and_feasible(spans, capacity):
    chosen = max_assignment(spans, capacity)
    assert len(chosen) == brute_force(spans, capacity)
    used = sorted(span for span, _ in chosen)
    assert all(a[1] <= b[0] for a, b in zip(used, used[1:]))
    assert all(item in spans[span] for span, item in chosen)
    for item in {item for _, item in chosen}:
        assert sum(1 for _, i in chosen if i == item) <= capacity[item]


TERM_DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "term-dev"


@pytest.mark.skipif(not TERM_DEV.is_dir(), reason="../shared/data/term-dev is not here")
def test_wmt25_reproduces_the_official_scorer_on_the_wmt23_term_set():
    sources = (TERM_DEV / "zhen.zh").read_text(encoding="utf-8").split("\n")
    refs = (TERM_DEV / "zhen.en").read_text(encoding="utf-8").split("\n")
    lists = read_term_lists(TERM_DEV / "zhen.term.random")
    sources, refs = sources[:len(lists)], refs[:len(lists)]
    hyps = [r.replace("the ", "") for r in refs]  # a hypothesis that misses some renderings
    dicts = [{t.zh: list(t.en) for t in terms} for terms in lists]  # the WMT 2025 format of the same lists
    ours = WMT25.corpus_score(sources, hyps, lists, refs)
    assert ours.score == official_wmt25(sources, hyps, refs, dicts)
    assert 0.5 < ours.score < 1 and ours.denominator > 1000
