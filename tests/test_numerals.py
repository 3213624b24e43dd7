"""Numbers in Chinese and English text: values, kinds and spans (glossary.numerals)."""
import pytest

from glossary.numerals import (Number, chinese_number_spans, english_form, english_numbers, read_chinese,
                               read_english)


def one(numbers: list[Number]) -> Number:
    assert len(numbers) == 1, numbers
    return numbers[0]


def values(numbers: list[Number]) -> list[float]:
    return [n.value for n in numbers]


# ---------------------------------------------------------------- Chinese cardinals

@pytest.mark.parametrize("text, written, value", [
    ("共2,200人", "2,200", 2200),
    ("共２２００人", "２２００", 2200),
    ("增长1.5倍", "1.5倍", 1.5),
    ("二十个代表团", "二十", 20),
    ("两千人", "两千", 2000),
    ("兩千萬元", "兩千萬", 20_000_000),
    ("一点五米", "一点五", 1.5),
    ("一千零五人", "一千零五", 1005),
    ("三千五百万元", "三千五百万", 35_000_000),
    ("2200万人", "2200万", 22_000_000),
    ("681億元", "681億", 68_100_000_000),
    ("1.2萬億元", "1.2萬億", 1_200_000_000_000),
    ("5.6万亿元", "5.6万亿", 5_600_000_000_000),
    ("3千人", "3千", 3000),
    ("1亿3000万元", "1亿3000万", 130_000_000),
    ("一点二万亿元", "一点二万亿", 1_200_000_000_000),
])
def test_chinese_cardinals_in_digits_and_characters(text, written, value):
    number = one(read_chinese(text))
    assert (number.text, number.value) == (written, value)
    assert text[number.start:number.end] == number.text


def test_scale_characters_are_exact_and_give_the_precision_of_the_last_digit():
    number = one(read_chinese("680.1亿"))
    assert number.value == 68_010_000_000 and number.scaled and number.precision == 1e7
    assert one(read_chinese("2200万")).precision == 1e6  # trailing zeros count as rounding


def test_kilo_units_are_units_not_thousands():
    assert values(read_chinese("5千克")) == [5]
    assert values(read_chinese("64千比特")) == [64]


@pytest.mark.parametrize("text", ["统一思想", "一直在一起", "一些人", "唯一的", "万一出事", "十分重要",
                                  "千万不要去", "三三两两", "一五一十", "胡说八道", "四周", "老两口",
                                  "几十个人", "数百人", "上千人", "十几年", "万人空巷"])
def test_words_made_of_numeral_characters_are_not_numbers(text):
    assert read_chinese(text) == []


def test_a_lone_yi_is_an_article_not_a_number():
    assert read_chinese("这是一个好主意") == []
    assert values(read_chinese("十分钟")) == [10]  # 十分 is "very" only without 钟


def test_a_tael_after_a_numeral_is_not_part_of_it():
    assert values(read_chinese("二十两银子")) == [20]


# ---------------------------------------------------------------- Chinese kinds

@pytest.mark.parametrize("text, written, kind, value", [
    ("增长百分之五", "百分之五", "percent", 5),
    ("百分之五点二", "百分之五点二", "percent", 5.2),
    ("增长５％", "５％", "percent", 5),
    ("提高5个百分点", "5个百分点", "percent", 5),
    ("三成", "三成", "percent", 30),
    ("千分之五", "千分之五", "percent", 0.5),
    ("三分之一", "三分之一", "fraction", 1 / 3),
    ("是去年的三倍", "三倍", "multiple", 3),
    ("翻两番", "翻两番", "multiple", 4),
    ("第十八届", "第十八", "ordinal", 18),
    ("“十三五”规划", "十三五", "ordinal", 13),
    ("20世纪", "20世纪", "century", 20),
    ("下午3点半", "3点半", "time", 3.5),
    ("7：30出发", "7：30", "time", 7.5),
])
def test_chinese_kinds(text, written, kind, value):
    number = one(read_chinese(text))
    assert (number.text, number.kind) == (written, kind)
    assert number.value == pytest.approx(value)


def test_a_multiple_allows_one_more_because_an_increase_by_one_bei_is_a_doubling():
    assert one(read_chinese("增长了一倍")).values == (1, 2)


def test_a_fraction_also_stands_for_its_percentage():
    assert one(read_chinese("三分之一")).alternatives[0] == pytest.approx(100 / 3)


