"""number-mismatch: a number of the Chinese source that the English target lacks or gets wrong.

Both sides are read with :mod:`glossary.numerals` (``681億`` = 68,100,000,000 =
``68.1 billion``; ``2013年1月7日`` = ``Jan 7, 2013`` part by part; ``百分之五`` = ``5%``;
``第十八届`` = ``18th``…). Source and target numbers are paired one to one, as many as
possible (:func:`pair`), when one of their values (:attr:`Number.values`) is equal, or when
the target is the source *rounded* (:func:`rounds`): less precise than the source, within half
its last digit (a half rounded up), and written as a rounded number: with a scale word (``6.8
billion`` for ``68.14亿``), decimals, as a percentage in digits, or marked approximate (``about
1,350`` for 1,347). Years, dates, ordinals, multiples, references and codes are never rounded.
Codes pair with codes first (the 2 of ``m2`` with the 2 of ``m2``), a firm number with one of its
kind next (增长了一倍 with "doubled" before "one"); a count with a classifier (两个人) never pairs
with one end of an English approximation ("one or two"), a list label ``(3)`` never with a
quantity, and ``四十年`` is four decades, not forty.

What is left over is reported (:func:`mismatches`) only where the evidence is clear, so that
clean translations rarely raise it; one finding per source number, in source order:

* beside a target number left over that looks like the source number gone wrong (:func:`related`): off by a
  power of ten (681 billion or 68.1 million for 681億) or one digit changed or two swapped
  (1,800 for 1,300; 2014 for 2013年): ``681億 = 68.1 billion; the target has 681 billion``,
  spans on both sides. A counted source number (三个孩子, :func:`counted`), however small,
  counts against any target number of its kind left over (``three children`` → ``four``), and so
  does a multiple (六倍, "ten times"); a "one" right before a plural noun ("the one women") is
  read as a count, not as the pronoun or article "one" usually is (:func:`firm_ones`). A
  loose source number in characters (两处, 九重, no classifier read) counts against a target of
  its kind off by a power of ten or, in words, one digit changed or one small number word for
  another (nine → ninety, two → nine, ten → seven);
  an approximate one (三四百) or one in another system of units only against a target in digits
  off by a power of ten (a range also against words ten times off: 一两天, "a day or twenty"); a
  code (3K眼镜) against a target off by a power of ten;
* any other prominent source number (:func:`prominent`; a section number such as ``1.2``
  opening the segment is one, and so is a chapter or article, 第三章) left over:
  ``2200万 = 22 million; the target does not have it``, a span on the source side, or, if it is
  the only firm number left over on both sides, ``30 = 30; the target has 45``;
* list labels opening both sides that differ (``3.`` and ``9.``).

Reported as warnings (:func:`dropped_counts`), where the numbers alone do not tell:

* a small counted number (两个, 三种, 四位) left over whose noun the English has, found with
  CC-CEDICT, as a *bare plural*: 两个监狱 → "jails" (the count is lost; a definite phrase, "the
  directors", "these points", "its founders", may stand for a count the context has given), or
  after a spare "one": 三颗卫星 → "one satellite". Not after a demonstrative (这两种因素 →
  "a combination of … factors"), nor for a count the English renders otherwise ("they", "neither",
  "each other") or whose noun it does not have. The noun is the classifier when that is one (两组
  "groups", 两人 "people"), and the words after it up to a break or a verb that is not a modifier;
* a number of the source left unpaired where the English shows the trace of a deleted word: a
  compound that has lost its first element ("a -bedroom flat", "3-4- layout"), "the" or a
  preposition stranded before "of" or a conjunction ("the of them", "food for of us"), or a
  list label reduced to its full stop (". The transfer function");
* one end of a range in characters (八九, 三四点) that the English lacks while it has the other
  end (eight or nine → "eight"), except 一两 rendered with "a" ("a day or two", "a couple"), and a
  range the English marks as rough ("three days or so").

Tolerated: a source number whose value the target has anyway for a number of the same kind and
unit (2020年 written twice, one 2020 in English), or for the code right after it (二十国集团
（G20）); a quantity of length, weight, area or volume when the target has one in another system
of units (六十公斤, "130 pounds"); numbers the target adds; small counted numbers in characters
that translators fold into the wording (两位导演, "the directors"), as long as the target has no
number of their kind left over and no bare plural or "one" for what they count; loose numbers
(see :mod:`glossary.numerals`). A segment whose source holds no Chinese while its target does is
read the other way round, with the same rules.
"""
from __future__ import annotations

