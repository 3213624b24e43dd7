"""The number-mismatch check: a number of the Chinese source that the English target does not carry over."""
from pathlib import Path

import pytest

from tm.bilingual import Segment
from tm.checks import CheckContext, registry, run_checks
from tm.checks.number_mismatch import NumberMismatch


def findings(source: str, target: str):
    return list(NumberMismatch().check_segment(1, Segment(source, target), CheckContext()))


def messages(source: str, target: str) -> list[str]:
    return [f.message for f in findings(source, target)]


def test_the_check_is_registered_as_an_error():
    check = registry()["number-mismatch"]
    assert (check.id, check.severity) == ("number-mismatch", "error")


# ---------------------------------------------------------------- what it reports

def test_681_yi_is_68_1_billion():
    assert messages("投资681億元", "an investment of 68.1 billion yuan") == []
    assert messages("投资681億元", "an investment of 681 billion yuan") == [
        "681億 = 68.1 billion; the target has 681 billion"]
    assert messages("投资681億元", "an investment of 68.1 million yuan") == [
        "681億 = 68.1 billion; the target has 68.1 million"]


def test_a_finding_names_the_segment_the_severity_and_both_spans():
    source, target = "投资681億元", "an investment of 681 billion yuan"
    finding = list(NumberMismatch().run([Segment("无数字", "no numbers"), Segment(source, target)],
                                        CheckContext()))[0]
    assert (finding.check, finding.segment, finding.severity) == ("number-mismatch", 2, "error")
    assert [(s.side, s.text) for s in finding.spans] == [("source", "681億"), ("target", "681 billion")]
    assert all(getattr(Segment(source, target), s.side)[s.start:s.end] == s.text for s in finding.spans)
    assert finding.data["expected"] == "68.1 billion"


@pytest.mark.parametrize("source, target", [
    ("人口2200万", "a population of 22 million"),
    ("1.2萬億元", "1.2 trillion yuan"),
    ("1.2萬億元", "1,200 billion yuan"),
    ("增长百分之五", "grew by 5%"),
    ("增长百分之五点二", "grew by 5.2 percent"),
    ("增长５％", "grew by 5%"),
    ("共２２００人", "2,200 people"),
    ("2013年1月7日", "on Jan 7, 2013"),
    ("2013年1月7日", "on 7 January 2013"),
    ("党的第十八届中央委员会", "the 18th Central Committee"),
    ("分成十个小组", "split into ten groups"),
    ("“十三五”规划", "the 13th Five-Year Plan"),
    ("是去年的三倍", "three times last year's"),
    ("增长了一倍", "doubled"),
    ("三分之一的居民", "one third of the residents"),
    ("20世纪60年代", "the 1960s"),
    ("2020年", "in 2020"),
    ("下午3点半", "at 3:30 p.m."),
])
def test_the_same_numbers_written_otherwise_are_no_mismatch(source, target):
    assert messages(source, target) == []


@pytest.mark.parametrize("source, target, message", [
    ("人口2200万", "a population of 2.2 million", "2200万 = 22 million; the target has 2.2 million"),
    ("增长百分之五", "grew by 15%", "百分之五 = 5%; the target has 15%"),
    ("2013年1月7日", "on Jan 8, 2013", "7日 = 7; the target has 8"),
    ("第十八届中央委员会", "the 19th Central Committee", "第十八 = 18th; the target has 19th"),
    ("分成十个小组", "split into a hundred groups", "十 = 10; the target has a hundred"),
    ("投资2200万元", "The investment was approved.", "2200万 = 22 million; the target does not have it"),
    ("三个代表团", "thirty delegations", "三 = 3; the target has thirty"),
])
def test_numbers_that_disagree(source, target, message):
    assert messages(source, target) == [message]


def test_rounding_is_tolerated_when_the_target_says_it_rounds():
    assert messages("投资68.14亿美元", "an investment of $6.8 billion") == []
    assert messages("投资68.14亿美元", "an investment of $6.9 billion") != []
    assert messages("共1347人", "about 1,350 people") == []
    assert messages("共1347人", "1,350 people") != []  # a bare 1,350 claims to be exact
    assert messages("2013年", "2000") != []  # years are never rounded


# ---------------------------------------------------------------- small numbers changed or dropped

@pytest.mark.parametrize("source, target, message", [
    ("他有三个孩子。", "He has four children.", "三 = 3; the target has four"),
    ("他有三个孩子。", "He has 8 children.", "三 = 3; the target has 8"),
    ("分成两组", "split into twelve groups", "两 = 2; the target has twelve"),  # not a slip, still counted
])
def test_a_counted_number_against_any_number_of_its_kind_left_over(source, target, message):
    assert messages(source, target) == [message]


