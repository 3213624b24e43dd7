"""Sentence alignment on small pairs whose alignment is known."""
from pathlib import Path

import numpy as np
import pytest

from aligned.align import Aligner, Bead, bead_types
from glossary.numerals import chinese_numbers, english_numbers

ZH = [
    "国家发展和改革委员会今天宣布了一项80亿元的文化遗产保护计划。",
    "该计划将在第十二个五年规划期间实施。",
    "中央政府将根据地方财政状况给予补贴。",
    "许多地方官员对此寄予厚望。",
    "一位市长说，这笔钱对一个地级市来说不是小数目。",
]
EN = [
    "The National Development and Reform Commission announced an 8 billion yuan plan for heritage protection today.",
    "The plan will be carried out during the 12th Five-Year Plan period.",
    "The central government will give subsidies based on local finances.",
    "Many local officials have high hopes for it.",
    "One mayor said the money is not a small amount for a prefecture-level city.",
]


@pytest.fixture(scope="module")
def aligner():
    return Aligner()


def links(beads):
    return [(b.src, b.tgt) for b in beads]


def test_one_to_one(aligner):
    assert links(aligner.align(ZH, EN)) == [((i,), (i,)) for i in range(5)]


def test_one_chinese_sentence_translated_as_two(aligner):
    en = EN[:2] + ["The central government will give subsidies.", "They will depend on local finances."] + EN[3:]
    assert links(aligner.align(ZH, en)) == [((0,), (0,)), ((1,), (1,)), ((2,), (2, 3)), ((3,), (4,)), ((4,), (5,))]


def test_two_chinese_sentences_translated_as_one(aligner):
    en = EN[:3] + ["Many local officials have high hopes for it, and one mayor said the money is not a small "
                   "amount for a prefecture-level city."]
    assert links(aligner.align(ZH, en))[-1] == ((3, 4), (3,))


def test_a_sentence_left_untranslated_is_a_one_to_zero_bead_never_dropped(aligner):
    beads = aligner.align(ZH, EN[:2] + EN[3:])
    assert ((2,), ()) in links(beads)
    assert sorted(i for b in beads for i in b.src) == list(range(5))
    assert sorted(j for b in beads for j in b.tgt) == list(range(4))


def test_an_added_sentence_is_a_zero_to_one_bead(aligner):
    en = EN[:3] + ["(Reporting by our Beijing bureau; editing by the night desk.)"] + EN[3:]
    assert ((), (3,)) in links(aligner.align(ZH, en))


EXTRA_EN = [
    "Editor's note: the following pages were added for the English edition.",
    "They describe the weather in the coastal provinces over the past decade.",
    "Rainfall has varied widely from one season to the next.",
    "Typhoons reached the coast earlier than usual in several years.",
    "Farmers have adjusted their planting calendars accordingly.",
    "Some have switched to crops that tolerate drought.",
    "Insurance companies now offer policies against crop failure.",
    "Meteorologists expect the trend to continue.",
]
EXTRA_ZH = ["编者按：以下内容为中文版独有。", "沿海各省近十年的天气变化很大。", "降雨量逐季波动。",
            "台风登陆时间提前。", "农民相应调整了播种时间。", "有些人改种耐旱作物。", "保险公司推出了农业保险。"]


def covered_once(beads, n, m):
    return (sorted(i for b in beads for i in b.src) == list(range(n))
            and sorted(j for b in beads for j in b.tgt) == list(range(m)))


def test_a_long_stretch_on_one_side_only_at_the_end_is_kept(aligner):
    # A missing chapter: more sentences past the last link than the search band is wide.
    beads = aligner.align(ZH, EN + EXTRA_EN)
    assert covered_once(beads, len(ZH), len(EN) + len(EXTRA_EN))
    assert links(beads)[:4] == [((i,), (i,)) for i in range(4)]
    beads = aligner.align(ZH + EXTRA_ZH, EN)
    assert covered_once(beads, len(ZH) + len(EXTRA_ZH), len(EN))
    assert links(beads)[:4] == [((i,), (i,)) for i in range(4)]


def test_a_long_stretch_on_one_side_only_at_the_start_is_kept(aligner):
    beads = aligner.align(ZH, EXTRA_EN + EN)
    assert covered_once(beads, len(ZH), len(EN) + len(EXTRA_EN))
    assert links(beads)[-3:] == [((i,), (i + len(EXTRA_EN),)) for i in range(2, 5)]


