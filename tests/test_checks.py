"""The `tm check` checks, one by one: what each reports, and what it deliberately leaves alone."""
from __future__ import annotations

import pytest

from glossary.model import Entry
from glossary.termbase import Glossary
from tm.bilingual import Segment
from tm.checks import SEVERITIES, CheckContext, registry, run_checks, select

MINE = ("term-mismatch", "forbidden-term", "inconsistent-target", "inconsistent-source", "untranslated",
        "punctuation")

GLOSSARY = Glossary([
    Entry("驻京办事处", "liaison office in Beijing", zh_variants=["驻京办"],
          en_admitted=["Beijing liaison office"], type="organisation"),
    Entry("办事处", "office", en_admitted=["representative office", "liaison office"], type="organisation"),
    Entry("两会", "Two Sessions", type="meeting"),
    Entry("中央政府", "central government", type="organisation"),
    Entry("地方政府", "local government", en_admitted=["local authorities"], type="organisation"),
    Entry("陕西省", "Shaanxi Province", en_admitted=["Shaanxi"], en_forbidden=["Shanxi Province"], type="place"),
    Entry("山西省", "Shanxi Province", en_admitted=["Shanxi"], type="place"),
    Entry("中国共产党", "Communist Party of China", en_admitted=["CPC"],
          en_deprecated=["Chinese Communist Party", "CCP"], type="organisation"),
    Entry("国务院总理", "Premier of the State Council", en_admitted=["Premier"],
          en_deprecated=["Prime Minister"], type="title"),
    Entry("首都", "capital", en_forbidden=["capitol"], type="place"),
    Entry("招商引资", "attracting investment", en_admitted=["investment promotion"], type="policy"),
    Entry("组织部", "organization department", type="organisation"),
    Entry("中共中央组织部", "Organization Department of the CPC Central Committee", type="organisation"),
    Entry("部长", "minister", en_admitted=["head (of a Party department)"], type="title"),
    Entry("市长", "mayor", type="title"),
    Entry("宣传部", "publicity department", en_deprecated=["propaganda department"], type="organisation"),
    Entry("中共中央宣传部", "Publicity Department of the CPC Central Committee",
          en_deprecated=["Central Propaganda Department"], type="organisation"),
    Entry("人民代表大会", "people's congress", type="meeting"),
])


def check(ids, *pairs, glossary=GLOSSARY):
    """Findings of the checks ``ids`` (one id or a list) over (source, target) pairs."""
    segments = [Segment(source, target, number) for number, (source, target) in enumerate(pairs, 1)]
    ids = [ids] if isinstance(ids, str) else list(ids)
    return run_checks(segments, select(only=ids), CheckContext(glossary=glossary))


def texts(finding, side):
    return [span.text for span in finding.spans if span.side == side]


# ---------------------------------------------------------------- the registry

def test_each_check_is_registered_with_a_severity_and_a_description():
    known = registry()
    for name in MINE:
        assert known[name].id == name
        assert known[name].severity in SEVERITIES and known[name].description


def test_select_refuses_an_unknown_check_naming_the_known_ones():
    with pytest.raises(ValueError, match="unknown check 'spelling'.*untranslated"):
        select(only=["spelling"])
    assert [c.id for c in select(only=["punctuation", "untranslated"])] == ["untranslated", "punctuation"]
    assert "punctuation" not in [c.id for c in select(skip=["punctuation"])]


def test_findings_come_sorted_by_segment_with_spans_that_index_the_text():
    findings = check(MINE, ("首都", "The capitol"), ("两会", ""), ("全面深化改革", "Deepen reform，now"))
    assert [f.segment for f in findings] == sorted(f.segment for f in findings)
    segments = {1: ("首都", "The capitol"), 2: ("两会", ""), 3: ("全面深化改革", "Deepen reform，now")}
    for finding in findings:
        for span in finding.spans:
            source, target = segments[finding.segment]
            assert (source if span.side == "source" else target)[span.start:span.end] == span.text


# ---------------------------------------------------------------- term-mismatch

def test_term_rendered_in_any_accepted_form_plural_or_case_is_fine():
    assert check("term-mismatch",
                 ("驻京办事处很忙。", "Beijing Liaison Offices are busy."),
                 ("驻京办很忙。", "The liaison office in Beijing is busy.")) == []