@pytest.mark.parametrize("source, target", [
    ("他有三个孩子。", "He has three children."),
    ("两位导演说", "The directors say"),  # nothing left over in the target: folded into the wording
    ("两位导演说了三遍", "The directors said it three times."),
    ("三个孩子在第二排", "The children sat in the second row."),  # an ordinal is another kind
])
def test_a_counted_number_without_a_leftover_of_its_kind_is_not_reported(source, target):
    assert messages(source, target) == []


@pytest.mark.parametrize("source, target, message", [
    ("超越武道九重", "surpassing the ninety levels", "九 = 9; the target has ninety"),  # power of ten
    ("九劫剑", "the two Tribulations Sword", "九 = 9; the target has two"),  # one digit, in words
    ("这两处弱点", "these twenty weaknesses", "两 = 2; the target has twenty"),  # 处 is a classifier
])
def test_a_loose_number_in_characters_against_a_word_number_gone_wrong(source, target, message):
    assert messages(source, target) == [message]


@pytest.mark.parametrize("source, target", [
    ("九劫剑", "the Tribulations Sword"),  # loose: may go into the wording
    ("他是你九弟", "He is your Eighth brother."),  # an ordinal is another kind
    ("三农问题", "issues of the 3 rural sectors"),  # the same value
    ("三四百斤", "three hundred and forty pounds"),  # an approximation: only digits off by a power of ten
])
def test_a_loose_number_is_not_reported_against_other_numbers(source, target):
    assert messages(source, target) == []


def test_a_section_number_opening_the_segment_must_be_carried():
    assert messages("2.2.1 传递函数", "2.2.1 Transfer function") == []
    assert messages("2.2.1 传递函数", "Transfer function") == ["2.2.1 = 2.2.1; the target does not have it"]
    assert messages("1.完备性", "Complete:") == []  # a one-part list label may go


def test_words_that_share_a_character_with_cheque_numerals_are_not_numbers():
    assert messages("这大陆第一神物", "the first treasure of the continent, nine times over") == []
    assert messages("队伍出发了，走了五天", "The troops set out and marched for five days.") == []


def test_half_a_dozen_and_midnight():
    assert messages("提着六瓶啤酒", "carrying half a dozen bottles of beer") == []
    assert messages("马上就要零点了", "It's 12am soon.") == []


# ---------------------------------------------------------------- what it lets pass

@pytest.mark.parametrize("source, target", [
    ("他们一直在一起，统一了思想", "They have always stood together, united in thought."),
    ("这是一个好主意", "That is a good idea."),
    ("两会期间", "During the NPC and CPPCC sessions"),
    ("十分重要", "very important"),
    ("万一出事", "in case something happens"),
    ("三中全会精神", "the spirit of the plenum"),
    ("两位导演说", "The directors say"),  # counted things may go into the wording
    ("三四百斤", "several hundred pounds"),  # an approximation
    ("六十公斤", "about 130 pounds"),  # a converted unit
    ("2020年和2020年", "in 2020 and that year"),  # one number for a repeated one
    ("1.完备性", "Complete:"),  # a list label
    ("G20峰会", "the Group of Twenty summit"),  # a code
])
def test_words_idioms_paraphrases_and_conventions_are_not_reported(source, target):
    assert messages(source, target) == []


def test_numbers_the_target_adds_are_not_reported():
    assert messages("十三五规划", "the 13th Five-Year Plan (2016-2020)") == []


def test_an_english_source_is_compared_with_a_chinese_target_the_same_way():
    found = list(NumberMismatch().check_segment(1, Segment("68.1 billion", "681亿"), CheckContext()))
    assert found == []
    found = list(NumberMismatch().check_segment(1, Segment("681 billion", "681亿"), CheckContext()))
    assert [(s.side, s.text) for s in found[0].spans] == [("source", "681 billion"), ("target", "681亿")]


def test_run_checks_includes_it():
    found = run_checks([Segment("投资681億元", "681 billion yuan")], [NumberMismatch()])
    assert [f.check for f in found] == ["number-mismatch"]


# ---------------------------------------------------------------- on real translations

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "align-dev"