import functools
import math
import re
from dataclasses import replace
from typing import Iterable

from glossary.english import singular
from glossary.normalize import fold_width, has_han, to_simplified_aligned
from glossary.numerals import (MEASURES, PERIOD_UNITS, UNIT_SYSTEMS, Number, english_form, read_chinese,
                               read_english)
from tm.bilingual import Segment
from tm.checks import CheckContext, Finding, SegmentCheck, Span, register

_EXACT = 1e-9
_UNROUNDED = ("year", "month", "day", "ordinal", "multiple", "decade", "century", "time")
#: Classifiers after an ordinal that make it a reference a translation keeps: 第三章 is Chapter 3.
_REFERENCES = frozenset("章 节 条 款 项 卷 册 篇 回 集 课 幕 部分 编 页".split())


def _equal(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=_EXACT, abs_tol=_EXACT)


def same(source: Number, target: Number) -> bool:
    """True if one value of ``source`` equals one value of ``target`` and the kinds agree
    (a month is not a day: 11月11日 needs both November and 11; a reference number is not a word)."""
    if source.kind != target.kind and {source.kind, target.kind} <= {"month", "day"}:
        return False
    words = [n for n in (source, target) if n.written == "words"]
    if words and words[0].kind == "cardinal" and {source.written, target.written} & {"label", "heading"}:
        return False  # Figure 1 is not "one" (but Chapter 3 is 第三章)
    if counted(source) and source.unit not in MEASURES and not source.approximate and _either(target):
        return False  # 两个人 is not the two of "one or two" (but 两岁 may be "a year or two")
    if "heading" in (source.written, target.written) and (source.unit or target.unit):
        return False  # 3种 is not the list label (3)
    if target.unit in PERIOD_UNITS and source.unit in ("年", "周年"):  # 四十年 is four decades, not forty
        return any(_equal(a, target.value) for a in source.values)
    return any(_equal(a, b) for a in source.values for b in target.values)


def _either(number: Number) -> bool:
    """An English number in words that is one end of an approximation ("one or two", "several hundred"):
    not firm, yet neither a lone "one" nor a word like "both"."""
    return number.written == "words" and not number.firm and number.kind == "cardinal" and number.value >= 2 \
        and number.text.split()[0].split("-")[0].lower() in _NUMBER_WORDS


def rounds(source: Number, target: Number) -> bool:
    """True if ``target`` is ``source`` rounded, and written as a rounded number (see the module)."""
    if source.kind in _UNROUNDED or target.kind in _UNROUNDED or \
            {source.written, target.written} & {"label", "heading", "code"}:
        return False  # nor are references (Figure 1.0 is not 图1.5), list labels and codes
    says_so = (target.scaled or target.approximate or source.approximate or "." in target.text
               or target.kind == "percent" and target.written == "digits")  # not "twenty percent" for 22%
    if not says_so or target.precision <= source.precision:
        return False
    # within half the last digit, a half rounded up (15 is "about 20", 75 is not "~70"), and not so far
    # that nobody would round so (5% is not "ten percent")
    half = min(target.precision / 2, target.value / 3)
    return any(-half * (1 - _EXACT) < target.value - value <= half * (1 + _EXACT) for value in source.values)


def related(source: Number, target: Number, slips: bool = True) -> bool:
    """True if ``target`` looks like ``source`` gone wrong: off by a power of ten (681 billion,
    68.1 million for 681億) or, with ``slips``, one digit changed or two swapped (1,800 or 3,100
    for 1,300)."""
    for a in source.values:
        for b in target.values:
            if a and b:
                power = math.log10(b / a)
                if abs(power - round(power)) < 1e-9 and round(power) != 0:
                    return True
            if slips and _digit_slip(a, b):
                return True
    return False


def _digits(value: float) -> str:
    return f"{value:.6g}".replace(".", "").lstrip("0") if value < 1e6 else f"{value:.6e}".split("e")[0]