def test_term_without_an_accepted_rendering_is_reported_with_its_source_spans_and_the_expected_english():
    (finding,) = check("term-mismatch", ("两会在北京召开，两会很重要。", "The annual meetings opened in Beijing."))
    assert finding.check == "term-mismatch" and finding.severity == "warning" and finding.segment == 1
    assert texts(finding, "source") == ["两会", "两会"]
    assert [(s.start, s.end) for s in finding.spans] == [(0, 2), (8, 10)]
    assert finding.data["expected"] == ["Two Sessions"] and finding.data["occurrences"] == 2
    assert "'Two Sessions'" in finding.message


def test_traditional_and_full_width_sources_are_matched_and_spanned_as_written():
    (finding,) = check("term-mismatch", ("兩會於北京召開", "The meetings opened in Beijing."))
    assert texts(finding, "source") == ["兩會"] and finding.data["term"] == "两会"
    assert check("term-mismatch", ("兩會於北京召開", "The Two Sessions opened in Beijing.")) == []


def test_a_term_twice_in_the_source_and_rendered_once_is_not_a_shortfall():
    assert check("term-mismatch", ("两会开幕。两会期间，代表发言。", "The Two Sessions opened; deputies spoke.")) == []


def test_nested_terms_count_once_leftmost_longest():
    # 办事处 inside 驻京办事处 is not a term of its own: "office" is not asked for twice.
    assert check("term-mismatch", ("驻京办事处", "Beijing liaison office")) == []
    (finding,) = check("term-mismatch", ("驻京办事处", "the office"))
    assert finding.data["term"] == "驻京办事处"


def test_a_short_term_is_covered_by_the_rendering_of_a_longer_one_in_the_target():
    assert check("term-mismatch", ("中共中央组织部表示，组织部将加强培训。",
                                   "The Organization Department of the CPC Central Committee said "
                                   "it would step up training.")) == []


def test_coordinated_renderings_share_their_head_noun():
    assert check("term-mismatch", ("中央政府和地方政府", "central and local governments")) == []


def test_terms_are_whole_words_in_the_source():
    assert check("term-mismatch", ("城市长期发展", "Long-term urban development")) == []


def test_a_note_in_brackets_in_a_glossary_rendering_is_not_looked_for():
    assert check("term-mismatch", ("部长", "the head of the department")) == []


def test_a_leading_article_in_a_glossary_rendering_is_not_looked_for():
    glossary = Glossary([Entry("中华人民共和国宪法", "Constitution of the People's Republic of China",
                               zh_variants=["宪法"], en_admitted=["the Constitution"], type="document")])
    assert check("term-mismatch", ("我国宪法第一条", "Article 1 of our Constitution"), glossary=glossary) == []
    (finding,) = check("term-mismatch", ("我国宪法第一条", "Article 1 of our basic law"), glossary=glossary)
    assert finding.data["expected"] == ["Constitution of the People's Republic of China", "the Constitution"]


def test_paraphrasable_terms_are_only_info():
    (finding,) = check("term-mismatch", ("招商引资", "bringing in capital"))
    assert finding.severity == "info"


def test_a_deprecated_rendering_is_left_to_forbidden_term_when_that_check_runs():
    pair = ("中国共产党", "the Chinese Communist Party")
    assert [f.check for f in check(["term-mismatch", "forbidden-term"], pair)] == ["forbidden-term"]
    (alone,) = check("term-mismatch", pair)
    assert alone.data["found"] == ["Chinese Communist Party"]


def test_term_mismatch_leaves_empty_and_copied_targets_to_untranslated():
    assert check("term-mismatch", ("两会", ""), ("两会", "两会")) == []


# ---------------------------------------------------------------- forbidden-term

def test_forbidden_rendering_of_a_term_in_the_source_is_an_error_marking_both_sides():
    (finding,) = check("forbidden-term", ("陕西省经济", "the economy of Shanxi Province"))
    assert finding.severity == "error"
    assert texts(finding, "target") == ["Shanxi Province"] and texts(finding, "source") == ["陕西省"]
    assert finding.data["in_source"] is True and "'Shaanxi Province'" in finding.message


def test_deprecated_rendering_of_a_term_in_the_source_is_a_warning_plural_and_case_tolerant():
    (finding,) = check("forbidden-term", ("中国共产党", "Members of the chinese communist parties"))
    assert finding.severity == "warning" and texts(finding, "target") == ["chinese communist parties"]


def test_wording_accepted_for_another_term_of_the_source_is_not_reported():
    assert check("forbidden-term", ("陕西省和山西省", "Shaanxi Province and Shanxi Province")) == []


def test_a_rendering_forbidden_for_one_term_and_right_for_another_is_fine_without_its_term():
    assert check("forbidden-term", ("山西省", "Shanxi Province")) == []