def gold_segments(corpus: str) -> list[Segment]:
    """The gold beads of an align-dev corpus as segments, Chinese first (aca and mag are en→zh)."""
    from aligned.evaluate import read_beads

    segments = []
    for path in sorted((DEV / corpus / "src").iterdir()):
        src = path.read_text(encoding="utf-8").splitlines()
        tgt = (DEV / corpus / "tgt" / path.name).read_text(encoding="utf-8").splitlines()
        for bead in read_beads(DEV / corpus / "gold" / f"{path.name}.align"):
            if bead.src and bead.tgt:
                a, b = [src[i] for i in bead.src], [tgt[j] for j in bead.tgt]
                segments.append(Segment("".join(a), " ".join(b)) if corpus == "mac-dev"
                                else Segment("".join(b), " ".join(a)))
    return segments


@pytest.mark.skipif(not (DEV / "mag").is_dir(), reason="../shared/data/align-dev is not here")
def test_clean_professional_translations_with_numbers_raise_it_at_most_once_in_fifty():
    from glossary.numerals import read_chinese, read_english

    segments = [s for corpus in ("aca", "mag", "mac-dev") for s in gold_segments(corpus)
                if read_chinese(s.source) or read_english(s.target)]
    fired = sum(bool(findings(s.source, s.target)) for s in segments)
    assert len(segments) > 1000 and fired / len(segments) <= 0.02


def test_two_way_is_not_a_count_so_an_enumerated_three_places_is_fine():
    # 三地 is folded into the list "Beijing, Tianjin and Hebei"; "two-way" counts nothing.
    assert messages("北京、天津、河北三地启动双向挂职交流，挂职期为两年。",
                    "Beijing, Tianjin and Hebei launched two-way official exchanges for two years.") == []
    assert messages("北京、天津、河北三地启动双向挂职交流，挂职期为两年。",
                    "Beijing, Tianjin and Hebei launched two-way official exchanges for three years.") != []


def test_month_ranges_read_both_months_on_both_sides():
    for source in ("1—11月", "1至9月", "1-11月", "1－11月"):
        assert messages(f"{source}增长5%", "up 5% in January-November" if "11" in source
                        else "up 5% in January-September") == [], source
    assert messages("1至9月", "January-October") != []


def test_inline_code_placeholders_are_passed_over():
    assert messages("2013年{1}1月7日{2}", "Jan. {1}7{2}, 2013") == []
    assert messages("2013年{1}1月7日{2}", "Jan. {1}8{2}, 2013") == ["7日 = 7; the target has 8"]
    assert messages("全面{1}深化改革{2}", "Deepen reform{1} comprehensively{2}") == []


def test_a_centenary_is_a_hundred_years():
    assert messages("中国共产党成立100周年", "the centenary of the CPC") == []
    assert messages("建党一百周年", "the 90th anniversary of the Party") != []


# ---------------------------------------------------------------- issue 5: counts and ranges lost in the wording

def severities(source: str, target: str) -> list[tuple[str, str]]:
    return [(f.severity, f.message) for f in findings(source, target)]


@pytest.mark.parametrize("source, target, message", [
    ("他参观了两个监狱。", "He visited prisons.", "两 = 2; the target does not have it"),  # a bare plural
    ("我们比较了三种方法。", "We compared methods.", "三 = 3; the target does not have it"),
    ("他指出了两处明显的弱点。", "He pointed out obvious weaknesses.", "两 = 2; the target does not have it"),
    ("实验室里有三台电脑。", "There were computers in the lab.", "三 = 3; the target does not have it"),
    ("实验室里有三台电脑。", "There was one computer in the lab.", "三 = 3; the target has one"),
])
def test_a_small_count_whose_noun_the_english_has_without_it_is_a_warning(source, target, message):
    assert severities(source, target) == [("warning", message)]


@pytest.mark.parametrize("source, target", [
    ("他参观了两个监狱。", "He visited two prisons."),
    ("他参观了两个监狱。", "He visited the prisons."),  # definite: the context may have counted them
    ("他拿出两本书。", "He took out his books."),
    ("这两种方法都有缺点。", "Such methods have drawbacks."),  # after a demonstrative
    ("两人坐了下来。", "They sat down."),  # rendered otherwise
    ("两人坐了下来。", "The men sat down."),
    ("实验室里有一台电脑。", "There was a computer in the lab."),  # a lone 一 is no number
    ("我们比较了三种方法。", "We compared three methods."),
    ("中日韩三国政策对话机制", "dialogue mechanisms among China, Japan and the ROK"),  # 三国 counts countries
])
def test_a_count_folded_into_the_wording_is_not_reported(source, target):
    assert messages(source, target) == []