def test_confidence_is_high_for_good_pairs_and_zero_for_unaligned_sentences(aligner):
    beads = aligner.align(ZH, EN[:2] + EN[3:])
    assert all(0 <= b.confidence <= 1 for b in beads)
    assert min(b.confidence for b in beads if b.src and b.tgt) > 0.5
    assert [b.confidence for b in beads if not b.tgt] == [0.0]


def test_an_empty_side_aligns_everything_to_nothing(aligner):
    assert links(aligner.align(ZH[:2], [])) == [((0,), ()), ((1,), ())]
    assert links(aligner.align([], EN[:1])) == [((), (0,))]


def test_paragraphs_are_hard_boundaries_when_both_sides_have_them(aligner):
    beads = aligner.align_paragraphs([ZH[:2], ZH[2:]], [EN[:2], EN[2:]])
    assert links(beads) == [((i,), (i,)) for i in range(5)]


def test_bead_types_go_up_to_one_to_four_and_include_two_to_three():
    kinds = bead_types()
    assert {(0, 1), (1, 0), (1, 4), (4, 1), (2, 2), (2, 3), (3, 2)} <= set(kinds)


def test_one_chinese_sentence_translated_as_five_is_one_bead(aligner):
    from aligned.align import TYPES

    assert {(1, 5), (2, 4), (3, 3)} <= set(TYPES)
    zh = ["老张站了起来。", "会议决定，明年起各地级市要设立专项资金，由发改委统一审批，财政部负责拨付，"
                        "审计署每年检查一次，结果向社会公开。", "众人点头答应了。"]
    en = ["Old Zhang stood up.",
          "The meeting decided that every prefecture-level city will set up a special fund from next year.",
          "The National Development and Reform Commission will approve the funds.",
          "The Ministry of Finance will pay them out.", "The National Audit Office will inspect them once a year.",
          "The results will be made public.", "The others nodded and agreed."]
    assert links(aligner.align(zh, en)) == [((0,), (0,)), ((1,), (1, 2, 3, 4, 5)), ((2,), (6,))]


def test_a_quotation_is_open_at_the_end_of_a_sentence_until_its_closing_mark():
    from aligned.align import _chinese_quotes, _english_quotes, _quoted

    english = ["'We leave at dawn.", "It's a long way, Trinket's men say.", "Bring water,' he said.", "He left."]
    assert _quoted(english, _english_quotes).tolist() == [True, True, False, False]
    chinese = ["他说：“明天出发。", "路很远。”", "众人点头。"]
    assert _quoted(chinese, _chinese_quotes).tolist() == [True, False, False]
    assert _english_quotes("Don't say 'never' to Trinket's mother.") == [True, False]
    assert _english_quotes("Don't say 'never' to the boys' mother.") == [True, False]  # a plural possessive
    assert _english_quotes("'Leave it to the boys' he said.") == [True, False]


def test_a_quotation_split_into_several_english_sentences_stays_one_bead(aligner):
    zh = ["老张站了起来。", "他说：“明天一早出发，路很远，大家带足干粮和水。”", "众人点头答应了。"]
    en = ["Old Zhang stood up.", "'We leave at dawn tomorrow.", "It is a long way.",
          "Everyone bring enough food and water,' he said.", "The others nodded and agreed."]
    assert links(aligner.align(zh, en)) == [((0,), (0,)), ((1,), (1, 2, 3)), ((2,), (4,))]


def test_clauses_split_after_commas_semicolons_and_colons_and_short_ones_join_a_neighbour():
    from aligned.align import clauses

    assert clauses("会议决定，明年起各地级市要设立专项资金，由发改委统一审批。", chinese=True) == [
        "会议决定，明年起各地级市要设立专项资金，", "由发改委统一审批。"]  # 会议决定， is too short alone
    assert clauses("他说：“好。”", chinese=True) == ["他说：“好。”"]
    english = "Since you need such low precision, we can just use some basic data; it is all set, he said."
    assert clauses(english, chinese=False) == [
        "Since you need such low precision,", "we can just use some basic data;", "it is all set, he said."]
    spaced = "Since you need such low precision,   we can just use some basic data from the old survey."
    assert " ".join(clauses(spaced, chinese=False)) == " ".join(spaced.split())  # only the white space goes
    assert clauses("会议于12:30开始,总投资1,200万元,由发改委审批。", chinese=True) == [
        "会议于12:30开始,", "总投资1,200万元,", "由发改委审批。"]  # not inside a number


