"""number-mismatch: a number of the Chinese source that the English target lacks or gets wrong.

Both sides are read with :mod:`glossary.numerals` (``681億`` = 68,100,000,000 =
``68.1 billion``; ``2013年1月7日`` = ``Jan 7, 2013`` part by part; ``百分之五`` = ``5%``;
``第十八届`` = ``18th``…). Source and target numbers are paired one to one, as many as
possible (:func:`pair`), when one of their values (:attr:`Number.values`) is equal, or when
the target is the source *rounded* (:func:`rounds`): less precise than the source, within half
its last digit, and written as a rounded number: with a scale word (``6.8 billion`` for
``68.14亿``), decimals, as a percentage, or marked approximate (``about 1,350`` for 1,347).
Years, dates, ordinals and multiples are never rounded.

What is left over is reported (:func:`mismatches`) only where the evidence is clear, so that
clean translations rarely raise it; one finding per source number, in source order:

* beside a target number left over that looks like it gone wrong (:func:`related`): off by a
  power of ten (681 billion or 68.1 million for 681億) or one digit changed or two swapped
  (1,800 for 1,300; 2014 for 2013年): ``681億 = 68.1 billion; the target has 681 billion``,
  spans on both sides. A counted source number (三个孩子, :func:`counted`), however small,
  counts against any target number of its kind left over (``three children`` → ``four``). A
  loose source number in characters (两处, 九重, no classifier read) counts against a target of
  its kind off by a power of ten or, in words, one digit changed (nine → ninety, two → nine);
  an approximate one (三四百) or one in another system of units only against a target in digits
  off by a power of ten;
* any other prominent source number (:func:`prominent`; a section number such as ``1.2``
  opening the segment is one) left over:
  ``2200万 = 22 million; the target does not have it``, a span on the source side, or, if it is
  the only firm number left over on both sides, ``30 = 30; the target has 45``;
* list labels opening both sides that differ (``3.`` and ``9.``).

Tolerated: a source number whose value the target has anyway for a number of the same kind and
unit (2020年 written twice, one 2020 in English); a quantity of length, weight, area or volume
when the target has one in another system of units (六十公斤, "130 pounds"); numbers the target
adds; small counted numbers in characters that translators fold into the wording (两位导演,
"the directors"), as long as the target has no number of their kind left over; loose numbers (see :mod:`glossary.numerals`). A segment whose source holds no
Chinese while its target does is read the other way round, with the same rules.
"""
from __future__ import annotations

import math
from typing import Iterable

from glossary.normalize import has_han
from glossary.numerals import MEASURES, UNIT_SYSTEMS, Number, english_form, read_chinese, read_english
from tm.bilingual import Segment
from tm.checks import CheckContext, Finding, SegmentCheck, Span, register

_EXACT = 1e-9
_UNROUNDED = ("year", "month", "day", "ordinal", "multiple", "decade", "century", "time")


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
    return any(_equal(a, b) for a in source.values for b in target.values)


def rounds(source: Number, target: Number) -> bool:
    """True if ``target`` is ``source`` rounded, and written as a rounded number (see the module)."""
    if source.kind in _UNROUNDED or target.kind in _UNROUNDED:
        return False
    says_so = (target.scaled or target.approximate or source.approximate or "." in target.text
               or target.kind == "percent")
    if not says_so or target.precision <= source.precision:
        return False
    return any(abs(value - target.value) <= target.precision / 2 * (1 + _EXACT) for value in source.values)


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


