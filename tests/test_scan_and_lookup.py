"""Finding terms in running text and looking them up, as a translator would."""
import pytest

from glossary.model import Entry, Status
from glossary.normalize import match_key, to_simplified_aligned
from glossary.termbase import Glossary


@pytest.fixture(scope="module")
def glossary():
    return Glossary([
        Entry("中共中央组织部", "Organization Department of the CPC Central Committee",
              zh_variants=["中组部"], en_admitted=["CPC Organization Department"],
              pinyin="Zhōnggòng Zhōngyāng Zǔzhībù", type="organisation"),
        Entry("驻京办事处", "liaison office in Beijing", zh_variants=["驻京办"],
              en_admitted=["Beijing liaison office"], en_deprecated=["Beijing office"],
              en_forbidden=["embassy in Beijing"], pinyin="zhùjīng bànshìchù", type="organisation"),
        Entry("两会", "Two Sessions", pinyin="Liǎnghuì", type="meeting"),
        Entry("一国两制", "one country, two systems", pinyin="yī guó liǎng zhì", type="policy"),
        Entry("坚持一国两制", "upholding one country, two systems", type="policy"),
        Entry("地级市", "prefecture-level city", pinyin="dìjíshì", type="place"),
        Entry("国内生产总值", "gross domestic product", zh_variants=["GDP"], type="concept"),
        Entry("政策", "policy", type="concept"),
    ])


def spans(found):
    return [(o.start, o.end, o.text, o.entry.zh) for o in found]


# ---------------------------------------------------------------- scan

def test_scan_finds_every_term_with_offsets_into_the_text(glossary):
    text = "湖南一个地级市的驻京办很忙。"
    assert spans(glossary.scan(text)) == [(4, 7, "地级市", "地级市"), (8, 11, "驻京办", "驻京办事处")]


def test_scan_is_leftmost_longest_and_does_not_count_nested_terms_twice(glossary):
    found = glossary.scan("坚持一国两制，一国两制。")
    assert spans(found) == [(0, 6, "坚持一国两制", "坚持一国两制"), (7, 11, "一国两制", "一国两制")]


def test_traditional_text_is_matched_against_simplified_entries_offsets_in_the_original(glossary):
    text = "他曾在湖南某地級市駐京辦工作，也去過中組部。"
    found = glossary.scan(text)
    assert spans(found) == [
        (6, 9, "地級市", "地级市"), (9, 12, "駐京辦", "驻京办事处"), (18, 21, "中組部", "中共中央组织部")]
    for occurrence in found:
        assert text[occurrence.start:occurrence.end] == occurrence.text


def test_a_traditional_headword_is_stored_under_its_simplified_form_and_matches_both():
    glossary = Glossary([Entry("國務院", "State Council")])
    entry = glossary.get("国务院")
    assert (entry.zh, entry.zh_traditional) == ("国务院", "國務院")
    assert spans(glossary.scan("国务院常务会议")) == [(0, 3, "国务院", "国务院")]
    assert spans(glossary.scan("國務院常務會議")) == [(0, 3, "國務院", "国务院")]


def test_full_width_latin_matches_and_latin_terms_need_word_boundaries(glossary):
    found = glossary.scan("ＧＤＰ增长，GDPR不算，gdp算。")
    assert [(o.text, o.entry.zh) for o in found] == [("ＧＤＰ", "国内生产总值"), ("gdp", "国内生产总值")]


def test_the_status_of_the_matched_chinese_form_is_reported(glossary):
    statuses = [(o.text, o.status) for o in glossary.scan("中组部和中共中央组织部")]
    assert statuses == [("中组部", Status.ADMITTED), ("中共中央组织部", Status.PREFERRED)]


def test_scan_json_has_the_fields_scripts_rely_on(glossary):
    (occurrence,) = glossary.scan("两会")
    assert occurrence.to_dict(glossary) == {
        "start": 0, "end": 2, "text": "两会", "zh": "两会", "en": "Two Sessions", "alternatives": [],
        "pinyin": "Liǎnghuì", "status": "preferred", "form": "两会", "type": "meeting"}


def test_match_keys_keep_length_whatever_the_script():
    text = "中華人民共和國國務院ＧＤＰ　乾隆，後來頭髮"
    assert len(match_key(text)) == len(text)
    assert len(to_simplified_aligned(text)) == len(text)


# ---------------------------------------------------------------- lookup

def lookup(glossary, query):
    return [(hit.entry.zh, hit.match, hit.language, str(hit.status)) for hit in glossary.lookup(query)]


def test_lookup_by_chinese_exact_then_prefix_then_contained(glossary):
    assert lookup(glossary, "一国两制") == [
        ("一国两制", "exact", "zh", "preferred"), ("坚持一国两制", "contained", "zh", "preferred")]
    assert lookup(glossary, "驻京")[0] == ("驻京办事处", "prefix", "zh", "admitted")


def test_lookup_by_traditional_chinese(glossary):
    assert lookup(glossary, "駐京辦")[0] == ("驻京办事处", "exact", "zh", "admitted")