def _digit_slip(a: float, b: float) -> bool:
    if _equal(a, b) or not a or not b or math.floor(math.log10(a)) != math.floor(math.log10(b)):
        return False
    x, y = _digits(a), _digits(b)
    if len(x) != len(y):
        return False
    differ = [i for i in range(len(x)) if x[i] != y[i]]
    return len(differ) == 1 or len(differ) == 2 and differ[1] == differ[0] + 1 and \
        x[differ[0]] == y[differ[1]] and x[differ[1]] == y[differ[0]]


def _word_swap(source: Number, target: Number) -> bool:
    """True if both are small whole numbers of one word each (ten for 十 became "seven"): a slip of
    the word, like one digit changed."""
    return source.written == target.written == "words" and " " not in target.text.strip() and \
        not _equal(source.value, target.value) and all(
            1 <= n.value <= 12 and float(n.value).is_integer() for n in (source, target))


def prominent(number: Number) -> bool:
    """True if a translation must show the number even where nothing else stands for it: digits,
    a value of ten or more, a measured quantity (三年, 五公里), a percentage, fraction, date or time;
    not 两位 or 第三 in characters, which translators may fold into the wording (两位导演 "the directors")."""
    if number.approximate and number.alternatives and number.written == "words":
        return False  # 三四百斤 may be "several hundred pounds"
    return number.written in ("digits", "label") or number.written == "heading" and number.firm or \
        number.value >= 10 or \
        number.kind == "cardinal" and number.unit in MEASURES or \
        number.kind == "ordinal" and number.unit in _REFERENCES or \
        number.kind in ("percent", "fraction", "year", "month", "day", "decade", "century", "time")


def counted(number: Number) -> bool:
    """True for a cardinal in characters with a classifier (三个, 两位)."""
    return number.kind == "cardinal" and number.firm and number.written == "words" and bool(number.unit)


def pair(source: list[Number], target: list[Number]) -> dict[int, int]:
    """A one-to-one pairing, source index → target index, of as many numbers as possible: equal
    values of the same sort first (a percentage with a percentage), then any equal values, then
    rounding; firm source numbers before loose ones. Each stage is a maximum bipartite matching
    that keeps what the stage before paired, so that ``三四百`` taking 300 cannot rob a later 300."""
    matched: dict[int, int] = {}  # target index → source index

    def augment(i: int, edges, seen: set[int]) -> bool:
        for j in edges(i):
            if j in seen:
                continue
            seen.add(j)
            if j not in matched or augment(matched[j], edges, seen):
                matched[j] = i
                return True
        return False

    def codes(i: int):  # the 2 of m2 with the 2 of m2, before 2 takes it
        return [j for j, t in enumerate(target) if source[i].written == t.written == "code" and same(source[i], t)]

    def kin(i: int):  # a firm number with its kind first: 一倍 (×2) with "doubled" before "one"
        return [j for j, t in enumerate(target)
                if source[i].firm and same(source[i], t) and source[i].kind == t.kind]

    def alike(i: int):  # 30% with 30%, not with 30岁
        return [j for j, t in enumerate(target)
                if same(source[i], t) and (source[i].kind == "percent") == (t.kind == "percent")]

    def exact(i: int):
        return [j for j, t in enumerate(target) if same(source[i], t)]

    def loose(i: int):
        return [j for j, t in enumerate(target) if same(source[i], t) or rounds(source[i], t)]

    firm_first = sorted(range(len(source)), key=lambda i: not source[i].firm)
    for edges in (codes, kin, alike, exact, loose):
        taken = set(matched.values())
        for i in firm_first:
            if i not in taken:
                augment(i, edges, set())
    return {i: j for j, i in matched.items()}


def mismatches(source: list[Number], target: list[Number]) -> list[tuple[Number, Number | None]]:
    """The source numbers to report, each with the target number it was likely rendered as
    (or None): the rules of the module, in source order."""
    return _compare(source, target)[0]