def prominent(number: Number) -> bool:
    """True if a translation must show the number even where nothing else stands for it: digits,
    a value of ten or more, a measured quantity (三年, 五公里), a percentage, fraction, date or time;
    not 两位 or 第三 in characters, which translators may fold into the wording (两位导演 "the directors")."""
    if number.approximate and number.alternatives and number.written == "words":
        return False  # 三四百斤 may be "several hundred pounds"
    return number.written in ("digits", "label") or number.written == "heading" and number.firm or \
        number.value >= 10 or \
        number.kind == "cardinal" and number.unit in MEASURES or \
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

    def alike(i: int):  # 30% with 30%, not with 30岁
        return [j for j, t in enumerate(target)
                if same(source[i], t) and (source[i].kind == "percent") == (t.kind == "percent")]

    def exact(i: int):
        return [j for j, t in enumerate(target) if same(source[i], t)]

    def loose(i: int):
        return [j for j, t in enumerate(target) if same(source[i], t) or rounds(source[i], t)]

    firm_first = sorted(range(len(source)), key=lambda i: not source[i].firm)
    for edges in (alike, exact, loose):
        taken = set(matched.values())
        for i in firm_first:
            if i not in taken:
                augment(i, edges, set())
    return {i: j for j, i in matched.items()}


def mismatches(source: list[Number], target: list[Number]) -> list[tuple[Number, Number | None]]:
    """The source numbers to report, each with the target number it was likely rendered as
    (or None): the rules of the module, in source order."""
    pairs = pair(source, target)
    paired_with = {j: source[i] for i, j in pairs.items()}
    spare = [t for j, t in enumerate(target) if j not in pairs.values() and t.written != "code"]
    systems = {UNIT_SYSTEMS[t.unit] for t in target if t.unit in UNIT_SYSTEMS}
    found: list[tuple[Number, Number | None]] = []
    unrelated = []
    for i, s in enumerate(source):
        if i in pairs or s.written == "code":
            continue
        converted = s.unit in UNIT_SYSTEMS and systems - {UNIT_SYSTEMS[s.unit]}  # 六十公斤 → 130 pounds
        strong = s.firm and not converted and not (s.approximate and s.alternatives and s.written == "words")
        partner = None
        if s.written == "heading":  # 3. opening both sides: the same list item
            partner = next((t for t in spare if t.written == "heading" and not same(s, t)), None)
        if partner is None and strong:
            partner = next((t for t in spare if t.firm and related(s, t)), None)
            if partner is None and counted(s):  # 三个孩子, "four children": any number of its kind left over
                partner = next((t for t in spare if t.firm and t.kind == s.kind and t.written in ("digits", "words")),
                               None)
        elif partner is None and s.written == "words" and not s.approximate and not converted:
            # 两处, 九重, 三面墙 without a classifier read: a target left over of its kind off by a power of
            # ten or, in words, one digit changed (nine → ninety, two → nine)
            partner = next((t for t in spare if t.firm and t.kind == s.kind and
                            related(s, t, slips=t.written == "words")), None)
        elif partner is None:  # 三四百, 六十公斤: only a digit target off by a power of ten
            partner = next((t for t in spare if t.written != "words" and related(s, t, slips=False)), None)
        if partner is not None:
            spare.remove(partner)
            found.append((s, partner))
        elif s.firm and not converted and not any(
                same(s, t) and (j not in paired_with or (paired_with[j].kind, paired_with[j].unit) == (s.kind, s.unit))
                for j, t in enumerate(target)):
            unrelated.append(s)  # 2020年…2020年 for one 2020 is fine; 三件 and 三英尺 for one "three" is not
    spare = [t for t in spare if t.firm]
    for s in (s for s in unrelated if prominent(s)):
        found.append((s, spare[0] if len(unrelated) == 1 and len(spare) == 1 else None))
    found.sort(key=lambda item: item[0].start)
    return found


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
        for s, t in mismatches(read_chinese(zh), read_english(en)):
            expected = english_form(s)
            spans = [Span(source_side, s.start, s.end, s.text)]
            if t is not None:
                spans.append(Span(target_side, t.start, t.end, t.text))
                message = f"{s.text} = {expected}; the {target_side} has {t.text}"
            else:
                message = f"{s.text} = {expected}; the {target_side} does not have it"
            spans.sort(key=lambda span: span.side != "source")
            yield self.finding(number, message, spans=spans, data={
                "expected": expected, "source_value": s.value, "kind": s.kind,
                "found": t.text if t is not None else None,
                "found_value": t.value if t is not None else None})