def test_forbidden_wording_without_its_term_in_the_source_is_only_info():
    (finding,) = check("forbidden-term", ("国会山", "Capitol Hill"))
    assert finding.severity == "info" and finding.data["in_source"] is False
    assert texts(finding, "target") == ["Capitol"]


def test_deprecated_wording_without_its_term_in_the_source_is_not_reported():
    assert check("forbidden-term", ("英国首相", "the British Prime Minister")) == []


def test_deprecated_wording_beside_the_approved_rendering_of_its_term_is_only_info():
    (finding,) = check("forbidden-term", ("国务院总理会见英国首相。", "The Premier met the British Prime Minister."))
    assert finding.severity == "info" and "something else" in finding.message


def test_a_misuse_inside_a_longer_one_is_reported_once():
    findings = check("forbidden-term", ("中共中央宣传部和省委宣传部",
                                        "the Central Propaganda Department and the provincial propaganda department"))
    assert [texts(f, "target") for f in findings] == [["Central Propaganda Department"], ["propaganda department"]]
    assert findings[1].spans[0].start > findings[0].spans[0].end


# ---------------------------------------------------------------- inconsistent-target / -source

def test_one_source_translated_two_ways_is_one_finding_listing_the_variants():
    findings = check("inconsistent-target",
                     ("两会在北京召开。", "The Two Sessions opened in Beijing."),
                     ("全面深化改革", "Deepen reform"),
                     ("兩會在北京召開", "The Two Sessions were held in Beijing."),
                     ("两会 在北京召开！", "The Two Sessions opened in Beijing."))
    (finding,) = findings
    assert finding.segment == 1 and finding.related == [3, 4] and finding.severity == "warning"
    assert finding.data["variants"] == [
        {"text": "The Two Sessions opened in Beijing.", "segments": [1, 4], "lines": [1, 4]},
        {"text": "The Two Sessions were held in Beijing.", "segments": [3], "lines": [3]}]


def test_case_space_quote_and_final_punctuation_differences_are_the_same_translation():
    assert check("inconsistent-target",
                 ("他说“改革”很重要。", "He said “reform” matters."),
                 ("他说“改革”很重要。", 'he said  "reform" matters'),
                 ("他说“改革”很重要。", "He said \u201creform\u201d matters!")) == []


def test_short_segments_and_untranslated_ones_do_not_count():
    assert check("inconsistent-target", ("2023", "2023"), ("2023", "in 2023"), ("两会", "Two Sessions"),
                 ("两会", "the NPC and CPPCC sessions"), ("全面深化改革", ""),
                 ("全面深化改革", "Deepen reform")) == []


def test_one_translation_for_different_sources_is_info():
    (finding,) = check("inconsistent-source",
                       ("会议在北京举行。", "The meeting was held in Beijing."),
                       ("會議在北京舉行", "the meeting was held in Beijing"),
                       ("会议在京举行。", "The meeting was held in Beijing."))
    assert finding.severity == "info" and finding.segment == 1 and finding.related == [2, 3]
    assert [v["segments"] for v in finding.data["variants"]] == [[1, 2], [3]]


def test_short_translations_may_stand_for_different_sources():
    assert check("inconsistent-source", ("是的。", "Yes."), ("对。", "Yes.")) == []


# ---------------------------------------------------------------- untranslated

def test_empty_target_is_an_error():
    (finding,) = check("untranslated", ("全面深化改革", "  "))
    assert finding.severity == "error" and finding.data["reason"] == "empty"


def test_copied_chinese_is_an_error_but_a_copied_number_or_acronym_is_fine():
    (finding,) = check("untranslated", ("全面深化改革", "全面深化改革"), ("2023", "2023"), ("GDP", "GDP"))
    assert finding.segment == 1 and finding.data["reason"] == "copy"


def test_chinese_left_in_the_english_is_an_error_with_a_span_per_run():
    (finding,) = check("untranslated", ("全面深化改革，推进现代化", "Deepen 改革 and advance 现代 化."))
    assert finding.severity == "error" and texts(finding, "target") == ["改革", "现代 化"]


def test_chinese_glossed_in_brackets_or_quotes_is_info():
    (finding,) = check("untranslated", ("梁家河", "Liangjiahe (梁家河) village, the “xiaokang” (小康) goal"))
    assert finding.severity == "info" and texts(finding, "target") == ["梁家河", "小康"]


def test_an_empty_source_is_nothing_to_translate():
    assert check("untranslated", ("", "A note"), ("", "")) == []


