"""Sentence splitting: given this text, a translator gets these segments.

The example sentences are written for these tests (governance news vocabulary).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from aligned.split import flatten, presplit, split_document, split_en, split_zh

ALIGN_DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "align-dev"


def sentences(paragraphs):
    return flatten(paragraphs)[0]


# ---------------------------------------------------------------------------
# Chinese sentences

def test_zh_splits_after_full_stop_exclamation_question_semicolon_and_ellipsis():
    text = ("省委召开全会。会议听取了工作报告！改革能否落地？关键在于落实；"
            "各级干部要敢于担当……群众的期待很高。")
    assert split_zh(text) == [[
        "省委召开全会。", "会议听取了工作报告！", "改革能否落地？", "关键在于落实；",
        "各级干部要敢于担当……", "群众的期待很高。",
    ]]


def test_zh_repeated_punctuation_stays_with_its_sentence():
    text = "这项政策真的能执行吗？！代表们议论纷纷。。。会议继续进行。"
    assert split_zh(text) == [["这项政策真的能执行吗？！", "代表们议论纷纷。。。", "会议继续进行。"]]


def test_zh_closing_quotes_and_brackets_stay_with_the_sentence_they_end():
    text = "「发展是第一要务。」这是共识。（会议由市长主持。）下午闭幕。『成绩来之不易！』"
    assert split_zh(text) == [[
        "「发展是第一要务。」", "这是共识。", "（会议由市长主持。）", "下午闭幕。", "『成绩来之不易！』",
    ]]


def test_zh_quotation_of_two_sentences_is_not_split_and_the_sentence_ends_after_the_quote():
    text = "他说：“我们要争取中央资金。我们一定能完成任务。”然后离开了会场。"
    assert split_zh(text) == [["他说：“我们要争取中央资金。我们一定能完成任务。”", "然后离开了会场。"]]


def test_zh_quotation_of_three_sentences_or_more_is_split_like_prose():
    text = "书记强调：“要稳增长。要促改革。要惠民生。”会议随后结束。"
    assert split_zh(text) == [["书记强调：“要稳增长。", "要促改革。", "要惠民生。”", "会议随后结束。"]]


def test_zh_quotation_that_never_closes_does_not_swallow_the_paragraph():
    text = "发言人说：“驻京办将全部撤销。有关人员另行安排。相关工作年底前完成。"
    assert split_zh(text) == [["发言人说：“驻京办将全部撤销。", "有关人员另行安排。", "相关工作年底前完成。"]]


def test_zh_short_attribution_stays_with_the_quote():
    text = "“今年的预算必须压缩。”财政部负责人表示。“能否按期完成？”记者问。会议持续两天。"
    assert split_zh(text) == [[
        "“今年的预算必须压缩。”财政部负责人表示。", "“能否按期完成？”记者问。", "会议持续两天。",
    ]]


def test_zh_no_split_before_a_continuing_comma_or_inside_a_stammering_quote():
    assert split_zh("粮食、棉花、油料……，都要保障供应。") == [["粮食、棉花、油料……，都要保障供应。"]]
    assert split_zh("他答道：“这个……这个还要研究。”") == [["他答道：“这个……这个还要研究。”"]]


def test_zh_titles_in_guillemets_are_never_split():
    text = "电视剧《奋斗吧！青年》在全国热播。观众反响强烈。"
    assert split_zh(text) == [["电视剧《奋斗吧！青年》在全国热播。", "观众反响强烈。"]]


def test_zh_half_width_punctuation_after_han_text_ends_a_sentence():
    text = "会议指出,要加强领导!各部门要落实责任;绝不含糊?Yes!这不算句末"
    assert split_zh(text) == [["会议指出,要加强领导!", "各部门要落实责任;", "绝不含糊?", "Yes!这不算句末"]]


def test_zh_decimals_are_not_boundaries():
    text = "全市常住人口达到3.29亿。增速为7.5%。"
    assert split_zh(text) == [["全市常住人口达到3.29亿。", "增速为7.5%。"]]


# ---------------------------------------------------------------------------
# Lines, paragraphs, headings and list items

def test_zh_one_paragraph_per_line_when_the_document_has_no_blank_line():
    text = "国务院召开常务会议\n会议研究了地方政府债务问题。会议要求各地严控新增债务。\n会议决定推进简政放权"
    assert split_zh(text) == [
        ["国务院召开常务会议"],
        ["会议研究了地方政府债务问题。", "会议要求各地严控新增债务。"],
        ["会议决定推进简政放权"],
    ]


def test_zh_blank_lines_separate_paragraphs_and_wrapped_lines_are_joined_without_space():
    text = ("中央经济工作会议在北京举行\n\n"
            "会议认为，今年经济运行总体平稳，结构调整取得新进展，各\n"
            "项改革稳步推进。明年要继续实施积极的财政政策。\n\n"
            "会议强调，要切实改进作风。\n")
    assert split_zh(text) == [
        ["中央经济工作会议在北京举行"],
        ["会议认为，今年经济运行总体平稳，结构调整取得新进展，各项改革稳步推进。",
         "明年要继续实施积极的财政政策。"],
        ["会议强调，要切实改进作风。"],
    ]


def test_zh_headings_and_list_items_are_their_own_paragraphs():
    text = ("关于深化行政体制改革的意见\n"
            "为加快转变政府职能，提高行政效能，建设人民满意的服务型政府，现提出如下意见。\n\n"
            "一、总体要求\n"
            "（一）指导思想\n"
            "坚持以人民为中心的发展思想，推进国家治理体系和治理能力现代化。\n"
            "（二）基本原则。坚持依法行政。坚持简政放权。\n"
            "1. 精简审批事项。\n"
            "2、规范中介服务。\n")
    assert split_zh(text) == [
        ["关于深化行政体制改革的意见"],
        ["为加快转变政府职能，提高行政效能，建设人民满意的服务型政府，现提出如下意见。"],
        ["一、总体要求"],
        ["（一）指导思想"],
        ["坚持以人民为中心的发展思想，推进国家治理体系和治理能力现代化。"],
        ["（二）基本原则。", "坚持依法行政。", "坚持简政放权。"],
        ["1. 精简审批事项。"],
        ["2、规范中介服务。"],
    ]


def test_en_heading_over_a_wrapped_paragraph_and_list_items():
    text = ("Provinces told to close liaison offices\n"
            "The General Office of the State Council told provincial governments on\n"
            "Tuesday to close their liaison offices in Beijing. It gave them six months.\n\n"
            "The notice sets out three steps:\n"
            "1. Offices of county-level governments close first.\n"
            "2. Offices of prefecture-level cities follow.\n")
    assert split_en(text) == [
        ["Provinces told to close liaison offices"],
        ["The General Office of the State Council told provincial governments on Tuesday "
         "to close their liaison offices in Beijing.", "It gave them six months."],
        ["The notice sets out three steps:"],
        ["1. Offices of county-level governments close first."],
        ["2. Offices of prefecture-level cities follow."],
    ]


def test_crlf_bom_and_lf_give_the_same_segments():
    zh = "省政府召开新闻发布会\n\n发布会介绍了改革进展。下一步将扩大试点。\n"
    en = "Province briefs press\n\nThe briefing covered reform. Pilots will widen.\n"
    for text, split in ((zh, split_zh), (en, split_en)):
        expected = split(text)
        assert split(text.replace("\n", "\r\n")) == expected
        assert split("\ufeff" + text.replace("\n", "\r\n")) == expected
        assert split(text.replace("\n", "\r")) == expected
    assert split_zh(zh) == [["省政府召开新闻发布会"], ["发布会介绍了改革进展。", "下一步将扩大试点。"]]


@pytest.mark.parametrize("text", ["", "\n", "  \n\u3000\n", "\r\n\r\n"])
def test_empty_input_gives_no_paragraphs(text):
    assert split_zh(text) == []
    assert split_en(text) == []
    assert split_document(text, "zh") == []


def test_indented_chinese_paragraphs_lose_their_ideographic_spaces():
    assert split_zh("\u3000\u3000会议由省长主持。\n\u3000\u3000会议审议了规划。") == [
        ["会议由省长主持。"], ["会议审议了规划。"]]


# ---------------------------------------------------------------------------
# English sentences

def test_en_abbreviations_dates_and_addresses_do_not_end_sentences():
    text = ("The U.S. delegation arrived in Beijing on Jan. 7, 2013. "
            "It met officials at No. 80 West Chang'an Avenue. "
            "Dr. Zhang and Mr. Liu opened the talks at 9 a.m. on Monday. "
            "They ended at 5 p.m. The next round is set for March.")
    assert split_en(text) == [[
        "The U.S. delegation arrived in Beijing on Jan. 7, 2013.",
        "It met officials at No. 80 West Chang'an Avenue.",
        "Dr. Zhang and Mr. Liu opened the talks at 9 a.m. on Monday.",
        "They ended at 5 p.m.",
        "The next round is set for March.",
    ]]


def test_en_decimals_do_not_end_sentences():
    text = "The city added 3.29 million residents. Its output grew 7.5 percent in 2012."
    assert split_en(text) == [["The city added 3.29 million residents.",
                               "Its output grew 7.5 percent in 2012."]]


def test_en_quotations_stay_whole():
    text = ('The minister said: "We must cut red tape. Local governments will comply." '
            'Then he left. "Reform will continue," he said. '
            '"Can the target be met?" Wang asked. Nobody answered.')
    assert split_en(text) == [[
        'The minister said: "We must cut red tape. Local governments will comply."',
        "Then he left.",
        '"Reform will continue," he said.',
        '"Can the target be met?" Wang asked.',
        "Nobody answered.",
    ]]


def test_en_post_pass_repairs_what_sentencex_splits_wrongly():
    assert split_en("The group was led by Ms. Li Bin. She briefed Amb. Cui.") == [
        ["The group was led by Ms. Li Bin.", "She briefed Amb. Cui."]]
    assert split_en("Voting began at 10 a.m. Beijing time on Friday. It closed at noon.") == [
        ["Voting began at 10 a.m. Beijing time on Friday.", "It closed at noon."]]
    assert split_en("1. Streamline approvals.") == [["1. Streamline approvals."]]
    assert split_en("Shipments of 150 lbs. or more need a permit. Few apply.") == [
        ["Shipments of 150 lbs. or more need a permit.", "Few apply."]]


def test_en_one_paragraph_per_line_when_the_document_has_no_blank_line():
    text = "NPC opens annual session\nThe session opened on March 5. It will last ten days."
    assert split_en(text) == [["NPC opens annual session"],
                              ["The session opened on March 5.", "It will last ten days."]]


# ---------------------------------------------------------------------------
# Dispatch

def test_split_document_dispatches_on_language():
    assert split_document("会议开幕。会议闭幕。", "zh") == [["会议开幕。", "会议闭幕。"]]
    assert split_document("会议开幕。会议闭幕。", "zh-Hans") == [["会议开幕。", "会议闭幕。"]]
    assert split_document("It opened. It closed.", "en_US") == [["It opened.", "It closed."]]
    with pytest.raises(ValueError, match="unsupported language"):
        split_document("Es beginnt.", "de")


# ---------------------------------------------------------------------------
# Pre-split input and flattening

def test_presplit_sentence_numbers_are_line_numbers_even_with_an_empty_line():
    text = "全会在北京举行。\n会议由中央政治局主持。\n\n全会审议通过了决定。这句不再切分。\n"
    paragraphs = presplit(text)
    assert paragraphs == [["全会在北京举行。", "会议由中央政治局主持。", ""],
                          ["全会审议通过了决定。这句不再切分。"]]
    sents, numbers = flatten(paragraphs)
    assert sents == [line.strip() for line in text.splitlines()]
    assert numbers == [0, 0, 0, 1]


def test_presplit_handles_crlf_bom_missing_final_newline_and_empty_input():
    assert presplit("\ufeffOne.\r\n  Two.  \r\n\r\nThree.") == [["One.", "Two.", ""], ["Three."]]
    assert presplit("\n\nOne.\n") == [["", "", "One."]]
    assert presplit("") == []


def test_flatten_gives_sentences_and_paragraph_numbers():
    assert flatten([["a", "b"], ["c"], ["d", "e"]]) == (["a", "b", "c", "d", "e"], [0, 0, 1, 2, 2])
    assert flatten([]) == ([], [])


@pytest.mark.skipif(not ALIGN_DEV.is_dir(), reason="../shared/data/align-dev is absent")
def test_presplit_numbers_match_the_gold_alignment_ids():
    for gold in sorted(ALIGN_DEV.glob("*/gold/*.align")):
        corpus, name = gold.parent.parent, gold.stem
        counts = []
        for side in ("src", "tgt"):
            counts.append(len(flatten(presplit((corpus / side / name).read_text("utf-8")))[0]))
        highest = [-1, -1]
        for line in gold.read_text("utf-8").splitlines():
            for side, ids in enumerate(line.split(":")):
                for number in re.findall(r"\d+", ids):
                    highest[side] = max(highest[side], int(number))
        assert highest[0] < counts[0] and highest[1] < counts[1], gold