def test_an_english_sentence_is_matched_to_the_clause_it_renders_not_only_to_the_whole_sentence(aligner):
    from aligned.align import _Problem

    zh = ["老张站了起来，慢慢走到窗前，看着外面的大雨。", "他说明天一早出发。"]
    en = ["Old Zhang stood up.", "He walked slowly to the window and watched the heavy rain outside.",
          "He said they would leave early tomorrow."]
    problem = _Problem(zh, en, aligner.lexicon)
    assert problem.beads(problem.anchors(), aligner.weights) == [((0,), (0, 1)), ((1,), (2,))]
    whole = float(problem.tgt.vectors[0, 0] @ problem.src.vectors[0, 0])
    best_clause = problem.clauses.english[0].at(np.array([0]))[0]
    assert best_clause > whole + 0.2  # "Old Zhang stood up." is 老张站了起来， far more than the whole
    en_sum, zh_sum = problem.clauses.scores(range(0, 1), np.array([[0, 1], [1, 2]]))
    assert np.isfinite(en_sum).all() and np.isfinite(zh_sum).all()
    assert en_sum[0] > en_sum[1] + 0.2  # the bead 0:[0,1] is better covered than 0:[1,2]
    assert zh_sum[0] >= zh_sum[1]  # 老张站了起来… finds "He walked slowly to the window…" in both


def test_numbers_compare_across_languages():
    assert sorted(chinese_numbers("投资2200万元，另有80亿元，增长百分之五，二十个代表团")) == sorted(
        english_numbers("22 million yuan, another 8 billion, up 5%, twenty delegations"))


def test_names_meet_through_pinyin():
    from aligned.lexicon import LexicalFeatures, name_key

    assert name_key("Lyu Zhenqian") == name_key("lv zhen qian") == "luzhenqian"
    lexicon = LexicalFeatures()
    chinese = lexicon.chinese("吕振乾说")
    assert lexicon.score(chinese, lexicon.english("Lyu Zhenqian said")) > lexicon.score(
        chinese, lexicon.english("Wang Jianguo said"))


DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "align-dev"


@pytest.mark.skipif(not (DEV / "mag").is_dir(), reason="../shared/data/align-dev is not here")
def test_quality_floor_on_the_start_of_the_magazine_development_set(aligner):
    from aligned.evaluate import Bead as GoldBead, evaluate, read_beads

    name = sorted(p.name for p in (DEV / "mag" / "src").iterdir())[0]
    gold = read_beads(DEV / "mag" / "gold" / f"{name}.align")[:150]  # English → Chinese
    english = (DEV / "mag" / "src" / name).read_text(encoding="utf-8").splitlines()
    chinese = (DEV / "mag" / "tgt" / name).read_text(encoding="utf-8").splitlines()
    last_en = max(i for b in gold for i in b.src)
    last_zh = max(j for b in gold for j in b.tgt)
    beads = aligner.align(chinese[:last_zh + 1], english[:last_en + 1])
    predicted = [GoldBead(b.tgt, b.src) for b in beads]
    assert evaluate([gold], [predicted])["strict"].f1 >= 0.95


@pytest.mark.skipif(not (DEV / "mac-dev").is_dir(), reason="../shared/data/align-dev is not here")
def test_quality_floor_on_the_whole_literary_development_set(aligner):
    """The issue's figure: strict F1 of at least 0.91 on mac-dev (Bertalign with LaBSE: 0.911)."""
    from aligned.evaluate import Bead as GoldBead, evaluate, read_beads

    gold, predicted, doubtful, sure = [], [], [], []  # doubtful, sure: whether each bead is right
    for path in sorted((DEV / "mac-dev" / "src").iterdir()):
        chinese = path.read_text(encoding="utf-8").splitlines()
        english = (DEV / "mac-dev" / "tgt" / path.name).read_text(encoding="utf-8").splitlines()
        beads = aligner.align(chinese, english)
        predicted.append([GoldBead(b.src, b.tgt) for b in beads])
        gold.append(read_beads(DEV / "mac-dev" / "gold" / f"{path.name}.align"))
        right = set(gold[-1])
        for b in beads:
            if b.src and b.tgt:
                (doubtful if b.confidence < 0.5 else sure).append(GoldBead(b.src, b.tgt) in right)
    assert evaluate(gold, predicted)["strict"].f1 >= 0.91
    # the review list (confidence under 0.5) is short and holds wrong beads far more often than the rest
    assert len(doubtful) < 0.1 * (len(doubtful) + len(sure))  # 5%
    assert doubtful.count(False) / len(doubtful) > 4 * sure.count(False) / len(sure)  # 42% against 7%