def _compare(source: list[Number], target: list[Number]) -> tuple[list[tuple[Number, Number | None]], list[Number],
                                                                   dict[int, int]]:
    """:func:`mismatches`; the firm source numbers left over that the target has in no form but that
    are not prominent enough to report on the numbers alone (三个, 两位); and :func:`pair`."""
    pairs = pair(source, target)
    paired_with = {j: source[i] for i, j in pairs.items()}
    spare = [t for j, t in enumerate(target) if j not in pairs.values() and t.written != "code"]
    systems = {UNIT_SYSTEMS[t.unit] for t in target if t.unit in UNIT_SYSTEMS}
    found: list[tuple[Number, Number | None]] = []
    unrelated = []
    for i, s in enumerate(source):
        if i in pairs:
            continue
        if s.written == "code":  # 3K眼镜, "thirty-K glasses": only a target off by a power of ten
            partner = next((t for t in spare if t.firm and t.kind == s.kind and s.value >= 1 and
                            related(s, t, slips=False)), None)
            if partner is not None:
                spare.remove(partner)
                found.append((s, partner))
            continue
        converted = s.unit in UNIT_SYSTEMS and systems - {UNIT_SYSTEMS[s.unit]}  # 六十公斤 → 130 pounds
        strong = s.firm and not converted and not (s.approximate and s.alternatives and s.written == "words")
        partner = None
        if s.written == "heading":  # 3. opening both sides: the same list item
            partner = next((t for t in spare if t.written == "heading" and not same(s, t)), None)
        if partner is None and strong:
            partner = next((t for t in spare if t.firm and related(s, t)), None)
            if partner is None and (counted(s) or s.kind == "multiple"):
                # 三个孩子, "four children"; 六倍, "ten times": any number of its kind left over
                partner = next((t for t in spare if t.firm and t.kind == s.kind and t.written in ("digits", "words")),
                               None)
        elif partner is None and s.written == "words" and not s.approximate and not converted:
            # 两处, 九重, 三面墙 without a classifier read: a target left over of its kind off by a power of
            # ten or, in words, one digit changed (nine → ninety, two → nine)
            partner = next((t for t in spare if t.firm and t.kind == s.kind and
                            (related(s, t, slips=t.written == "words") or _word_swap(s, t))), None)
        elif partner is None:  # 三四百, 六十公斤: only a target off by a power of ten, in digits or, for a
            # range, in words ("a day or twenty" for 一两天)
            partner = next((t for t in spare if related(s, t, slips=False) and (
                t.written != "words" or s.alternatives and t.firm and any(
                    _equal(abs(math.log10(t.value / v)), 1) for v in s.values if v and t.value))), None)
        if partner is not None:
            spare.remove(partner)
            found.append((s, partner))
        elif s.firm and not converted and not any(
                same(s, t) and (j not in paired_with or (paired_with[j].kind, paired_with[j].unit) == (s.kind, s.unit)
                                or paired_with[j].written == t.written == "code"
                                and abs(paired_with[j].start - s.end) <= 8)
                for j, t in enumerate(target)):
            # 2020年…2020年 for one 2020 is fine, and 二十国集团（G20） for "G20" (the code right after it);
            # 三件 and 三英尺 for one "three" is not
            unrelated.append(s)
    spare = [t for t in spare if t.firm]
    for s in (s for s in unrelated if prominent(s)):
        found.append((s, spare[0] if len(unrelated) == 1 and len(spare) == 1 else None))
    found.sort(key=lambda item: item[0].start)
    return found, [s for s in unrelated if not prominent(s)], pairs


# ---------------------------------------------------------------- a count dropped from the English

#: What a classifier that is itself a noun counts: 两组 "two groups", 三种 "three kinds", 两人 "two people".
_CLASSIFIER_NOUNS = {unit: frozenset(nouns.split()) for unit, nouns in {
    "组": "group set", "类": "class category kind type", "种": "kind type sort species class variety way form", "章": "chapter",
    "节": "section lesson", "步": "step pace", "代": "generation", "点": "point", "层": "layer floor level storey",
    "句": "sentence line", "页": "page", "轮": "round", "届": "session term", "项": "item", "处": "place point spot",
    "副": "pair set", "双": "pair", "对": "pair couple", "批": "batch", "队": "team", "排": "row", "行": "line row",
    "段": "section paragraph passage", "篇": "article", "期": "issue phase stage", "份": "copy portion share",
    "杯": "cup glass", "碗": "bowl", "瓶": "bottle", "箱": "box case crate", "包": "bag pack packet", "盒": "box",
    "袋": "bag", "张": "sheet", "间": "room", "声": "sound cry", "滴": "drop", "人": "person people man woman",
    "名": "person people", "位": "person people", "国": "country state nation power", "省": "province",
    "市": "city municipality", "县": "county", "区": "district area region zone", "地": "place locality region",
    "方": "party side"}.items()}