def test_a_date_gives_its_parts_each_with_its_character():
    parts = read_chinese("2013年1月7日")
    assert [(n.text, n.kind, n.value) for n in parts] == [
        ("2013年", "year", 2013), ("1月", "month", 1), ("7日", "day", 7)]


def test_years_written_digit_by_digit_and_durations():
    assert [(n.kind, n.value) for n in read_chinese("二〇一三年")] == [("year", 2013)]
    assert [(n.kind, n.value) for n in read_chinese("三年")] == [("cardinal", 3)]
    assert [(n.kind, n.value) for n in read_chinese("两千年")] == [("cardinal", 2000)]


def test_decades_with_and_without_their_century():
    assert one(read_chinese("20世纪60年代")).values == (1960, 60)
    assert one(read_chinese("60年代")).values == (60, 1960)
    assert one(read_chinese("19世纪二三十年代")).values[:2] == (1820, 1830)


def test_approximations_give_both_numbers_or_none():
    assert values(read_chinese("三四百斤")) == [300, 400]
    assert values(read_chinese("十四五岁")) == [14, 15]
    assert values(read_chinese("二十七八岁")) == [27, 28]
    pair = read_chinese("一两天")
    assert values(pair) == [1, 2] and all(n.approximate for n in pair)
    more = one(read_chinese("20多个国家"))
    assert (more.value, more.approximate, more.text) == (20, True, "20多")
    assert one(read_chinese("20多万人")).value == 200_000


def test_a_range_shares_the_unit_of_its_second_number():
    first, second = read_chinese("三至六个月")
    assert (first.unit, second.unit) == ("个月", "个月") and first.firm


# ---------------------------------------------------------------- Chinese firmness

@pytest.mark.parametrize("text, firm", [
    ("三个代表团", True), ("五项任务", True), ("2013年", True), ("第三次", True),
    ("三农问题", False),  # no classifier
    ("茅十八说", False),  # a name
    ("二元关系", False),  # counting uses 两
    ("十多岁", False),  # approximation
    ("乾隆五十年", False),  # regnal year
    ("G20峰会", False),  # code
])
def test_firm_numbers_are_the_ones_a_translation_must_carry(text, firm):
    assert one(read_chinese(text)).firm is firm


def test_headings_labels_and_references():
    assert [(n.written, n.firm) for n in read_chinese("1.完备性")] == [("heading", False)]
    section = one(read_chinese("2.2.1 传递函数"))
    assert (section.text, section.written, section.firm) == ("2.2.1", "heading", True)
    figure = one(read_chinese("如图2.1所示"))
    assert (figure.written, figure.values) == ("label", (2.001, 2.1))
    assert one(read_english("see Figure 2-1")).value == figure.value  # joined by . or -: one value


def test_html_character_references_are_not_numbers():
    assert read_chinese("托尼&#183;唐恩") == []


# ---------------------------------------------------------------- English

@pytest.mark.parametrize("text, written, value", [
    ("68.1 billion yuan", "68.1 billion", 68_100_000_000),
    ("US$68.1bn", "68.1bn", 68_100_000_000),
    ("1,200 billion", "1,200 billion", 1_200_000_000_000),
    ("22 million people", "22 million", 22_000_000),
    ("1.2 trillion", "1.2 trillion", 1_200_000_000_000),
    ("ten groups", "ten", 10),
    ("twenty-two delegations", "twenty-two", 22),
    ("a hundred people", "a hundred", 100),
    ("two hundred and five", "two hundred and five", 205),
    ("two million", "two million", 2_000_000),
    ("a dozen eggs", "a dozen", 12),
    ("100 000 particles", "100 000", 100_000),
    ("the .5 mg dose", ".5", 0.5),
    ("２２００ people", "２２００", 2200),
    ("two decades", "two decades", 20),
])
def test_english_cardinals(text, written, value):
    number = one(read_english(text))
    assert (number.text, number.value) == (written, value)
    assert text[number.start:number.end] == number.text