@pytest.mark.parametrize("source, target, expected", [
    ("他们等了三四个小时。", "They waited for three hours.", [("warning", "三四 = 3 or 4; the target has three")]),
    ("门口站着八九个人", "eight or people stood at the door", [("warning", "八九 = 8 or 9; the target has eight")]),
    ("门口站着八九个人", "eighty or nine people stood at the door", [("error", "八九 = 8 or 9; the target has eighty")]),
    ("过了一两天", "after twenty days or so", [("error", "一两 = 1 or 2; the target has twenty")]),
])
def test_a_range_with_one_end_lost_or_changed(source, target, expected):
    assert severities(source, target) == expected


@pytest.mark.parametrize("source, target", [
    ("他们等了三四个小时。", "They waited for three or four hours."),
    ("他们等了三四个小时。", "They waited for three hours or so."),  # marked rough
    ("过了一两天", "after a day or two"),  # 一 as "a"
    ("过了一两天", "after a couple of days"),
    ("卖个三四千块", "sell it for three or four thousand"),  # the scale word is shared
])
def test_a_range_rendered_as_a_range_or_roughly_is_fine(source, target):
    assert messages(source, target) == []


def test_a_count_does_not_pair_with_one_end_of_an_english_approximation():
    source = "两个人抬着桌子，只动了一两样菜"
    assert messages(source, "two women carried the table; only one or two dishes were touched") == []
    assert messages(source, "nine women carried the table; only one or two dishes were touched") == [
        "两 = 2; the target has nine"]
    assert messages("比他大两岁", "a year or two older than him") == []  # a measure may be hedged


@pytest.mark.parametrize("source, target, message", [
    ("四十年来", "for forty decades", "四十 = 40; the target has forty decades"),  # 40 years, not 40 decades
    ("增长百分之五", "grew by ten percent", "百分之五 = 5%; the target has ten percent"),  # no such rounding
    ("增长22%", "grew by twenty percent", "22% = 22%; the target has twenty percent"),  # words do not round
    ("频率约为75 GHz", "a frequency of about 70 GHz", "75 = 75; the target has 70"),  # a half rounds up
    ("如图1.5所示", "as shown in Figure 1.0", "1.5 = 1.5; the target has 1.0"),  # references never round
    ("见图1.1和表1.1", "see Figure 1.1 and the table", "1.1 = 1.1; the target does not have it"),
    ("孔径约2m2", "an aperture of about 0.2 m2", "2 = 2; the target has 0.2"),  # codes pair with codes
    ("3K眼镜", "thirty-K glasses", "3 = 3; the target has thirty"),  # a code ten times off
    ("有3种机制：①隔离；②耐受。", "thirty processes: (1) sequestration; and (2) tolerance.",
     "3 = 3; the target has thirty"),  # (1) and (2) are labels, not quantities
    ("第三章 叙述", "Narration", "第三 = 3rd; the target does not have it"),  # a chapter keeps its number
])
def test_pairing_and_rounding_that_no_longer_hide_a_change(source, target, message):
    assert messages(source, target) == [message]


@pytest.mark.parametrize("source, target", [
    ("二十年来", "for two decades"),
    ("四十年来", "for four decades"),
    ("频率约为75 GHz", "a frequency of about 80 GHz"),
    ("见图1.1和表1.1", "see Figure 1.1 and Table 1.1"),
    ("孔径约2m2", "an aperture of about 2 m2"),
    ("3K眼镜", "Three-K glasses"),
    ("二十国集团（G20）峰会", "the G20 summit"),  # the name and its code, one number
    ("有3种机制：①隔离；②耐受。", "three processes: (1) sequestration; and (2) tolerance."),
    ("第三章 叙述", "Chapter 3 Narration"),
    ("第一，要坚持改革。", "Primarily, we must persist with reform."),  # 第一 as "primarily"
    ("第一次来北京", "came to Beijing for the first time"),
    ("三心二意", "half-hearted"),
    ("推进一带一路建设", "advance the Belt and Road Initiative"),
    ("他们一起去了一些地方", "they went to some places together"),
    ("十八大以来", "since the 18th CPC National Congress"),
    ("在中国现有50万人染上这种病毒", "Half a million Chinese are now infected"),
    ("十年的研究", "the decade-long study"),
    ("拉普拉斯变换为1", "the Laplace transform is unity"),
    ("两亩薄田", "a half-acre of poor land"),  # another system of units
    ("这次才花了一两银子", "This time it cost only a tael of silver"),
])
def test_more_renderings_that_are_not_reported(source, target):
    assert messages(source, target) == []