#: Classifiers that are the very thing counted (两人, 三国, 两地): what follows is not counted by the number
#: (中日韩三国政策对话机制 is a dialogue mechanism of the three countries).
_COUNTED_UNITS = frozenset("人 国 省 市 县 区 地 方".split())
_IRREGULAR_PLURALS = {"men": "man", "women": "woman", "people": "person", "children": "child", "feet": "foot",
                      "teeth": "tooth", "mice": "mouse", "geese": "goose", "lives": "life", "wives": "wife",
                      "knives": "knife", "leaves": "leaf", "halves": "half", "shelves": "shelf", "wolves": "wolf",
                      "vertices": "vertex", "indices": "index", "matrices": "matrix", "criteria": "criterion",
                      "phenomena": "phenomenon", "analyses": "analysis", "crises": "crisis", "theses": "thesis",
                      "hypotheses": "hypothesis", "axes": "axis", "nuclei": "nucleus", "stimuli": "stimulus"}
#: Words that make an English noun phrase definite or quantified: "the directors" may stand for 两位导演.
_DETERMINERS = frozenset(
    "the these those this that its their his her our my your whose which what both each every either neither all "
    "such several many some few any no other another various multiple numerous own same".split())
#: Words a premodifier never crosses: a bare plural starts after them ("overlook glaring weaknesses").
_PHRASE_BREAK = frozenset(
    "of in on at for with by from to between into about as than among over under within without through across "
    "after before during like is are was were be been being have has had do does did will would can could shall "
    "should may might must get got if when while because that who".split())
_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion "
    "dozen".split())
#: Particles, adverbs and prepositions inside or right after a noun phrase: no noun to look for.
_ZH_FUNCTION_WORDS = frozenset(
    "的 地 得 之 了 着 过 也 又 都 还 就 才 便 却 和 与 及 或 而 在 是 被 把 将 对 从 向 于 以 为 由 中 上 下 里 "
    "等 各 每 其 这 那 些 个 位 已 已经 正 正在 同时 一起 一同 共同 分别".split())
_ZH_BREAK = re.compile(r"[，。；：、！？“”‘’《》（）「」『』【】,.;:!?()\"'\s—…]")
_DEMONSTRATIVE_BEFORE = re.compile(r"[这這那此该該其]$")
_EN_TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]*)?|\d(?:[\d,.]*\d)?|\S")  # "1997," is 1997 and a comma


@functools.lru_cache(maxsize=1)
def _dictionary() -> dict[str, tuple[str, ...]]:
    """CC-CEDICT: simplified headword → its glosses (read once, on the first dropped count looked for)."""
    from glossary import cedict

    glosses: dict[str, list[str]] = {}
    for entry in cedict.entries():
        glosses.setdefault(entry.simplified, []).extend(entry.glosses)
    return {word: tuple(g) for word, g in glosses.items()}


def _senses(word: str) -> list[str]:
    """The glosses of a Chinese word split at ``;``, without cross-references and classifiers."""
    out = []
    for gloss in _dictionary().get(word, ()):
        for sense in gloss.split(";"):
            sense = re.sub(r"\([^)]*\)", "", sense).strip()
            if sense and not sense.startswith(("variant of", "old variant", "see ", "CL:", "surname", "abbr.",
                                               "used in", "classifier", "also written", "also pr.")):
                out.append(sense)
    return out


def _nouns_of(word: str) -> set[str]:
    """English nouns (singular, lower-case) that may translate ``word``: its glosses of one to three
    content words that are not verbs ("to select")."""
    nouns = set()
    for sense in _senses(word):
        if sense.lower().startswith("to "):
            continue
        words = [w for w in re.findall(r"[a-z]+", sense.lower()) if w not in _DETERMINERS and w not in
                 ("a", "an", "of", "and", "or", "sb", "sth", "one")]
        if 1 <= len(words) <= 3:
            nouns.update(singular(w) for w in words if len(w) > 2)
    if nouns & {"person", "people"}:
        nouns |= {"man", "woman"}  # 两个人: "two women"
    return nouns