@pytest.mark.parametrize("text, written, kind, value", [
    ("5.2%", "5.2%", "percent", 5.2),
    ("5.2 percent", "5.2 percent", "percent", 5.2),
    ("5.2 per cent", "5.2 per cent", "percent", 5.2),
    ("5.2 percentage points", "5.2 percentage points", "percent", 5.2),
    ("twenty-two percent", "twenty-two percent", "percent", 22),
    ("one third", "one third", "fraction", 1 / 3),
    ("two-thirds", "two-thirds", "fraction", 2 / 3),
    ("a quarter", "a quarter", "fraction", 0.25),
    ("1/3 of them", "1/3", "fraction", 1 / 3),
    ("twice as much", "twice", "multiple", 2),
    ("doubled", "doubled", "multiple", 2),
    ("threefold", "threefold", "multiple", 3),
    ("three times", "three times", "multiple", 3),
    ("the 18th Party Congress", "18th", "ordinal", 18),
    ("the eighteenth", "eighteenth", "ordinal", 18),
    ("twenty-first", "twenty-first", "ordinal", 21),
    ("World War II", "II", "ordinal", 2),
    ("Chapter V", "V", "ordinal", 5),
    ("the twentieth century", "twentieth", "century", 20),
    ("the 1960s", "1960s", "decade", 1960),
    ("the sixties", "sixties", "decade", 60),
    ("7:30 a.m.", "7:30 a.m.", "time", 7.5),
])
def test_english_kinds(text, written, kind, value):
    number = one(read_english(text))
    assert (number.text, number.kind) == (written, kind)
    assert number.value == pytest.approx(value)


@pytest.mark.parametrize("text", ["Jan 7, 2013", "January 7, 2013", "7 January 2013", "7th of January, 2013"])
def test_english_dates_give_the_same_parts_as_chinese_ones(text):
    assert sorted((n.kind, n.value) for n in read_english(text)) == [("day", 7), ("month", 1), ("year", 2013)]


def test_month_names_that_are_also_words_need_a_date_around_them():
    assert read_english("May I come in?") == []
    assert [(n.kind, n.value) for n in read_english("in May")] == [("month", 5)]
    assert read_english("they march on") == []


def test_a_short_year_range_ends_in_its_century():
    assert values(read_english("2016-20")) == [2016, 2020]


@pytest.mark.parametrize("text", ["hundreds of people", "thousands of them", "dozens of cities", "I think so"])
def test_english_without_a_number(text):
    assert read_english(text) == []


def test_english_words_that_double_as_other_words_are_loose():
    assert [n.firm for n in read_english("one of the first")] == [False, False]
    assert [n.firm for n in read_english("a day or two")] == [False]
    assert [(n.value, n.firm) for n in read_english("they are both here")] == [(2, False)]
    assert [(n.value, n.firm) for n in read_english("G20, 5G and COVID-19")] == [
        (20, False), (5, False), (19, False)]


def test_english_units_of_measure_are_noted():
    assert one(read_english("130 pounds")).unit == "pounds"


# ---------------------------------------------------------------- forms and the old interface

@pytest.mark.parametrize("text, english", [
    ("681亿", "68.1 billion"), ("2200万", "22 million"), ("1.2万亿", "1.2 trillion"), ("3000", "3,000"),
    ("百分之五", "5%"), ("第十八届", "18th"), ("1月", "January"), ("三分之一", "1/3"),
    ("20世纪60年代", "1960s"), ("三四百", "300 or 400"),
])
def test_english_form(text, english):
    assert english_form(read_chinese(text)[0]) == english


def test_the_value_only_interface_keeps_its_meaning():
    assert chinese_number_spans("投资2,200万元") == [(2, 8, 22_000_000)]
    assert sorted(english_numbers("22 million yuan, up 5%")) == [5, 22_000_000]


def test_a_numeral_before_ji_is_approximate_like_one_before_duo():
    (number,) = read_chinese("赢了二十几两银子")
    assert (number.text, number.value, number.approximate, number.unit) == ("二十几", 20, True, "两")
    assert read_chinese("十几个人") == [] and read_chinese("几两银子") == []


def test_a_lone_cheque_numeral_is_a_word():
    assert read_chinese("这大陆") == [] and read_chinese("队伍") == [] and read_chinese("放肆") == []
    assert [n.value for n in read_chinese("伍佰元")] == [500]


def test_more_classifiers_make_a_count_firm():
    assert [(n.value, n.firm, n.unit) for n in read_chinese("两处弱点")] == [(2, True, "处")]
    assert [(n.value, n.firm, n.unit) for n in read_chinese("三面墙")] == [(3, True, "面")]
    assert read_chinese("四面八方") == []