# ---------------------------------------------------------------- punctuation

def test_full_width_punctuation_in_the_english_is_a_warning_with_the_replacement():
    (finding,) = check("punctuation", ("改革，开放", "Reform，opening up：a policy。"))
    assert finding.severity == "warning" and texts(finding, "target") == ["，", "：", "。"]
    assert finding.data["replacements"] == {"，": ",", "：": ":", "。": "."}


def test_full_width_punctuation_around_chinese_left_in_the_target_is_left_to_untranslated():
    assert check("punctuation", ("梁家河", "Liangjiahe（梁家河）village")) == []


def test_curly_quotes_and_balanced_brackets_are_english_typography():
    assert check("punctuation", ("他说", "He said: “We will (again) [sic] open up.” It’s {1} done.")) == []


def test_unpaired_brackets_and_quotes_are_reported_each_with_a_span():
    (finding,) = check("punctuation", ("改革", "Reform (of the system and “opening up"))
    assert texts(finding, "target") == ["(", "“"] and finding.severity == "warning"
    (straight,) = check("punctuation", ("改革", 'He said "reform and "opening up" matter'))
    assert texts(straight, "target") == ['"']


def test_quotes_running_over_segments_as_in_the_source_and_enumerations_are_fine():
    assert check("punctuation", ("他说：“我们将继续改革。", "He said: “We will carry on reforming.")) == []
    assert check("punctuation", ("一是改革", "1) reform, a) opening up")) == []


def test_doubled_spaces_are_info():
    (finding,) = check("punctuation", ("改革开放", "Reform  and opening   up"))
    assert finding.severity == "info" and [s.text for s in finding.spans] == ["  ", "   "]


def test_a_missing_space_after_punctuation_is_the_same_translation():
    assert check("inconsistent-target", ("一、构建更加紧密的共同体", "I.Building a Closer Community"),
                 ("一、构建更加紧密的共同体", "I. Building a Closer Community")) == []


def test_an_accepted_rendering_may_touch_a_number():
    glossary = Glossary([Entry("人民币", "renminbi", en_admitted=["RMB"], type="concept")])
    assert check("term-mismatch", ("2702亿元人民币", "RMB270 billion"), glossary=glossary) == []
    assert len(check("term-mismatch", ("2702亿元人民币", "RMBX270 billion"), glossary=glossary)) == 1


def test_checks_in_two_processes_find_exactly_what_one_process_finds(monkeypatch):
    import tm.checks as checks_module

    monkeypatch.setattr(checks_module, "PARALLEL_MINIMUM", 10)
    segments = [
        Segment("投资681億元建设驻京办。", "An investment of 681 billion yuan in the liaison office in Beijing."),
        Segment("两会在北京召开。", "The Two Sessions opened in Beijing."),
        Segment("两会在北京召开。", "The two meetings opened in Beijing."),
        Segment("他在駐京辦工作。", ""),
        Segment("国务院总理出席会议。", "The Premier of the State Council attended the meeting，"),
    ] * 5
    serial = run_checks(segments, context=CheckContext())
    parallel = run_checks(segments, context=CheckContext(), jobs=2)
    assert [f.to_dict() for f in parallel] == [f.to_dict() for f in serial]
    assert {f.check for f in serial} >= {"number-mismatch", "untranslated", "inconsistent-target", "punctuation"}


def test_a_target_of_inline_codes_alone_is_untranslated():
    (found,) = run_checks([Segment("国务院{1}", "{1}")], select(only=["untranslated"]))
    assert found.data["reason"] == "empty"
    assert run_checks([Segment("{1}", "{1}")], select(only=["untranslated"])) == []


def test_a_quotation_opened_in_one_segment_and_closed_in_a_later_one_is_a_pair():
    # The Chinese drops the quotes; the English quotation runs over three segments.
    assert check("punctuation", ("我从来没有对他好奇过。", '"I\'ve never been curious about him.'),
                 ("他没有说过一句话。", "He never said a word."),
                 ("是他把我养大的。", 'He raised me."')) == []
    # A quote left open that nothing closes is still reported, and so is a closer with no opener.
    (opened,) = check("punctuation", ("我从来没有对他好奇过。", '"I\'ve never been curious about him.'),
                      ("他没有说过一句话。", "He never said a word."))
    assert opened.segment == 1 and opened.spans[0].text == '"'
    (closed,) = check("punctuation", ("是他把我养大的。", 'He raised me."'))
    assert closed.spans[0].text == '"'