def _counted_nouns(number: Number, text: str) -> set[str]:
    """English nouns for what a counted number (两处非常突出的弱点) counts: its classifier when that is a
    noun, and the words after it up to a break or a verb that does not modify (两人便成了 stops at 成)."""
    from glossary.words import words

    nouns = set(_CLASSIFIER_NOUNS.get(number.unit, ()))
    if number.unit in _COUNTED_UNITS:
        return nouns
    key = to_simplified_aligned(fold_width(text))
    after = number.end + len(number.unit) if key.startswith(number.unit, number.end) else number.end
    stop = _ZH_BREAK.search(key, after)
    phrase = [piece for w in words(key[after:stop.start() if stop else len(key)][:16]) for piece in _pieces(w)]
    for k, word in enumerate(phrase):
        if word in _ZH_FUNCTION_WORDS:
            continue
        if _verbal(word) and not (k + 1 < len(phrase) and (phrase[k + 1] == "的" or _nominal(phrase[k + 1]))):
            break  # a verb ends the noun phrase, unless it modifies (两位参赛的选手, 七大配送中心)
        nouns |= _nouns_of(word)
    return nouns


def _pieces(word: str) -> list[str]:
    """A word of the segmenter that the dictionary lacks, as the longest dictionary words it is made of
    (关键问题 → 关键, 问题; 成了 → 成, 了)."""
    dictionary = _dictionary()
    if word in dictionary or len(word) == 1:
        return [word]
    pieces, at = [], 0
    while at < len(word):
        size = next(n for n in range(len(word) - at, 0, -1) if n == 1 or word[at:at + n] in dictionary)
        pieces.append(word[at:at + size])
        at += size
    return pieces


def _verbal(word: str) -> bool:
    senses = _senses(word)
    return bool(senses) and senses[0].lower().startswith("to ")


def _nominal(word: str) -> bool:
    return word not in _ZH_FUNCTION_WORDS and not _verbal(word) and bool(_nouns_of(word))


def _renders(plural: str, nouns: set[str]) -> bool:
    """True if the English plural is one of ``nouns``, or derived from or the head of one
    (weaknesses for "weak point", houseflies → flies for "housefly")."""
    noun = _IRREGULAR_PLURALS.get(plural) or singular(plural)
    return noun in nouns or any(noun == n + suffix for n in nouns for suffix in ("ness", "er", "or", "ist")) or \
        len(noun) >= 3 and any(n.endswith(noun) and len(n) > len(noun) + 2 for n in nouns)


def _count_rendered(number: Number, en: str, target: list[Number], taken: set[int],
                    nouns: set[str]) -> tuple[str, Number | None]:
    """How the English renders ``nouns``, what a counted number counts: ``("bare", None)`` if as a plural
    with no determiner or number (两个监狱 → "jails": the count is lost), ``("one", n)`` if after a
    spare "one" (三颗卫星 → "one satellite"), else ``("", None)`` (not found, or determined: "the
    directors", "these points", "its two founders")."""
    if not nouns:
        return "", None
    tokens = list(_EN_TOKEN.finditer(en))
    verdict = ""
    for i, token in enumerate(tokens):
        word = re.sub(r"['’]s?$", "", token.group().lower())  # women's
        plural = word in _IRREGULAR_PLURALS or word.endswith("s") and singular(word) != word
        if not (_renders(word, nouns) if plural else word in nouns):
            continue
        determined = False
        for back in range(i - 1, max(-1, i - 5), -1):  # the premodifiers: "two glaring weaknesses"
            before = tokens[back].group().lower()
            if before == "one" and number.value != 1:
                one = next((j for j, t in enumerate(target) if j not in taken and t.start <= tokens[back].start()
                            < t.end), None)
                if one is not None:
                    return "one", target[one]
            if before in _DETERMINERS or before in _NUMBER_WORDS or before in ("a", "an") or \
                    before[:1].isdigit() or before.endswith(("'s", "’s", "s'", "s’")):
                determined = True
                break
            if before in _PHRASE_BREAK or not before[:1].isalpha() and before != "-":
                break
        if plural and not determined:
            verdict = "bare"
    return verdict, None


