"""Fuzzy matching: scores and bands as translators know them, and retrieval that never misses.

The retrieval tests run against both stores, SQLite and PostgreSQL (see conftest.py).
"""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tm.fuzzy import band, brute_force, differing_numbers, marked, max_distance, score, segment_key
from tm.store import open_memory
from tm.unit import TranslationUnit


# ---------------------------------------------------------------- score and bands

def test_score_is_one_minus_distance_over_the_longer_length_in_percent():
    assert score("国务院常务会议", "国务院常务会议") == 100
    assert score("国务院常务会议", "国务院全体会议") == pytest.approx(100 * (1 - 2 / 7))
    assert score("两会", "两会期间") == 50


@pytest.mark.parametrize("longer, minimum, expected", [(10, 75, 2), (4, 75, 1), (3, 75, 0), (10, 50, 5),
                                                       (7, 71.5, 1), (100, 99.5, 0), (200, 99.5, 1)])
def test_max_distance_is_exact_at_the_threshold(longer, minimum, expected):
    assert max_distance(longer, minimum) == expected


def test_keys_ignore_script_width_spacing_and_inline_placeholders():
    assert segment_key("國務院　常務會議\ue000") == segment_key("国务院 常务会议") == "国务院 常务会议"
    assert segment_key("ＧＤＰ增长") == "GDP增长"


@pytest.mark.parametrize("query, stored, value, context, expected", [
    ("两会期间", "两会期间", 100, True, "101"),
    ("两会期间", "两会期间", 100, False, "100"),
    ("2024年增长5%。", "2023年增长6%，", 70, False, "95-99"),  # numbers and punctuation only
    ("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉", "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申戌", 95, False, "95-99"),
    ("国务院常务会议", "国务院全体会议", 71.4, False, "50-74"),
    ("国务院常务会议召开", "国务院常务会议举行", 77.8, False, "75-84"),
    ("甲乙丙丁戊己庚", "甲乙丙丁戊己辛", 85.7, False, "85-94"),
])
def test_bands(query, stored, value, context, expected):
    assert band(segment_key(query), segment_key(stored), value, context) == expected


def test_numbers_that_differ_are_listed_for_the_translator():
    assert differing_numbers("投资2200万元，增长百分之五", "投资1800万元，增长百分之五") == {
        "query": ["2200万"], "match": ["1800万"]}


@pytest.mark.parametrize("query, stored", [("投资兩千萬元", "投资两千万元"), ("共1,000人", "共1000人"),
                                           ("千万不要去", "千万不要去那里"), ("万一出事", "万一")])
def test_the_same_number_written_otherwise_or_a_word_that_looks_like_one_is_no_difference(query, stored):
    assert differing_numbers(query, stored) == {"query": [], "match": []}


@pytest.mark.parametrize("query, stored", [("千万不要去那里。", "不要去那里。"), ("一点也不", "也不"),
                                           ("这是一个好主意", "这是个好主意")])
def test_words_made_of_numeral_characters_are_text_not_numbers_for_the_band(query, stored):
    assert band(segment_key(query), segment_key(stored), 75, False) != "95-99"


def test_inline_tags_are_shown_as_tags_and_are_never_a_difference():
    stored = "一项\ue00080亿元\ue001的计划"
    assert marked("一项90亿元的计划", stored) == "一项{1}[-8-]{+9+}0亿元{2}的计划"


def test_differences_are_marked_on_the_stored_source():
    assert marked("国家发改委今天宣布", "国家发改委昨天宣布了") == "国家发改委[-昨-]{+今+}天宣布[-了-]"


# ---------------------------------------------------------------- retrieval

@pytest.fixture
def memory(memory_url):
    with open_memory(memory_url) as tm:
        yield tm


def units(sources):
    return [TranslationUnit(source, f"EN {i}") for i, source in enumerate(sources)]


def test_lookup_finds_exact_and_fuzzy_matches_best_first(memory):
    memory.add(units(["中央经济工作会议在北京举行。", "中央农村工作会议在北京举行。", "两会在北京召开。"]))
    matches = memory.lookup("中央经济工作会议在北京举行。", minimum=75)
    assert [(m.target, m.band) for m in matches] == [("EN 0", "100"), ("EN 1", "85-94")]
    assert matches[1].score == 85.7


def test_a_context_match_needs_the_same_previous_segment(memory):
    memory.add([TranslationUnit("驻京办很忙。", "The office is busy.", prev_source="两会召开了。"),
                TranslationUnit("驻京办很忙。", "The liaison office is busy.", prev_source="会议结束了。")])
    best = memory.lookup("驻京办很忙。", previous="會議結束了。")[0]
    assert (best.target, best.band, best.score) == ("The liaison office is busy.", "101", 100.0)


def test_traditional_queries_find_simplified_segments(memory):
    memory.add(units(["国务院常务会议召开。"]))
    assert memory.lookup("國務院常務會議召開。")[0].band == "100"


def test_one_and_two_character_segments_are_found(memory):
    memory.add(units(["省", "两会", "两会期间", "会"]))
    assert {m.source for m in memory.lookup("两会", minimum=50, limit=None)} == {"两会", "两会期间", "会"}
    assert {m.source for m in memory.lookup("省", minimum=50, limit=None)} == {"省"}


def test_segments_with_a_bigram_repeated_beyond_the_index_cap_are_found(memory):
    long = "哈" * 60
    memory.add(units([long, "哈" * 55 + "嘿" * 5, "嘿" * 60]))
    assert sorted(memory.candidates(long, 90).values()) == [0, 5]


# Chinese, punctuation (full and half width), digits, Latin in both cases, spaces, characters outside
# the BMP and accented (PostgreSQL's gram keys map each one), few enough that repeats are common.
CHARS = st.sampled_from("国务院会议两发展改革经济哈，。、（）%-1２0aBcD ·𠀀é")
KEYS = st.text(CHARS, max_size=40)


def _edited(draw, text):
    chars = list(text)
    for _ in range(draw(st.integers(0, 10))):
        op = draw(st.sampled_from("ids"))
        at = draw(st.integers(0, len(chars)))
        if op == "i" or not chars:
            chars.insert(at, draw(CHARS))
        elif at < len(chars):
            if op == "d":
                del chars[at]
            else:
                chars[at] = draw(CHARS)
    return "".join(chars)


@st.composite
def scenario(draw):
    sources = draw(st.lists(KEYS, max_size=40))
    if sources and draw(st.booleans()):
        query = _edited(draw, draw(st.sampled_from(sources)))
    else:
        query = draw(KEYS)
    minimum = draw(st.sampled_from([50, 60, 66.7, 70, 75, 80, 85, 90, 95, 99.5, 100]) | st.floats(50, 100))
    return sources, query, minimum


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(scenario())
def test_retrieval_returns_exactly_what_brute_force_returns(empty_memory, case):
    sources, query, minimum = case
    memory = empty_memory()
    memory.add(units(sources))
    query_key = segment_key(query)
    assert memory.candidates(query_key, minimum) == brute_force(query_key, memory.keys(), minimum)


def test_possible_lengths_is_computed_not_counted_even_for_a_tiny_minimum():
    from tm.fuzzy import max_distance, possible_lengths

    lengths = possible_lengths(40, 1e-9)
    assert lengths.start == 1 and lengths.stop - 1 == 4_000_000_000_000  # 100·m/min, at once
    for m, minimum in ((40, 75), (7, 50), (13, 33.3), (1, 1), (0, 60)):
        lengths = possible_lengths(m, minimum)
        top = lengths.stop - 1
        assert top - m <= max_distance(top, minimum) and top + 1 - m > max_distance(top + 1, minimum)
