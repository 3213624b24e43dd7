"""Pinyin in standard orthography (GB/T 16159-2012): what a translator sees."""
import pytest

from glossary.pinyin import (
    Orthography, join_syllables, mark_tone, number_tone, pinyin_key, strip_tones, syllables, to_pinyin,
)


@pytest.mark.parametrize("text, expected", [
    # apostrophe before a/o/e inside a word
    ("西安", "Xī'ān"),
    ("天安门", "Tiān'ānmén"),
    ("十二五", "shí'èrwǔ"),
    # place names: specific name and generic apart, both capitalised
    ("长安街", "Cháng'ān Jiē"),
    ("北京市", "Běijīng Shì"),
    ("湖南省", "Húnán Shěng"),
    # polyphones read in context
    ("银行", "yínháng"),
    ("行长", "hángzhǎng"),
    ("重庆", "Chóngqìng"),
    ("长沙", "Chángshā"),
    ("省长", "shěngzhǎng"),
    ("原子", "yuánzǐ"),
    # long proper names split into their words
    ("中国人民银行", "Zhōngguó Rénmín Yínháng"),
    ("全国人民代表大会", "Quánguó Rénmín Dàibiǎo Dàhuì"),
    ("中华人民共和国", "Zhōnghuá Rénmín Gònghéguó"),
    # common nouns of four syllables or more split by word
    ("社会主义市场经济", "shèhuì zhǔyì shìchǎng jīngjì"),
    # person names: surname apart, compound surnames whole
    ("欧阳修", "Ōuyáng Xiū"),
    # citation tones: no sandhi on 一 and 不
    ("一个", "yī gè"),
    ("不是", "bùshì"),
    # erhua, aspect particles joined, ordinals hyphenated, numbers apart from measures
    ("一会儿", "yīhuìr"),
    ("看了", "kànle"),
    ("第十八届", "dì-shíbā jiè"),
    ("三个", "sān gè"),
])
def test_standard_orthography(text, expected):
    assert to_pinyin(text) == expected


def test_a_sentence_starts_with_a_capital_and_keeps_digits_latin_and_punctuation():
    assert to_pinyin("2015年GDP增长了7%。") == "2015 nián GDP zēngzhǎngle 7%."


def test_quotes_and_colons_become_western_punctuation():
    assert to_pinyin("他说：“我们要争取资金。”") == 'Tā shuō: "wǒmen yào zhēngqǔ zījīn."'


def test_lines_stay_lines():
    assert to_pinyin("银行\n行长") == "yínháng\nhángzhǎng"


def test_readings_given_by_a_glossary_win_and_keep_the_term_whole():
    orthography = Orthography({"驻京办": "zhùjīngbàn", "两会": "Liǎnghuì"})
    assert orthography.convert("两会期间的驻京办") == "Liǎnghuì qījiān de zhùjīngbàn"


def test_terms_marked_proper_are_capitalised():
    assert Orthography(proper=["发改委"]).convert("发改委") == "Fāgǎiwěi"


@pytest.mark.parametrize("numbered, marked", [
    ("yin2", "yín"), ("lv3", "lǚ"), ("lu:4", "lǜ"), ("Xi1", "Xī"), ("le5", "le"), ("le", "le"),
    ("gou3", "gǒu"), ("hui4", "huì"), ("liu2", "liú"), ("er4", "èr"), ("r5", "r"),
])
def test_tone_numbers_and_marks_convert_both_ways(numbered, marked):
    assert mark_tone(numbered) == marked
    if numbered[-1].isdigit() and ":" not in numbered:
        assert number_tone(marked) == numbered


def test_joining_puts_the_apostrophe_only_inside_a_word():
    assert join_syllables(["ān", "quán"]) == "ānquán"
    assert join_syllables(["Tiān", "ān", "mén"]) == "Tiān'ānmén"
    assert join_syllables(["dì-", "èr"]) == "dì-èr"


def test_toneless_keys_ignore_tones_case_spaces_and_apostrophes():
    assert pinyin_key("Liǎnghuì") == pinyin_key("liang3hui4") == pinyin_key("liang hui") == "lianghui"
    assert pinyin_key("Lǚ Zhènqián") == "lvzhenqian"
    assert strip_tones("Xī'ān") == "Xi'an"


def test_syllables_are_one_per_character_and_keep_non_han():
    assert syllables("GDP增长") == ["G", "D", "P", "zēng", "zhǎng"]
    assert syllables("了不起") == ["liǎo", "bu", "qǐ"]


@pytest.mark.parametrize("text, expected", [
    ("長沙市長", "Chángshā shìzhǎng"),
    ("中國人民銀行行長", "Zhōngguó Rénmín Yínháng hángzhǎng"),
    ("重慶", "Chóngqìng"),
    ("二〇二四年", "èr líng èr sì nián"),
    ("ＡＢＣ公司", "ABC gōngsī"),
])
def test_traditional_and_full_width_input_read_as_simplified(text, expected):
    assert to_pinyin(text) == expected


def test_a_closing_quote_is_followed_by_a_space():
    assert to_pinyin("他说：“好。”然后走了。") == 'Tā shuō: "hǎo." Ránhòu zǒule.'
    assert to_pinyin("《政府工作报告》（全文）") == '"zhèngfǔ gōngzuò bàogào" (quánwén)'