def dropped_counts(source: list[Number], target: list[Number], zh: str, en: str,
                   compared: tuple | None = None) -> list[tuple[Number, Number | None]]:
    """Small numbers in characters that the English has lost or changed where the numbers alone do not
    tell (see the module), each with the target number it became or kept (or None), in source order.
    ``zh`` and ``en`` are the texts the numbers were read from; ``compared``, :func:`_compare` of the
    numbers if already done."""
    reported, leftover, pairs = compared or _compare(source, target)
    taken = set(pairs.values()) | {target.index(t) for _, t in reported if t is not None}
    found = []
    for s in leftover:
        if not counted(s) or s.approximate or s.value < 2 or any(
                j not in taken and _equal(t.value, s.value) for j, t in enumerate(target)):
            continue  # 一个或两个顶点, "one or two vertices": the two is there, loosely read
        # 三台终端…三颗卫星 → "one terminals… three satellites": either three may be the one left over
        nouns = set().union(*(_counted_nouns(other, zh) for i, other in enumerate(source)
                              if other is s or i in pairs and counted(other) and _equal(other.value, s.value)))
        verdict, partner = _count_rendered(s, en, target, taken, nouns)
        if verdict == "bare" and _DEMONSTRATIVE_BEFORE.search(zh[:s.start]):
            continue  # 这两种因素: "these factors", or a bare plural for what the context has counted
        if verdict:
            found.append((s, partner))
            if partner is not None:
                taken.add(target.index(partner))
    if not found and _STRANDED.search(en):
        reported_spans = {(s.start, s.end) for s, _ in reported}
        lost = [s for i, s in enumerate(source) if i not in pairs and (s.start, s.end) not in reported_spans
                and (s.kind in ("cardinal", "fraction") and s.written in ("words", "digits", "code")
                     or s.written == "heading" and s.start == 0)]
        if lost:  # 两居室, "a -bedroom home": the number was deleted and left its hyphen behind
            found.append((lost[0], None))
    for s, kept in _broken_ranges(source, target, pairs, en):
        if any((other.start, other.end) == (s.start, s.end) for other, _ in reported):
            continue  # 八九, "eighty or nine": reported already
        partner = next((t for j, t in enumerate(target) if j not in taken and t.firm and t.written != "code"
                        and related(s, t, slips=False)), None)
        if partner is not None:
            taken.add(target.index(partner))
        found.append((s, partner or kept))
    found.sort(key=lambda item: item[0].start)
    return found


def _broken_ranges(source: list[Number], target: list[Number], pairs: dict[int, int],
                   en: str) -> list[tuple[Number, Number]]:
    """The end of a range in characters (八九: 8 and 9) that the English lacks while it has the other end,
    with that other end (see the module)."""
    broken = []
    for i, low in enumerate(source[:-1]):
        high = source[i + 1]
        if not ((low.start, low.end) == (high.start, high.end) and low.approximate and low.alternatives
                and low.written == "words" and low.kind == "cardinal"):
            continue
        rendered = [target[pairs[k]] for k in (i, i + 1) if k in pairs]
        has = {v: [t for t in rendered if _equal(t.value, v)] for v in (low.value, high.value)}
        if not rendered or all(has.values()) or not any(has.values()):
            continue
        missing = low if not has[low.value] else high
        kept = next(t for ts in has.values() for t in ts)
        if missing.value == 1 and _ARTICLE_BEFORE.search(en[max(0, kept.start - 30):kept.start]) and not any(
                related(missing, t, slips=False) for j, t in enumerate(target) if j not in pairs.values() and t.firm):
            continue  # 一两天: "a day or two"; but not "ten or two" for 一二, nor "or two occasions"
        if kept.approximate or _ROUGHLY_AFTER.match(en, kept.end):
            continue  # "three days or so"
        broken.append((missing, kept))
    return broken


#: The trace of a deleted word: a compound that has lost its first element ("a -bedroom home", "3-4-
#: configuration"), "the" or a preposition left before "of" or a conjunction ("the of them", "food for
#: of us"), or a list label that has lost its number (". The transfer function"). Not a suspended
#: hyphen ("5- and 10-year"), an option or a formula ("-h", "-OH") or a dash before an adverb.
_STRANDED = re.compile(
    r"(?:^|(?<=\s)|(?<=\s[\"'“‘(\[])|(?<=^[\"'“‘(\[]))-(?=[a-z]{2,}(?<!ly)\b(?!-?ly\b))"
    r"|(?<=\d)-(?=\s|$)(?!\s+(?:and|or|to|through)\b)"
    r"|\b[Tt]he\s+(?:of|and|was|were)\b|\b(?:for|by|with|from|in|on|at|to|of)\s+of\b|^\s*[.)]\s*[A-Z]")