def test_lookup_of_a_longer_phrase_finds_the_terms_inside_it(glossary):
    assert lookup(glossary, "两会期间的驻京办") == [
        ("两会", "in-query", "zh", "preferred"), ("驻京办事处", "in-query", "zh", "admitted")]


@pytest.mark.parametrize("query", ["liaison offices", "Liaison Office", "LIAISON OFFICE IN BEIJING"])
def test_lookup_by_english_is_case_insensitive_and_plural_tolerant(glossary, query):
    assert lookup(glossary, query)[0][0] == "驻京办事处"


def test_lookup_by_english_respects_word_boundaries(glossary):
    assert lookup(glossary, "office") and not lookup(glossary, "offic")
    assert not any(zh == "政策" for zh, *_ in lookup(glossary, "police"))


def test_lookup_of_a_forbidden_rendering_says_so(glossary):
    assert lookup(glossary, "embassy in Beijing") == [("驻京办事处", "exact", "en", "forbidden")]


@pytest.mark.parametrize("query", ["lianghui", "liang3hui4", "Liǎnghuì", "liang hui"])
def test_lookup_by_pinyin_with_or_without_tones(glossary, query):
    assert lookup(glossary, query)[0] == ("两会", "exact", "pinyin", "preferred")


def test_tones_given_must_agree(glossary):
    assert not any(hit[0] == "两会" for hit in lookup(glossary, "liang1hui1"))


def test_lookup_json_entries_carry_zh_en_alternatives_pinyin_status(glossary):
    (hit, *_) = glossary.lookup("中组部")
    data = hit.to_dict(glossary)
    assert data["zh"] == "中共中央组织部"
    assert data["en"] == "Organization Department of the CPC Central Committee"
    assert data["alternatives"] == ["CPC Organization Department"]
    assert data["pinyin"] == "Zhōnggòng Zhōngyāng Zǔzhībù"
    assert data["status"] == "admitted" and data["matched"] == "中组部"
    assert data["zh_traditional"] == "中共中央組織部"


def test_a_user_entry_wins_for_what_it_gives_and_keeps_the_rest(glossary):
    mine = Glossary(glossary)
    mine.add(Entry("驻京办事处", "Beijing representative office"))
    entry = mine.get("驻京办事处")
    assert (entry.en, entry.en_admitted) == ("Beijing representative office", [])
    assert entry.zh_variants == ["驻京办"] and entry.pinyin == "zhùjīng bànshìchù"
    assert [o.entry.en for o in mine.scan("驻京办很忙")] == ["Beijing representative office"]


def test_a_user_entry_in_traditional_overrides_the_simplified_one(glossary):
    mine = Glossary(glossary)
    mine.add(Entry("兩會", "NPC and CPPCC sessions"))
    assert [o.entry.en for o in mine.scan("两会")] == ["NPC and CPPCC sessions"]


def test_word_boundaries_keep_short_terms_from_matching_across_words():
    glossary = Glossary([Entry("市长", "mayor"), Entry("行长", "president"), Entry("城市", "city"),
                         Entry("中国人民银行", "People's Bank of China")])
    assert [o.text for o in glossary.scan("城市长期规划", words=True)] == ["城市"]
    assert [o.text for o in glossary.scan("中国人民银行行长说，市长同意。", words=True)] == [
        "中国人民银行", "行长", "市长"]
    assert [o.text for o in glossary.scan("银行长期贷款")] == ["行长"]  # without the check


def test_a_term_at_the_start_of_a_compound_jieba_keeps_whole_is_found():
    # jieba cuts 陕西省政府 as one word; it is 陕西省 + 政府, both words of its dictionary.
    glossary = Glossary([Entry("陕西省", "Shaanxi Province"), Entry("省长", "governor")])
    assert [o.text for o in glossary.scan("陕西省政府今天宣布", words=True)] == ["陕西省"]


def test_scan_reports_the_pinyin_of_the_form_found(glossary):
    (found,) = glossary.scan("驻京办")
    assert found.to_dict(glossary)["pinyin"] != glossary.get("驻京办事处").pinyin


def test_an_apostrophe_in_a_pinyin_query_must_match_one_in_the_term():
    glossary = Glossary([Entry("西安", "Xi'an", pinyin="Xī'ān"), Entry("县", "county", pinyin="xiàn")])
    assert {h.entry.zh for h in glossary.lookup("xian")} == {"西安", "县"}
    assert [h.entry.zh for h in glossary.lookup("xi'an")] == ["西安"]


def test_one_character_terms_are_not_scanned_by_default_but_can_be_looked_up():
    glossary = Glossary([Entry("省", "province"), Entry("省长", "governor")])
    assert spans(glossary.scan("节省开支，省长说。")) == [(5, 7, "省长", "省长")]
    assert spans(glossary.scan("节省开支", min_length=1)) == [(1, 2, "省", "省")]
    assert glossary.lookup("省")[0].entry.en == "province"