def test_a_lost_count_is_found_the_other_way_round_too():
    found = list(NumberMismatch().check_segment(1, Segment("He visited prisons.", "他参观了两个监狱。"), CheckContext()))
    assert [(f.severity, [(s.side, s.text) for s in f.spans]) for f in found] == [("warning", [("target", "两")])]


# ---------------------------------------------------------------- a count gone wrong, seen in the wording

@pytest.mark.parametrize("source, target, message", [
    ("三位代表出席了会议。", "The one delegates attended the meeting.", "三 = 3; the target has one"),
    ("桌上摆着四盘菜。", "On the table were one dishes.", "四 = 4; the target has one"),
    ("这里二人又谈了一会儿。", "Here one women talked a while longer.", "二 = 2; the target has one"),
    ("轿子由四人抬着。", "The chair was carried by one bearers.", "四 = 4; the target has one"),
])
def test_one_before_a_plural_noun_is_a_count_gone_wrong(source, target, message):
    assert messages(source, target) == [message]


@pytest.mark.parametrize("source, target", [
    ("三位代表出席了会议。", "No one knows why the delegates came."),  # "one" the pronoun
    ("三位代表出席了会议。", "Three delegates attended; one thinks more will come."),
    ("两位专家发言。", "Two experts spoke, one after another."),
    ("他们一家三口选了孩子们最喜欢的那辆车。", "The family chose the one children liked best."),
    ("他在乡下住了三年。", "He knows how it is as one lives in the country for three years."),
])
def test_one_as_a_pronoun_is_not_a_count(source, target):
    assert messages(source, target) == []


def test_a_multiple_against_any_multiple_left_over():
    assert messages("速度快六倍。", "It is six times faster.") == []
    assert messages("速度快六倍。", "It is ten times faster.") == ["六倍 = 6 times; the target has ten times"]


def test_a_small_loose_number_whose_word_was_swapped():
    assert messages("他定下十条规矩。", "He laid down ten rules.") == []
    assert messages("他定下十戒。", "He laid down the Seven Commandments.") == ["十 = 10; the target has Seven"]


@pytest.mark.parametrize("source, target", [
    ("他们租了一套两居室的房子。", "They rented a modest -bedroom flat."),
    ("车身按3-4-3布局。", "The cabin has a 3-4- layout."),
    ("两人又吵了起来。", "The of them quarrelled again."),
    ("粮食够两人吃一个月。", "There was food enough for of us for a month."),
    ("2.传递函数与输入无关。", ". The transfer function does not depend on the input."),
])
def test_the_trace_of_a_deleted_number_is_reported(source, target):
    assert [f.severity for f in findings(source, target)] == ["warning"]


@pytest.mark.parametrize("source, target", [
    ("他们租了一套两居室的房子。", "They rented a modest two-bedroom flat."),
    ("至少有两家公司为零售商提供技术。", "At least two companies -LivePerson among them - serve retailers."),
    ("总算他记得茅十八的教训。", "He remembered the grip-o'-the-hand that Mao had taught him."),
    ("没有数字。", "The of them quarrelled."),  # broken English, but no number lost
    ("三种债券。", "They issued 5- and 10-year bonds of three kinds."),  # a suspended hyphen
    ("三个选项。", "See the -h option for the three choices."),
    ("三个基团。", "An -OH group and three others."),
    ("三人同意。", "The three agreed -reluctantly."),
])
def test_no_trace_or_no_number_lost_is_no_finding(source, target):
    assert messages(source, target) == []


def test_a_bare_plural_after_a_number_with_a_comma_is_still_bare():
    # "1997," is a year and a comma: "young actors" has no number before it
    assert [f.severity for f in findings("1997年10月，三位年轻演员走进森林。",
                                         "In October 1997, young actors went into the woods.")] == ["warning"]


def test_latin_plurals_are_plurals():
    assert [f.severity for f in findings("这些边连接两个不同的顶点。",
                                         "Edges connect different vertices.")] == ["warning"]


def test_one_or_two_in_both_languages_is_fine():
    assert messages("每条边有一个或两个顶点与它相连。", "Each edge has one or two vertices associated with it.") == []


@pytest.mark.parametrize("word", ["零售商", "零星", "零件", "零部件", "零钱"])
def test_words_made_with_ling_are_not_zero(word):
    from glossary.numerals import read_chinese
    assert read_chinese(f"这里有{word}。") == []