def test_half_a_dozen_and_midnight_are_read():
    assert [(n.text, n.value) for n in read_english("half a dozen bottles")] == [("half a dozen", 6)]
    assert [(n.text, n.value) for n in read_english("in her hands half dozen bottles")] == [("half dozen", 6)]
    assert [(n.text, n.kind, n.values) for n in read_chinese("零点了")] == [("零点", "time", (0, 12))]


def test_a_letter_after_a_roman_numeral_is_no_number_at_all():
    for text in ("Article Xa", "Section IIIb", "World War IIs"):
        assert all(n.text for n in read_english(text)), text


def test_placeholders_are_not_numbers_and_spans_stay_in_the_original_text():
    text = "2013年{1}1月7日{2}"
    found = read_chinese(text)
    assert [(n.kind, n.value) for n in found] == [("year", 2013), ("month", 1), ("day", 7)]
    assert all(text[n.start:n.end] == n.text for n in found)
    assert [(n.text, n.kind) for n in read_english("Jan. {1}8{2}, 2013")] == [
        ("Jan.", "month"), ("8", "day"), ("2013", "year")]


# ---------------------------------------------------------------- issue 5: more English readings, fewer false ones

def test_one_another_is_a_pronoun_not_a_number():
    assert read_english("the villagers helped one another") == []
    assert [n.value for n in read_english("one or another of them")] == [1]


def test_a_list_run_into_an_english_sentence_is_labels():
    found = read_english("Two causes: (1) drought; (2) neglect; and (3) fire.")
    assert [(n.text, n.written, n.firm) for n in found] == [
        ("Two", "words", True), ("1", "heading", False), ("2", "heading", False), ("3", "heading", False)]
    assert [(n.written, n.firm) for n in read_english("It took (3) years")] == [("digits", True)]


@pytest.mark.parametrize("text, written, value", [
    ("after a decade-long drought", "decade", 10),
    ("a century-old bridge", "century", 100),
    ("the gain is equal to unity", "unity", 1),
    ("a half-acre of beans", "a half", 0.5),
    ("Half a million visitors", "Half a million", 500_000),
    ("a half-dozen eggs", "half-dozen", 6),
])
def test_words_that_are_numbers_in_context(text, written, value):
    number = one(read_english(text))
    assert (number.text, number.value) == (written, value)


def test_those_words_out_of_such_context_are_not_numbers():
    for text in ("national unity", "half the class", "the decade of reform"):
        assert read_english(text) == [], text


def test_a_half_before_a_unit_of_measure_carries_the_unit():
    assert [(n.value, n.unit, n.firm) for n in read_english("half a mile away")] == [(0.5, "mile", False)]
    assert [(n.value, n.unit) for n in read_english("a half-acre of beans")] == [(0.5, "acre")]


@pytest.mark.parametrize("text, expected", [
    ("three or four thousand tickets", [3000, 4000]),
    ("2 to 3 million people", [2_000_000, 3_000_000]),
    ("from 500 to 2 million", [500, 2_000_000]),  # no shared scale: 500 is too far below
])
def test_the_first_number_of_a_range_takes_the_scale_word_of_the_second(text, expected):
    assert values(read_english(text)) == expected


def test_a_count_of_periods_notes_the_period():
    assert [(n.value, n.alternatives, n.unit) for n in read_english("for three decades")] == [(30, (3,), "decade")]
    assert [n.unit for n in read_english("two centuries ago")] == ["century"]


def test_liang_before_silver_or_gold_is_the_tael():
    assert read_chinese("只花了一两银子") == []
    assert [(n.value, n.unit) for n in read_chinese("花了三两银子")] == [(3, "两")]
    assert [(n.value, n.unit) for n in read_chinese("一两黄金")] == []
    assert values(read_chinese("等了一两天")) == [1, 2]  # a range, not taels


def test_a_chinese_reference_notes_its_word():
    assert [(n.text, n.unit) for n in read_chinese("见图1.1和表1.1")] == [("1.1", "图"), ("1.1", "表")]


def test_a_reference_ending_in_zero_is_not_also_a_decimal():
    assert one(read_english("Table 2-1")).alternatives == (2.1,)
    assert one(read_english("Table 3-20")).alternatives == ()


def test_square_feet_in_chinese_are_imperial():
    assert [(n.value, n.unit) for n in read_chinese("780万平方英尺")] == [(7_800_000, "平方英尺")]


def test_english_form_of_a_range_is_in_order_whichever_end():
    low, high = read_chinese("五六岁")
    assert english_form(low) == english_form(high) == "5 or 6"