#: The word after "one", looked at for a plural noun.
_PLURAL_AFTER_ONE = re.compile(r"\s+([A-Za-z]+)\b(?![-'’])")
#: Words before "one" that make it a pronoun ("no one knows", "the one children liked best").
_PRONOUN_ONE_BEFORE = re.compile(r"\b(?:no|every|any|some|each|this|that|which|what|another|such|the)\s+$",
                                 re.IGNORECASE)
#: Irregular plurals that are nouns whatever follows ("lives", "leaves" are verbs too).
_PLURAL_NOUNS = frozenset(word for word in _IRREGULAR_PLURALS if word not in ("lives", "leaves", "halves"))


def firm_ones(target: list[Number], en: str) -> list[Number]:
    """``target`` with each "one" right before a plural noun made firm: "carried by one bearers" is a
    count gone wrong (four bearers), not the pronoun or article that "one" usually is ("one knows",
    "no one", "the one children liked"; "Formula One cars" is a name). A plural noun here is an
    irregular one (women, vertices) or ends in -s, and is a noun in CC-CEDICT's glosses, never a
    verb there ("to know")."""
    out = []
    for t in target:
        if t.firm or t.text != "one" or t.kind != "cardinal":
            out.append(t)
            continue
        after = _PLURAL_AFTER_ONE.match(en, t.end)
        word = after.group(1).lower() if after else ""
        noun = _IRREGULAR_PLURALS.get(word) or singular(word)
        plural = word in _PLURAL_NOUNS or noun != word and word.endswith("s") and word not in _IRREGULAR_PLURALS
        if plural and not _PRONOUN_ONE_BEFORE.search(en[max(0, t.start - 12):t.start]) and _noun_only(noun):
            t = replace(t, firm=True)
        out.append(t)
    return out


@functools.lru_cache(maxsize=1)
def _english_parts_of_speech() -> tuple[frozenset[str], frozenset[str]]:
    """(nouns, verbs) of CC-CEDICT's glosses: the last word of a gloss not starting with "to", the
    word after "to" of one that does."""
    nouns, verbs = set(), set()
    for word in _dictionary():
        for sense in _senses(word):
            words = re.findall(r"[a-z]+", sense.lower())
            if len(words) >= 2 and words[0] == "to":
                verbs.add(words[1])
            elif 1 <= len(words) <= 3:
                nouns.add(words[-1])
    return frozenset(nouns), frozenset(verbs)


@functools.lru_cache(maxsize=4096)
def _noun_only(word: str) -> bool:
    nouns, verbs = _english_parts_of_speech()
    return word in nouns and word not in verbs


_ARTICLE_BEFORE = re.compile(r"\b(?:an?|one)\s+(?:(?:[A-Za-z]+\s+){0,2}(?:or|to)\s+)?$", re.IGNORECASE)
_ROUGHLY_AFTER = re.compile(r"(?:\s+[A-Za-z]+)?\s+or\s+(?:so|more)\b", re.IGNORECASE)


@register
class NumberMismatch(SegmentCheck):
    id = "number-mismatch"
    severity = "error"
    description = "A number of the source is missing from the target or differs there (681億 is 68.1 billion)."

    def check_segment(self, number: int, segment: Segment, context: CheckContext) -> Iterable[Finding]:
        source_side, target_side = "source", "target"
        zh, en = segment.source, segment.target
        if not has_han(zh) and has_han(en):
            zh, en, source_side, target_side = en, zh, "target", "source"
        source, target = read_chinese(zh), firm_ones(read_english(en), en)
        compared = _compare(source, target)
        found = [(s, t, None) for s, t in compared[0]]
        found += [(s, t, "warning") for s, t in dropped_counts(source, target, zh, en, compared)]
        for s, t, severity in sorted(found, key=lambda item: item[0].start):
            expected = english_form(s)
            spans = [Span(source_side, s.start, s.end, s.text)]
            if t is not None:
                spans.append(Span(target_side, t.start, t.end, t.text))
                message = f"{s.text} = {expected}; the {target_side} has {t.text}"
            else:
                message = f"{s.text} = {expected}; the {target_side} does not have it"
            spans.sort(key=lambda span: span.side != "source")
            yield self.finding(number, message, severity, spans=spans, data={
                "expected": expected, "source_value": s.value, "kind": s.kind,
                "found": t.text if t is not None else None,
                "found_value": t.value if t is not None else None})
