"""Numbers in Chinese and English text, read to values that can be compared across the languages.

:func:`read_chinese` and :func:`read_english` give every number of a text as a
:class:`Number`: character offsets into the text as given, the words as written,
the value and a kind. Both languages land on the same scale, so that equal values
mean the same number:

* cardinals: ``2,200``, ``２２００`` (full-width), ``1.5``, ``二十``, ``两千``, ``一点五``,
  ``〇``/``零`` inside numerals, ``2200万`` = ``22 million``, ``681亿`` = ``68.1 billion``,
  ``1.2萬億`` = ``1.2 trillion`` = ``1,200 billion``, ``3千``, ``1亿3000万``; in English
  also ``twenty-two``, ``a hundred``, ``two hundred and five``, ``a dozen``, ``half a dozen``, ``half a
  million``, ``$68.1bn``, ``.5``, ``two decades`` (20, or 2 decades: its unit is ``decade``), ``a decade-long``
  (10), ``three or four thousand`` (3,000 or 4,000: the first of a range takes the second's scale word),
  ``half-acre`` (0.5 acre, loose: enough to tell a converted unit), ``is unity`` (1, loose);
* percentages, in percent: ``百分之五点二`` = ``5.2%`` = ``5.2 per cent`` = ``5.2个百分点`` =
  ``5.2 percentage points``; ``三成`` = 30; ``千分之五`` = 0.5;
* fractions as ratios (their percentage, and for 1/n the n, as alternatives):
  ``三分之一`` = ``one third`` = ``1/3``; ``十万分之一`` = ``one in a hundred thousand``;
* multiples: ``三倍`` = ``three times`` = ``threefold`` = 3 (``增长了一倍`` is ×2, so a
  倍 also allows one more), ``翻两番`` = ``quadrupled`` = 4, ``twice``/``doubled`` = 2;
* ordinals: ``第十八届`` = ``18th`` = ``eighteenth`` = 18; ``十三五`` (the five-year plan) = 13;
  ``World War II``, ``Chapter V``, ``Louis XIV`` (Roman numerals to XXXIX);
* dates, part by part: ``2013年1月7日`` gives year 2013, month 1, day 7, as do ``Jan 7, 2013``
  and ``7 January 2013``; ``20世纪`` = ``the twentieth century`` = 20;
  ``20世纪60年代`` = ``60年代`` = ``the 1960s`` = ``the sixties`` (1960, 60 as alternative);
  ``2016-20`` ends in 2020;
* times: ``下午3点半`` = ``3:30 p.m.`` = 3.5 (15.5 as alternative);
* approximations: ``三四百`` (300 or 400), ``十四五岁`` (14 or 15), ``一两天`` (1 or 2),
  ``20多``, ``二十几`` (20, approximate). ``几十``, ``数百``, ``上千``, ``十几``, ``几两``, ``hundreds of``,
  ``dozens`` have no value and are not read.

Left out on purpose: "one another" (a pronoun, like "two-way" a word), 两 as the tael (一两银子, 三两黄金: 3 taels),
words and idioms made of numeral characters (统一, 唯一, 一直, 十分,
万一, 千万 "by all means", 四周, 三三两两, 胡说八道 ...: a list of the frequent ones, not
all of Chinese), a lone cheque numeral (陆 in 大陆, 伍 in 队伍, 肆 in 放肆, 拾 in 收拾), a lone 一 (mostly an article: 一个 = "a"), a lone 百/千/万/亿 (万人空巷),
半 and "half" outside 三点半, 三年半, "three and a half" and "half a mile", spelled-out years ("nineteen eighty-four"),
signs (−5 is 5), unit conversions (60公斤 is not 130 pounds), lunar dates (初七, 正月), and
slash dates as dates (``1/7/2013`` gives 1, 7 and 2013, which compare fine part by part).

A number is *firm* when a translation must carry its value over: digits, dates,
percentages, ordinals, multi-character numerals, a numeral with a classifier (三个,
五项), references and section numbers (``图2.1`` = ``Figure 2-1``, ``2.2.1``). It is loose
when translators legitimately drop or rephrase it: a numeral in characters under 100 without
a classifier (茅十八, 三农; in 三中全会, 中全会 counts as one), a lone 二 (counting uses 两:
二元 is "binary"), 十多 and other small approximations, list labels opening a segment
(``1.``, ``（3）``, and in English a list run into a sentence: ``…: (1) sequestration…; (2)…``),
digits inside codes (``G20``, ``5G``, ``COVID-19``), regnal years
(乾隆五十年), and the English words that double as other words (one, first, second, once,
both, couple, "a day or two", "several hundred").
"""
from __future__ import annotations

import functools
import math
import re
import warnings
from dataclasses import dataclass, replace
from decimal import Decimal

import cn2an

from .normalize import fold_width, to_simplified_aligned

KINDS = ("cardinal", "percent", "fraction", "multiple", "ordinal", "year", "month", "day",
         "decade", "century", "time")


@dataclass(frozen=True)
class Number:
    """One number in a text: ``text == original[start:end]`` (character offsets).

    ``value`` is on the shared scale of its ``kind`` (one of :data:`KINDS`): percent for
    percentages, a ratio for fractions, a factor for multiples, 1–12 for months, the
    first year for decades. ``alternatives`` are other values the same words may stand
    for. ``precision`` is the unit of the last written digit (``68.1 billion``: 1e8;
    ``2200万``: 1e6, trailing zeros of an integer counting as rounding). ``scaled``:
    written with 万/亿/million/billion…; ``approximate``: marked so (约, 多, about…);
    ``firm``: see the module; ``written``: ``digits``, ``words``, ``code`` (G20), ``label`` (a
    reference or section number: ``图2.1``, ``Figure 2-1`` get the same value) or ``heading``
    (a number opening the segment: ``1.``, ``（3）``, ``2.2.1 传递函数``);
    ``unit``: the classifier or unit written after a Chinese numeral (``个``, ``年``, ``公里``), or
    the unit of length, weight, area or volume after an English one (``pounds``, see :data:`UNIT_SYSTEMS`),
    or the period of ``two decades`` (``decade``, ``century``, ``millennium``); for a Chinese reference,
    the word it refers with (``图`` in ``图1.1``, so that ``表1.1`` is another label).
    """

    start: int
    end: int
    text: str
    value: float
    kind: str = "cardinal"
    alternatives: tuple[float, ...] = ()
    firm: bool = True
    precision: float = 1.0
    scaled: bool = False
    approximate: bool = False
    written: str = "digits"
    unit: str = ""

    @property
    def values(self) -> tuple[float, ...]:
        """The value first, then the alternatives."""
        return (self.value, *self.alternatives)


# ------------------------------------------------------------------ shared

_ENTITY = re.compile(r"&#x?[0-9A-Fa-f]+;")  # &#183; in text pasted from the web: not a number
_MONTHS = ("January February March April May June July August September October November "
           "December").split()


@functools.lru_cache(maxsize=None)
def _re(pattern: str, flags: int = 0) -> re.Pattern:
    """A compiled pattern, cached: the readers try many small patterns around every number."""
    return re.compile(pattern, flags)


def _precision(mantissa: str, scale: float = 1.0) -> float:
    """Unit of the last significant written digit: ``68.1`` → 0.1, ``2200`` → 100 (× scale)."""
    digits = re.sub(r"[,\s]", "", mantissa)
    if "." in digits:
        return 10.0 ** -len(digits.split(".", 1)[1]) * scale
    stripped = digits.rstrip("0")
    return 10.0 ** (len(digits) - len(stripped)) * scale if stripped else scale


def _scaled(mantissa: str, scale: float = 1.0) -> float:
    """``68.1`` × 1e9 without binary rounding: 68100000000.0, not 68099999999.99999."""
    return float(Decimal(re.sub(r"[,\s]", "", mantissa)) * Decimal(int(scale)))


def _value_precision(value: float) -> float:
    """The precision of an exactly written value (Chinese numerals, English words)."""
    if value != int(value):
        return 10.0 ** -len(f"{value:.10f}".rstrip("0").split(".")[1])
    return _precision(str(int(value)))


_LABEL_PARTS = re.compile(r"(?:\s?[.\-–]\s?\d+)+")


def _label(text: str, start: int, end: int, firm: bool = True, unit: str = "") -> Number:
    """A reference or section number (``2.1``, ``2-1``, ``2.2.1``) with a value that does not depend on
    how its parts are joined: 2 + 1/1000 (+ 1/1000²…); a two-part one may also be the decimal.
    ``unit``: the word it refers with, in Chinese (图 in 图1.1, so that 表1.1 is another label)."""
    parts = [int(p) for p in re.findall(r"\d+", text[start:end])]
    value = sum(p * 1000.0 ** -i for i, p in enumerate(parts))
    # 2-1 may be 2.1 read as a decimal; not 3-20, whose 3.20 is 3.2 (Table 3-2)
    decimal = (float(".".join(map(str, parts))),) if len(parts) == 2 and parts[1] % 10 else ()
    written = "heading" if not text[:start].strip(" \t([（【") else "label"
    return _number(text, start, end, value, alternatives=decimal, firm=firm, written=written, unit=unit)


def _number(text: str, start: int, end: int, value: float, kind: str = "cardinal", *,
            alternatives: tuple[float, ...] = (), firm: bool = True, precision: float | None = None,
            scaled: bool = False, approximate: bool = False, written: str = "digits", unit: str = "") -> Number:
    if precision is None:
        precision = _value_precision(value) if kind in ("cardinal", "percent") else 1.0
    return Number(start, end, text[start:end], float(value), kind, tuple(float(a) for a in alternatives),
                  firm, precision, scaled, approximate, written, unit)


def _ordinal_suffix(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def _plain(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.10f}".rstrip("0").rstrip(".")


def english_form(number: Number) -> str:
    """How English writes the number's value: ``68.1 billion``, ``5%``, ``18th``, ``January``,
    ``1960s``, ``1/3``, ``3:30``; an approximate pair as ``300 or 400``."""
    if number.written in ("label", "heading"):
        return re.sub(r"\s?[-–]\s?", ".", fold_width(number.text))

    def one(value: float) -> str:
        kind = number.kind
        if kind == "percent":
            return f"{_plain(value)}%"
        if kind in ("ordinal", "century"):
            n = int(value)
            return f"{n}{_ordinal_suffix(n)}" + (" century" if kind == "century" else "")
        if kind == "month" and value in range(1, 13):
            return _MONTHS[int(value) - 1]
        if kind == "decade":
            return f"{int(value)}s"
        if kind == "year":
            return str(int(value))
        if kind == "fraction":
            for denominator in (*range(2, 13), 100, 1000, 10000, 100000, 1000000):
                numerator = value * denominator
                if abs(numerator - round(numerator)) < 1e-9:
                    return f"{int(round(numerator))}/{denominator:,}"
            return _plain(value)
        if kind == "multiple":
            return f"{_plain(value)} times"
        if kind == "time":
            hours, minutes = int(value), round((value - int(value)) * 60)
            return f"{hours}:{minutes:02d}"
        for scale, name in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
            if value >= scale:
                return f"{_plain(round(value / scale, 6))} {name}"
        return _plain(value)

    if number.approximate and number.alternatives:
        return " or ".join(one(v) for v in sorted(number.values[:2]))
    return one(number.value)


# ------------------------------------------------------------------ Chinese

_ZH_DIGIT_CHARS = "零〇一二三四五六七八九两壹贰叁肆伍陆柒捌玖"
_ZH_UNIT_CHARS = "十百千万亿拾佰仟廿"
_ZH_FINANCIAL = "壹贰叁肆伍陆柒捌玖拾佰仟"  # the forms written on cheques: numbers only beside another numeral
_ZH_SMALL = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
_ZH_SCALE = {"十": 10.0, "百": 100.0, "千": 1e3, "万": 1e4, "亿": 1e8}
_ZH_CANONICAL = str.maketrans("两〇壹贰叁肆伍陆柒捌玖拾佰仟", "二零一二三四五六七八九十百千")
_KILO_UNITS = ("克", "米", "瓦", "卡", "帕", "焦", "伏", "赫", "比特", "字节", "位")  # 千克 kg, 千比特 kbit
_UNIT_AFTER = re.compile(  # letters after digits that keep them a quantity (else a code: 5G, 3D, 4K)
    r"\s?(?:km|kg|cm|mm|nm|m|g|mg|t|kW|MW|GW|kWh|W|J|kJ|MJ|V|kV|mV|A|mA|Pa|kPa|MPa|N|Hz|kHz|MHz|GHz|dB|"
    r"eV|keV|MeV|GeV|TeV|pc|kpc|Mpc|sr|ha|mph|lb|lbs|oz|ft|mi|yr|yrs|l|L|ml|mL|GB|MB|TB|kB|KB|"
    r"bn|tn|mn|k|x|s|st|nd|rd|th|am|pm)(?![A-Za-z])")
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_ZH_CORE = re.compile(
    rf"(?P<digits>{_DIGITS})(?P<tail>[十百千万亿]*)"
    rf"|(?P<han>[{_ZH_DIGIT_CHARS}{_ZH_UNIT_CHARS}]+(?:点[零〇一二三四五六七八九]+[十百千万亿]*)?)")
_NUMERAL_BEFORE = "零〇一二三四五六七八九十百千万亿两\\d第"
# Frequent words made of numeral characters that are not numbers (matched on Simplified text).
_ZH_WORDS = re.compile(
    rf"(?=[零一二三四五六七八九十百千万两统唯专同不划成货胡接数独乱老小])(?<![{_NUMERAL_BEFORE}])(?:"
    r"一些|一起|一直|一样|一切|一定|一般|一致|一同|一向|一旦|一下子?|一会儿?|一边|一面|一方面|一时|一度|"
    r"一再|一律|一并|一概|一贯|一味|一心|一生|一番|一阵|一齐|一道|一口气|一点(?![零〇一二三四五六七八九])|"
    r"一一|一体|一流|一线|一手|一把手|一带一路|一国两制|一五一十|一清二楚|一模一样|一心一意|一干二净|"
    r"一年一度|一成不变|一举一动|一草一木|一朝一夕|一言一行|一丝一毫|"
    r"统一|唯一|专一|同一|不一|划一|万一|十分(?![钟之])|万分(?!之)|十足|十全十美|"
    r"千万(?![零〇一二三四五六七八九十百千万亿\d元人吨户个名])|万万|千千万万|成千上万|千方百计|千辛万苦|"
    r"千军万马|千变万化|万众一心|十万八千里|十万火急|三三两两|三心二意|三番五次|三言两语|四面八方|五颜六色|"
    r"七嘴八舌|乱七八糟|七上八下|九死一生|独一无二|数一数二|一石二鸟|一举两得|两个一百年|货比三家|胡说八道|"
    r"三长两短|十有八九|十有九|五花八门|四分五裂|七零八落|八九不离十|九牛一毛|一干二净|接二连三|三五成群|"
    r"老两口|小两口|两口子|两岸|两极|两手|两者|两旁|两侧|两边|二者|四周|四处|四方|三角|八卦|四川|三峡|七夕|五四|九州|"
    r"十字|二手|二维码|百姓|百货|万岁|万物|万象|千古|千秋|"
    r"零售|零星|零件|零部件|零钱|零食|零散|零碎|零乱|零落|零用|零花|零工|零头|零嘴"
    r")")
# 几十, 数百, 上千, 十几, 几两 (a few taels); not 二十几, read like 二十多 (20, approximate)
_ZH_APPROX_WORDS = re.compile(r"[几数上][十百千万亿]+|(?<![一二三四五六七八九两\d])[十百千万亿]+几两?|几两?|成百上千")
#: Units of measure (time, age, money, length, weight, area, volume, frequency): a translation
#: keeps a measured quantity, while counted things (两位导演, "the directors") may go into the wording.
MEASURES = frozenset(
    "年 月 个月 天 日 周 星期 个星期 礼拜 小时 个小时 钟头 分钟 秒 秒钟 岁 周岁 元 块 美元 欧元 英镑 日元 "
    "港元 卢布 米 公里 千米 厘米 毫米 英里 英尺 英寸 海里 里 尺 寸 丈 公斤 千克 克 毫克 斤 两 吨 磅 盎司 "
    "亩 公顷 平方米 平方公里 平方千米 平米 平 平方英尺 平方英里 英亩 立方米 升 毫升 加仑 桶 度 瓦 千瓦 伏 倍 次 遍 "
    "世纪 年代".split())
#: Units of length, weight, area and volume, Chinese and English, by system: a quantity in one
#: system may be converted to another by the translator (六十公斤 → "130 pounds", 二十英尺 → "six meters").
UNIT_SYSTEMS = {unit: system for system, units in (
    ("metric", "米 公里 千米 厘米 毫米 公斤 千克 克 毫克 吨 公顷 平方米 平方公里 平方千米 平米 平 立方米 升 毫升 "
               "meter meters metre metres kilometer kilometers kilometre kilometres km centimeter centimeters "
               "centimetre centimetres cm mm kilo kilos kilogram kilograms kg ton tons tonne tonnes hectare "
               "hectares liter liters litre litres"),
    ("imperial", "英里 英尺 英寸 平方英尺 平方英里 英亩 码 磅 盎司 加仑 pound pounds lb lbs ounce ounces oz foot feet ft inch inches yard "
                 "yards mile miles acre acres gallon gallons"),
    ("chinese", "斤 两 亩 里 尺 寸 丈")) for unit in units.split()}
_ZH_UNIT = re.compile("|".join(sorted(MEASURES | set(
    "个 名 位 人 届 项 条 件 家 所 座 辆 架 艘 台 部 本 张 份 种 类 批 组 对 套 轮 场 期 章 节 段 篇 句 页 "
    "层 级 步 声 只 匹 棵 颗 枚 首 幅 间 栋 户 方 国 省 市 县 区 代 任 趟 口 点 大 中全会 成 分 毛 号 起 例 "
    "剂 支 门 道 封 片 滴 杯 碗 瓶 箱 包 团 群 股 根 把 朵 粒 顿 笔 桩 宗 路 万 亿 "
    "处 面 盒 副 头 盏 双 扇 串 顶 具 袋 盘 束 堵 幢 尊 罐 壶 品 重".split()), key=len, reverse=True)))
_ZH_ERAS = re.compile(
    r"(?:康熙|雍正|乾隆|嘉庆|道光|咸丰|同治|光绪|宣统|民国|洪武|永乐|万历|崇祯|顺治|贞观|开元|天宝|"
    r"明治|大正|昭和|平成|令和|建安|元和|嘉靖|弘治|正德|成化|天启)$")
_ZH_REFERENCE_BEFORE = re.compile(r"(?:图|表|式|公式|方程|附录|例|习题|定理|引理|定义|注|节|条款)[\s(（]*$")
_ZH_APPROX_BEFORE = re.compile(r"(?:约|近|大约|将近|接近|逾|超过|不到|几乎|大概|差不多)$")
_ZH_PLAN_AFTER = re.compile(r"规划|时期|期间|计划|末|初|以来")
_ZH_TIME_BEFORE = re.compile(r"(?:上午|下午|晚上|早上|凌晨|中午|傍晚|夜里|晚|早)$")


def _cn2an(numeral: str) -> float | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return float(cn2an.cn2an(numeral, "normal"))
        except (ValueError, KeyError, IndexError, TypeError):
            return None


def _han_value(run: str) -> float | None:
    """The value of a run of Chinese numeral characters written as one number, else None.

    cn2an reads it; the reading must spell back to the run (or to the run with the last
    unit left off, as in 一万二 = 12,000), so that 三二十 or 三三两两 are not numbers.
    """
    if len(run) == 1:
        return None if run in "百千万亿" else _cn2an(run)
    if _re(r"[〇零一二三四五六七八九]+").fullmatch(run):
        return None  # digit by digit: decided by the caller (years, 〇)
    value = _cn2an(run)
    if value is None:  # 一点二万亿: cn2an reads the head, the scale tail is ours
        head = run.rstrip("十百千万亿")
        tail = run[len(head):]
        if head and tail and (head_value := _han_value(head)) is not None:
            return float(Decimal(str(head_value)) * Decimal(int(math.prod(_ZH_SCALE[c] for c in tail))))
        return None
    canonical = run.translate(_ZH_CANONICAL)
    canonical = canonical[1:] if canonical.startswith("一十") else canonical
    try:
        spelled = cn2an.an2cn(int(value) if value == int(value) else value)
    except ValueError:  # beyond 16 digits
        return None
    if spelled == canonical or spelled.startswith(canonical) and len(spelled) == len(canonical) + 1 \
            and spelled[-1] in _ZH_UNIT_CHARS or "廿" in run:
        return value
    return None


def _approximate_pair(run: str) -> tuple[float, float] | None:
    """三四百 → (300, 400), 十四五 → (14, 15), 二十七八 → (27, 28), 两三 → (2, 3), 一两 → (1, 2)."""
    match = _re(r"(?P<p>.*?)(?P<x>[一二三四五六七八两])(?P<y>[两二三四五六七八九])(?P<u>[十百千万亿]*)").fullmatch(run)
    if not match or _ZH_SMALL[match["y"]] != _ZH_SMALL[match["x"]] + 1:
        return None
    if match["p"] and match["p"][-1] not in _ZH_UNIT_CHARS:
        return None
    low = _han_value(match["p"] + match["x"] + match["u"]) if match["p"] or match["u"] else _ZH_SMALL[match["x"]]
    high = _han_value(match["p"] + match["y"] + match["u"]) if match["p"] or match["u"] else _ZH_SMALL[match["y"]]
    return (low, high) if low is not None and high is not None else None


_CODE = re.compile(r"\{\d+\}")  # an inline-code placeholder of tm.bilingual: {1}, {2}…


def _around_codes(text: str, reader) -> list[Number]:
    """``reader(text)`` as if the placeholders ``{1}``… were not there (2013年{1}1月7日 is a date),
    spans mapped back to ``text``."""
    if "{" not in text or not _CODE.search(text):
        return reader(text)
    pieces, positions, at = [], [], 0
    for code in _CODE.finditer(text):
        pieces.append(text[at:code.start()])
        positions.extend(range(at, code.start()))
        at = code.end()
    pieces.append(text[at:])
    positions.extend(range(at, len(text)))
    positions.append(len(text))
    out = []
    for number in reader("".join(pieces)):
        start = positions[number.start]
        end = positions[number.end - 1] + 1 if number.end > number.start else start
        out.append(replace(number, start=start, end=end, text=text[start:end]))
    return out


def read_chinese(text: str) -> list[Number]:
    """Every number written in Chinese ``text`` (Simplified or Traditional, any width), in order.
    Inline-code placeholders (``{1}``) are passed over."""
    return _around_codes(text, _read_chinese)


def _read_chinese(text: str) -> list[Number]:
    key = _ENTITY.sub(lambda m: " " * len(m.group()), to_simplified_aligned(fold_width(text)))
    blocked = set()
    for pattern in (_ZH_WORDS, _ZH_APPROX_WORDS):
        for m in pattern.finditer(key):
            blocked.update(range(m.start(), m.end()))
    found: list[Number] = []
    pos = 0
    while match := _ZH_CORE.search(key, pos):
        start, end = match.span()
        if start in blocked:
            pos = start + 1
            continue
        end = next((i for i in range(start, end) if i in blocked), end)  # 一千万一直 → 一千万
        numbers, end = _read_zh(text, key, match, start, end, found)
        found += numbers
        pos = max(end, start + 1)
    for i in range(len(found) - 1):  # 三至六个月, 10至40%: the first number of a range is what the second is
        first, second = found[i], found[i + 1]
        if not first.unit and first.kind == "cardinal" and _re(r"\s*(?:至|到|~|-|—|－|～|或)\s*").fullmatch(
                key[first.end:second.start]):
            if second.unit or second.kind == "percent":
                found[i] = replace(first, unit=second.unit, firm=second.firm, kind=second.kind)
            elif second.kind == "month" and first.value in range(1, 13):  # 1—11月: January to November
                found[i] = replace(first, kind="month", firm=second.firm)
    return found


def _zh_core(key: str, match: re.Match, start: int, end: int) -> tuple | None:
    """The value of the numeral ``key[start:end]`` alone: ``(value, end, precision, scaled, written,
    alternatives)``, or None; a code (G20) or a five-year plan (十三五) comes back as its kind."""
    if match["digits"]:
        mantissa, tail = match["digits"], match["tail"]
        for kilo in _KILO_UNITS:  # 5千克 is 5 kg
            if tail.endswith("千") and key.startswith(kilo, end):
                tail, end = tail[:-1], end - 1
        scale = math.prod(_ZH_SCALE[c] for c in tail)
        value, precision = _scaled(mantissa, scale), _precision(mantissa, scale)
        while tail and (more := _re(rf"零?({_DIGITS})([十百千万亿]+)").match(key[end:])):  # 1亿3000万
            more_scale = math.prod(_ZH_SCALE[c] for c in more[2])
            if more_scale >= scale:
                break
            value += _scaled(more[1], more_scale)
            precision, scale, end = _precision(more[1], more_scale), more_scale, end + more.end()
        letter_before = key[start - 1:start].isascii() and key[start - 1:start].isalpha()
        if letter_before or _re(r"\s?[A-Za-z]").match(key[end:end + 2]) and not _UNIT_AFTER.match(key, end):
            return value, end, precision, False, "code", ()
        return value, end, precision, bool(tail) and scale >= 1e4, "digits", ()
    run = key[start:end]
    if run.endswith("千") and key.startswith(_KILO_UNITS, end):
        run, end = run[:-1], end - 1
    if len(run) > 1 and run.endswith("两") and (run[-2] in _ZH_UNIT_CHARS or key.startswith(("银", "金", "白银", "黄金"), end)):
        run, end = run[:-1], end - 1  # 二十两 (银子), 三两银子, 一两黄金: 两 is the tael
    if not run:
        return None
    quoted = key[start - 1:start] in "“\"" and key[end:end + 1] in "”\""
    if (quoted or _ZH_PLAN_AFTER.match(key, end)) and len(run) >= 3 and run.endswith("五"):
        plan = _han_value(run[:-1])  # 十三五: the 13th five-year plan
        if plan is not None and 6 <= plan <= 20:
            return plan, end, 1.0, False, "plan", ()
    if len(run) == 1 and run in _ZH_FINANCIAL:
        return None  # a lone 陆 (大陆, 陆离), 伍 (队伍), 肆 (放肆), 拾 (收拾) is a word, not a number
    if pair := _approximate_pair(run):
        return pair[0], end, 1.0, False, "pair", (pair[1],)
    value = _han_value(run)
    if value is None and _re(r"[〇零一二三四五六七八九]{3,4}").fullmatch(run) and (
            "〇" in run or key.startswith("年", end)):
        value = float("".join(str(_ZH_SMALL[c]) for c in run))  # 二〇一三, 一九九七年
    if value is None and run in ("百", "千", "万") and key.startswith("分之", end):
        value = _ZH_SCALE[run]  # 百分之: the denominator
    if value is None:
        return None
    return value, end, _value_precision(value), run[-1] in "万亿" and value >= 1e4, "words", ()


def _read_zh(text: str, key: str, match: re.Match, start: int, end: int,
             found: list[Number]) -> tuple[list[Number], int]:
    """The numbers (one; two for 三四百) whose numeral is at ``key[start:end]``, read with what stands
    before and after it, and where reading stopped."""
    number, end = _read_zh_one(text, key, match, start, end, found)
    if number is None:
        return [], end
    if number.kind == "cardinal" and number.approximate and number.written == "pair":  # 三四百: 300 and 400
        low, high = number.value, number.alternatives[0]
        return [replace(number, written="words"), replace(number, value=high, alternatives=(low,), written="words")], end
    return [number], end


def _read_zh_one(text: str, key: str, match: re.Match, start: int, end: int,
                 found: list[Number]) -> tuple[Number | None, int]:
    core = _zh_core(key, match, start, end)
    if core is None:
        return None, end
    value, end, precision, scaled, written, alternatives = core
    run = key[start:end]
    if written == "code":
        return _number(text, start, end, value, written=written, firm=False), end
    if written == "digits" and (label := _zh_label(key, start, end)) is not None:
        reference = _ZH_REFERENCE_BEFORE.search(key[max(0, start - 6):start])
        return _label(text, start, label[0], firm=label[1],
                      unit=reference.group().rstrip(" (（") if reference else ""), label[0]
    if written == "plan":
        return _number(text, start, end, value, "ordinal", written="words"), end
    if written == "pair":
        if key.startswith("年代", end):  # 二三十年代, 19世纪二三十年代
            low, high = value, alternatives[0]
            if found and found[-1].kind == "century" and found[-1].end == start:
                century = found.pop()
                base = (century.value - 1) * 100
                return _number(text, century.start, end + 2, base + low, "decade",
                               alternatives=(base + high, low, high), approximate=True, written="words"), end + 2
            return _number(text, start, end + 2, low, "decade", alternatives=(high, 1900 + low, 1900 + high),
                           approximate=True, written="words"), end + 2
        unit = _ZH_UNIT.match(key, end)
        return _number(text, start, end, value, alternatives=alternatives, approximate=True, written="pair",
                       unit=unit.group() if unit else ""), end
    before, after = key[max(0, start - 6):start], key[end:end + 8]
    if run == "一" and not (before.endswith(("第", "分之")) or after.startswith(("倍", "半", "分之"))
                           or after.startswith("月") and (before.endswith("年") or _re(r"月\s*\d|月[一二三四五六七八九十]+[日号]").match(after))
                           or before.endswith("月") and after[:1] in ("日", "号")):
        return None, end + key.startswith("两", end)  # a lone 一 is an article or part of a word (一两银子: the tael)
    kind, firm, approximate, span_start = "cardinal", True, False, start

    if before.endswith("第"):
        kind, span_start = "ordinal", start - 1
    elif _ZH_ERAS.search(before):
        kind, firm = "year", False
    elif written == "words" and _is_label(key, start, end):
        return _number(text, start, end, value, written="heading", firm=False), end
    approximate = bool(_ZH_APPROX_BEFORE.search(before))
    if _re(r"翻了?$").search(before) and after.startswith("番") and value <= 10:  # 翻两番: ×4
        span_start = start - (2 if before.endswith("翻了") else 1)
        return _number(text, span_start, end + 1, 2.0 ** value, "multiple", written=written), end + 1

    if after.startswith("分之"):  # b分之a: 三分之一, 百分之五, 千分之五
        numerator = _ZH_CORE.match(key, end + 2)
        sub, sub_end = _read_zh_one(text, key, numerator, numerator.start(), numerator.end(), found) \
            if numerator else (None, end)
        if sub is None or not value:
            return None, end
        ratio = sub.value / value
        if value in (100.0, 1000.0, 10000.0):
            return _number(text, span_start, sub_end, ratio * 100, "percent", written=written,
                           precision=sub.precision * 100 / value), sub_end
        alternatives = (ratio * 100, value) if sub.value == 1 else (ratio * 100,)
        return _number(text, span_start, sub_end, ratio, "fraction", alternatives=alternatives,
                       written=written), sub_end
    if (slash := _re(r"/(\d{1,2})(?![\d/])").match(after)) and written == "digits" and 0 < value < int(slash[1]) <= 12:
        ratio = value / int(slash[1])
        return _number(text, start, end + slash.end(), ratio, "fraction", alternatives=(100 * ratio,)), \
            end + slash.end()
    if after.startswith(("%", "‰")):
        percent = value if after[0] == "%" else value / 10
        return _number(text, span_start, end + 1, percent, "percent", precision=precision,
                       approximate=approximate, written=written), end + 1
    if points := _re(r"个?百分点").match(after):
        return _number(text, span_start, end + points.end(), value, "percent", precision=precision,
                       written=written), end + points.end()
    if after.startswith("倍"):
        return _number(text, span_start, end + 1, value, "multiple", alternatives=(value + 1,),
                       written=written), end + 1
    if after.startswith("成") and written == "words" and value in range(2, 11) and \
            not _re(r"成[为功立长员本果绩就熟年交型品语新]").match(after):
        return _number(text, span_start, end + 1, value * 10, "percent", written=written), end + 1
    if after.startswith("年代"):
        if found and found[-1].kind == "century" and found[-1].end == start:  # 20世纪60年代
            century = found.pop()
            return _number(text, century.start, end + 2, (century.value - 1) * 100 + value, "decade",
                           alternatives=(value,), written=written), end + 2
        alternative = 1900 + value if value < 100 else value % 100
        return _number(text, span_start, end + 2, value, "decade", alternatives=(alternative,),
                       written=written), end + 2
    if after.startswith("世纪"):
        return _number(text, span_start, end + 2, value, "century", written=written), end + 2
    if (minutes := _re(r":(\d\d)(?!\d)").match(after)) and written == "digits" and value <= 24:
        value += int(minutes[1]) / 60
        return _number(text, span_start, end + minutes.end(), value, "time",
                       alternatives=(value + 12 if value < 12 else value - 12,)), end + minutes.end()
    clock = _re(r"点(?:(半)|钟|(\d+)分|([零〇一二三四五六七八九十]+)分)?").match(after)
    if clock and value in range(0, 25) and (_ZH_TIME_BEFORE.search(before) or clock.end() > 1 or run in "零〇"):
        if clock[1]:
            value += 0.5
        elif clock[2] or clock[3]:
            value += (int(clock[2]) if clock[2] else (_han_value(clock[3]) or _cn2an(clock[3]) or 0)) / 60
        return _number(text, span_start, end + clock.end(), value, "time",
                       alternatives=(value + 12 if value < 12 else value - 12,), written=written), end + clock.end()
    if kind == "cardinal":
        if after.startswith("年") and not after.startswith(("年级", "年龄")) and _looks_like_year(run, value):
            kind = "year"
        elif after.startswith("月") and value in range(1, 13) and not after.startswith("月亮"):
            kind = "month"
        elif after[:1] in ("日", "号") and value in range(1, 32):
            kind = "day"
        elif written == "digits" and _re(r"1[1-9]\d\d|20\d\d").fullmatch(run) and not _ZH_UNIT.match(key, end):
            kind = "year"  # 1719 (in a date range or a citation); 1347人 is a count
    if kind in ("year", "month", "day") and after[:1] in "年月日号" and not after.startswith("年代"):
        end += 1  # the span takes its 年/月/日
        after = key[end:end + 8]
    more_or_less = False
    if (more := _re(r"[多余来几]([十百千万亿]*)").match(after)) and kind == "cardinal":
        approximate = more_or_less = True
        if more[1]:  # 20多万: 200,000 and more
            scale = math.prod(_ZH_SCALE[c] for c in more[1])
            value, precision, scaled = value * scale, precision * scale, scale >= 1e4
        end += more.end()
    elif after.startswith(("左右", "上下")):
        approximate = True
    if _re(r"(?:个小时|个月|小时|年|天|岁|个|周)半").match(after):
        value, alternatives = value + 0.5, (value,)

    unit = _ZH_UNIT.match(key, end)
    unit = unit.group() if unit else ""
    numeral = run.rstrip("多余来几")
    if kind == "cardinal" and written == "words" and (
            not unit and value < 100 or len(numeral) == 1 and numeral == "二" or more_or_less and value <= 10):
        firm = False  # 三中全会, 茅十八, 二元, 十多岁: no classifier, a lone 二, an approximation
    number = _number(text, span_start, end, value, kind, alternatives=alternatives, firm=firm, precision=precision,
                     scaled=scaled, approximate=approximate, written=written, unit=unit)
    return number, end + (1 if unit == "两" else 0)  # 二十两: reading goes on after the tael


def _looks_like_year(run: str, value: float) -> bool:
    """2013 in 2013年, 二〇一三 or 一九九七 in 二〇一三年: four digits, not 两千 (a duration)."""
    return 1000 <= value <= 2999 and value == int(value) and not _re("[十百千万]").search(run)


def _is_label(key: str, start: int, end: int) -> bool:
    """A list label opening a segment: ``1.``, ``2、``, ``（3）``, ``（一）``."""
    head = key[:start].strip()
    if head in ("(", "（", "[", "【"):
        return bool(_re(r"[)）\]】]").match(key[end:end + 1]))
    return not head and bool(_re(r"[.、)）\]】](?!\d)").match(key[end:end + 2]))


def _zh_label(key: str, start: int, end: int) -> tuple[int, bool] | None:
    """``(end, firm)`` of a label at ``key[start:end]``: a reference (图2.1, 表3-2: firm), a section
    number (2.2.1, or 1.2 opening a segment: firm), a list label (1. or （3） opening it: loose)."""
    parts = _LABEL_PARTS.match(key, end)
    if _ZH_REFERENCE_BEFORE.search(key[max(0, start - 6):start]):
        return (parts.end() if parts else end), True
    if (dotted := _re(r"(?:\.\d+)+").match(key[end:])) and _re(r"\d+\.\d+").fullmatch(key[start:end]):
        return end + dotted.end(), True  # 2.2.1 (the core read 2.2)
    if not key[:start].strip() and _re(r"\d+\.\d+").fullmatch(key[start:end]) and \
            _re(r"\s+[^\s\d十百千万亿%]").match(key[end:end + 3]) and not _UNIT_AFTER.match(key, end):
        return end, True  # 1.2 opening a segment: a section number
    if _is_label(key, start, end):
        return end, False
    return None


# ------------------------------------------------------------------ English

_EN_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split())}
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
            "eighty": 80, "ninety": 90}
_EN_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_EN_SHORT_SCALES = {"bn": 1e9, "tn": 1e12, "mn": 1e6, "m": 1e6, "k": 1e3}
_EN_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
                "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
                "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
                "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
                "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90, "hundredth": 100,
                "thousandth": 1000, "millionth": 1e6}
_EN_DECADE_WORDS = {"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60,
                    "seventies": 70, "eighties": 80, "nineties": 90}
_EN_FRACTIONS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
                 "fourth": 4, "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6,
                 "seventh": 7, "sevenths": 7, "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9,
                 "tenth": 10, "tenths": 10}
_EN_MULTIPLES = {"twice": 2, "double": 2, "doubled": 2, "doubles": 2, "doubling": 2, "twofold": 2,
                 "triple": 3, "tripled": 3, "triples": 3, "tripling": 3, "treble": 3, "trebled": 3,
                 "threefold": 3, "thrice": 3, "quadruple": 4, "quadrupled": 4, "quadrupling": 4,
                 "fourfold": 4, "fivefold": 5, "tenfold": 10, "hundredfold": 100}
# Words that are numbers to a reader but also ordinary words: read, never firm.
_EN_LOOSE_WORDS = {"both": 2, "couple": 2, "once": 1, "single": 1, "fortnight": 14,  # and "the pair"
                   "centenary": 100, "centennial": 100, "bicentenary": 200, "bicentennial": 200}
_NUMBER_WORD = "|".join(sorted([*_EN_UNITS, *_EN_TENS, "hundred", *_EN_SCALES, "dozen"], key=len, reverse=True))
_ORDINAL_WORD = "|".join(sorted(_EN_ORDINALS, key=len, reverse=True))
_NEXT_WORD = rf"(?=(?:{_NUMBER_WORD}|{_ORDINAL_WORD})\b)"
_EN_WORDS = re.compile(
    rf"\b(?:(?:an?|one)\s+(?=(?:hundred|thousand|million|billion|trillion|dozen)\b))?"
    rf"(?:(?:{_NUMBER_WORD})(?:\s+and\s+{_NEXT_WORD}|[\s-]+{_NEXT_WORD})?)+(?:{_ORDINAL_WORD})?\b"
    rf"|\b(?:{_ORDINAL_WORD})\b", re.IGNORECASE)
# "two-way exchanges" (双向交流), "one-sided", "two-faced", "one another": number words that count nothing.
_EN_NOT_A_COUNT_AFTER = re.compile(r"-(?:way|sided|faced|handed|pronged)\b|(?<=\bone)\s+another\b", re.IGNORECASE)
_EN_FRACTION = re.compile(
    r"\b(a|an|one|two|three|four|five|six|seven|eight|nine)[\s-]+(half|halves|thirds?|quarters?|fifths?|sixths?|"
    r"sevenths?|eighths?|ninths?|tenths?)\b", re.IGNORECASE)
_ROMAN = re.compile(r"\b(?=[IVX])(X{0,3}(?:IX|IV|V?I{0,3}))\b(?![-'’]\w)")
_ROMAN_ONE_BEFORE = re.compile(
    r"\b(?:chapter|part|book|volume|vol\.|article|section|phase|stage|war|act|title|class|type|grade|level|"
    r"round|appendix|annex|schedule|category)\s+$", re.IGNORECASE)
_EN_DIGITS = re.compile(
    r"(?<![\d,])(?<!\d\.)(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:[ \u00a0\u2009]\d{3})+(?!\d|[,.]\d)|\d+)(?:\.\d+)?"
    r"|(?<![\w.,])\.\d+")
_EN_SCALE_AFTER = re.compile(r"[\s-]*(thousand|million|billion|trillion|bn|tn|mn|m(?=\b)|k(?=\b))\b", re.IGNORECASE)
_EN_PERCENT_AFTER = re.compile(
    r"\s*(?:%|per\s?cent\b|pct\b|percentage[\s-]points?\b)", re.IGNORECASE)
_EN_PERIODS_AFTER = re.compile(r"[\s-]+(decades?|centuries|century|millennia|millennium)\b", re.IGNORECASE)
_PERIODS = {"decad": ("decade", 10), "centu": ("century", 100), "mille": ("millennium", 1000)}
#: The units a number of periods carries (``two decades``: 20, or 2 decades).
PERIOD_UNITS = frozenset(unit for unit, _ in _PERIODS.values())


def _period(word: str) -> tuple[str, int]:
    """The unit of ``two decades`` and its years: ``("decade", 10)``, ``("century", 100)`` or
    ``("millennium", 1000)`` (two decades = 20 years, or 2 of 两个世纪)."""
    return _PERIODS[word.lower()[:5]]
_MONTH_START = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
# January-November, Jan.–Sept., March to May: either month of a range is a month.
_EN_MONTH_RANGE_AFTER = re.compile(r"\.?\s*(?:-|–|—|to|through)\s*" + _MONTH_START)
_EN_MONTH_RANGE_BEFORE = re.compile(_MONTH_START + r"[a-z]*\.?\s*(?:-|–|—|to|through)\s*$")
_EN_MONTH = re.compile(
    r"\b(?:(January|February|July|September|October|November|December)|(April|June|August|March|May)"
    r"|(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)(?!\w)(?!-(?!" + _MONTH_START + "))")
_MONTH_NUMBER = {m[:3]: i for i, m in enumerate(_MONTHS, 1)}
_EN_MONTH_CONTEXT_BEFORE = re.compile(
    r"\b(?:in|of|since|until|till|by|from|to|through|early|late|mid|last|next|this|each|every|during|"
    r"before|after|between|and|on|come)[\s-]*$", re.IGNORECASE)
_EN_APPROX_BEFORE = re.compile(
    r"\b(?:about|around|nearly|almost|roughly|some|approximately|over|under|more than|less than|fewer than|"
    r"close to|up to|just over|just under|an estimated|estimated)\s+(?:US\$|HK\$|\$|€|£|¥|RMB\s?)?$|[~≈]\s*$",
    re.IGNORECASE)
_CURRENCY_BEFORE = re.compile(r"(?:US\$|HK\$|\$|€|£|¥|RMB|CNY|USD)\s?$")
_EN_REFERENCE_BEFORE = re.compile(
    r"\b(?:fig\.|figure|table|eq\.|equation|section|chapter|appendix|page|p\.|pp\.|§|no\.|number|problem|"
    r"exercise|theorem|lemma|definition|note)\s*[(\[]?\s*$", re.IGNORECASE)



def _roman_value(numeral: str) -> int:
    values = {"I": 1, "V": 5, "X": 10}
    return sum(-values[c] if i + 1 < len(numeral) and values[numeral[i + 1]] > values[c] else values[c]
               for i, c in enumerate(numeral))


def _words_value(words: list[str]) -> tuple[float, bool] | None:
    """Value of number words (lower-case, no 'and'), and whether the last is an ordinal word."""
    total, current, ordinal = 0.0, 0.0, False
    for i, word in enumerate(words):
        if word in ("a", "an"):
            current = 1.0
        elif word in _EN_ORDINALS and i == len(words) - 1:
            ordinal, value = True, float(_EN_ORDINALS[word])
            current = (current or 1) * value if value >= 100 else current + value
        elif word in _EN_UNITS:
            current += _EN_UNITS[word]
        elif word in _EN_TENS:
            current += _EN_TENS[word]
        elif word in ("hundred", "dozen"):
            current = (current or 1) * (100 if word == "hundred" else 12)
        elif word in _EN_SCALES:
            total, current = total + (current or 1) * _EN_SCALES[word], 0.0
        else:
            return None
    return total + current, ordinal


def _split_words(phrase: str) -> list[list[str]]:
    """Number words in groups that each make one number: 'one two' → two groups, 'twenty-two' → one."""
    groups: list[list[str]] = []
    last = None
    for word in (w for w in re.split(r"[\s-]+", phrase.lower()) if w and w != "and"):
        cls = ("article" if word in ("a", "an") else "unit" if _EN_UNITS.get(word, 99) < 10
               else "teen" if word in _EN_UNITS else "tens" if word in _EN_TENS
               else "hundred" if word in ("hundred", "dozen") else "scale" if word in _EN_SCALES else "ordinal")
        joins = groups and (
            cls in ("hundred", "scale") and last in ("article", "unit", "teen", "tens", "hundred")
            or cls in ("unit", "ordinal") and last == "tens"
            or cls in ("unit", "teen", "tens", "ordinal") and last in ("hundred", "scale"))
        if joins:
            groups[-1].append(word)
        else:
            groups.append([word])
        last = cls
    return groups


def read_english(text: str) -> list[Number]:
    """Every number written in English ``text`` (any width), in order.
    Inline-code placeholders (``{1}``) are passed over."""
    return _around_codes(text, lambda plain: [replace(n, text=plain[n.start:n.end])
                                              for n in _read_english(fold_width(plain))])


def _read_english(text: str) -> list[Number]:
    text = _ENTITY.sub(lambda m: " " * len(m.group()), text)
    found: list[Number] = []

    def free(start: int, end: int) -> bool:
        return all(end <= n.start or start >= n.end for n in found)

    def add(number: Number | None) -> None:
        if number is not None and free(number.start, number.end):
            found.append(number)

    for match in _EN_DIGITS.finditer(text):
        add(_read_en_digits(text, match, found))
    for match in _EN_FRACTION.finditer(text):
        numerator = 1 if match[1].lower() in ("a", "an", "one") else _EN_UNITS[match[1].lower()]
        denominator = _EN_FRACTIONS[match[2].lower()]
        if denominator == 2 and _re(r"[\s-]+(?:dozen|hundred|thousand|million|billion)\b", re.IGNORECASE).match(
                text, match.end()):
            continue  # a half-dozen, a half million: read with the number words
        if numerator < denominator:
            ratio = numerator / denominator
            alternatives = (100 * ratio, denominator) if numerator == 1 else (100 * ratio,)
            if match[1].lower() in ("a", "an") and match[2].lower() in _EN_ORDINALS:
                alternatives += (_EN_ORDINALS[match[2].lower()],)  # a fifth (feature)
            add(_number(text, match.start(), match.end(), ratio, "fraction", alternatives=alternatives,
                        written="words", firm=match[2].lower() not in ("half", "halves")))
    for match in _ROMAN.finditer(text):
        if match[1] and (len(match[1]) > 1 or _ROMAN_ONE_BEFORE.search(text[:match.start()])):
            add(_number(text, match.start(), match.end(), _roman_value(match[1]), "ordinal", written="words"))
    for match in _EN_WORDS.finditer(text):
        if free(match.start(), match.end()) and not _EN_NOT_A_COUNT_AFTER.match(text, match.end()):
            for number in _read_en_words(text, match):
                add(number)
    for match in _EN_SINGLE_WORD.finditer(text):
        add(_read_en_word(text, match))
    for match in _EN_MONTH.finditer(text):
        name = match[1] or match[2] or match[3]
        near_number = _re(r"\.?[\s,\-–]*(?:of\s+)?\d").match(text[match.end():]) or \
            _re(r"\d(?:st|nd|rd|th)?[\s\-–]*(?:of\s+)?$").search(text[:match.start()])
        in_range = _EN_MONTH_RANGE_AFTER.match(text, match.end()) or \
            _EN_MONTH_RANGE_BEFORE.search(text[max(0, match.start() - 20):match.start()])
        if match[1] or near_number or in_range or \
                match[2] and _EN_MONTH_CONTEXT_BEFORE.search(text[:match.start()]):
            add(_number(text, match.start(), match.end(), _MONTH_NUMBER[name[:3]], "month", written="words"))
    found.sort(key=lambda n: n.start)
    _date_kinds(text, found)
    _shared_scales(text, found)
    for i, number in enumerate(found):  # 130 pounds, six-meter
        word = _re(r"[\s-]*([A-Za-z]+)").match(text[number.end:])
        if word and word[1].lower() in UNIT_SYSTEMS:
            found[i] = replace(number, unit=word[1].lower())
    return found


def _read_en_digits(text: str, match: re.Match, found: list[Number]) -> Number | None:
    start, end = match.span()
    digits = match.group()
    value = _scaled(digits)
    before, after = text[max(0, start - 40):start], text[end:end + 40]
    approximate = bool(_EN_APPROX_BEFORE.search(before))
    if _re(r"[A-Za-z]-?$").search(before) and not _re(r"\b(?:US|HK|RMB|CNY|USD|No|no|p|pp)\.?-?$").search(before):
        return _number(text, start, end, value, written="code", firm=False)
    if _EN_REFERENCE_BEFORE.search(before):  # Figure 2-1, Table 1.1, Chapter 4
        parts = _LABEL_PARTS.match(text, end)
        return _label(text, start, parts.end() if parts else end)
    if _re(r"\.\d").match(after) and _re(r"\d+\.\d+").fullmatch(digits):  # 2.2.1: a section number
        return _label(text, start, end + _re(r"(?:\.\d+)+").match(after).end())
    if not text[:start].strip() and _re(r"\d+\.\d+").fullmatch(digits) and _re(r"\.?\s+[A-Z]").match(after) \
            and not _EN_SCALE_AFTER.match(after) and not _EN_PERCENT_AFTER.match(after):
        return _label(text, start, end)  # 1.2 Objective of this book
    if _is_en_label(text, start, end):
        return _number(text, start, end, value, written="heading", firm=False)
    if (clock := _re(r":(\d\d)(?!\d)").match(after)) and value <= 24:
        value += int(clock[1]) / 60
        end += clock.end()
        if suffix := _re(r"\s*([ap])\.?m\.?", re.IGNORECASE).match(text[end:]):
            end += suffix.end()
            value += 12 if suffix[1].lower() == "p" and value < 12 else 0
        return _number(text, start, end, value, "time", alternatives=(value - 12 if value >= 13 else value + 12,))
    if (clock := _re(r"\s*([ap])\.m\.", re.IGNORECASE).match(after)) and value <= 12:
        return _number(text, start, end + clock.end(), value, "time",
                       alternatives=(value + 12 if clock[1].lower() == "p" else value,))
    scale = _EN_SCALE_AFTER.match(after)
    if scale and (scale[1].lower() not in ("m", "k") or _CURRENCY_BEFORE.search(before)):
        factor = _EN_SHORT_SCALES.get(scale[1].lower()) or _EN_SCALES[scale[1].lower()]
        return _number(text, start, end + scale.end(), _scaled(digits, factor), precision=_precision(digits, factor),
                       scaled=True, approximate=approximate)
    if percent := _EN_PERCENT_AFTER.match(after):
        return _number(text, start, end + percent.end(), value, "percent", precision=_precision(digits),
                       approximate=approximate)
    if ordinal := _re(r"(?:st|nd|rd|th)\b", re.IGNORECASE).match(after):
        century = _re(r"(?:st|nd|rd|th)[\s-]+century", re.IGNORECASE).match(after)
        return _number(text, start, end + ordinal.end(), value, "century" if century else "ordinal")
    if decade := _re(r"'?s\b").match(after):
        alternative = value % 100 if value >= 100 else 1900 + value
        return _number(text, start, end + decade.end(), value, "decade", alternatives=(alternative,))
    if fold := _re(r"-?fold\b|\s+times\b", re.IGNORECASE).match(after):
        return _number(text, start, end + fold.end(), value, "multiple")
    if periods := _EN_PERIODS_AFTER.match(after):
        unit, years = _period(periods[1])
        return _number(text, start, end + periods.end(), value * years, alternatives=(value,), unit=unit)
    if _re(r"[A-Za-z]").match(after) and not _UNIT_AFTER.match(after):
        return _number(text, start, end, value, written="code", firm=False)
    if before.endswith(("'", "’")) and _re(r"\d\d").fullmatch(digits):  # '98
        return _number(text, start - 1, end, 1900 + value if value > 30 else 2000 + value, "year",
                       alternatives=(value,))
    previous = found[-1] if found else None
    if _re(r"\d\d").fullmatch(digits) and previous is not None and previous.kind == "year" and \
            _re(r"\s*[-–—]\s*").fullmatch(text[previous.end:start]):  # 2016-20
        full = (previous.value // 100) * 100 + value
        if full > previous.value:
            return _number(text, start, end, full, "year", alternatives=(value,))
    if half := _re(r"\s+and\s+a\s+half\b").match(after):
        return _number(text, start, end + half.end(), value + 0.5, alternatives=(value,))
    if (fraction := _re(r"/(\d{1,2})(?![\d/])").match(after)) and 0 < value < int(fraction[1]) <= 12 \
            and not before.endswith("/"):
        ratio = value / int(fraction[1])
        return _number(text, start, end + fraction.end(), ratio, "fraction", alternatives=(100 * ratio,))
    if _re(r"1[1-9]\d\d|20\d\d").fullmatch(digits) and not approximate:
        return _number(text, start, end, value, "year")
    return _number(text, start, end, value, precision=_precision(digits), approximate=approximate)


def _is_en_label(text: str, start: int, end: int) -> bool:
    """A list label opening a segment: ``1.``, ``2)``, ``(3)``; or one of a list run into a sentence:
    ``…: (1) sequestration…; (2) specific…; and (3) limitation`` (Chinese often numbers it ①②③)."""
    head = text[:start].strip()
    if head in ("(", "["):
        return bool(_re(r"[)\]]").match(text[end:end + 1]))
    if text[start:end].isdigit() and int(text[start:end]) <= 20 and \
            _re(r"(?:[:;,]|\band|\bor)\s*\($").search(text[max(0, start - 8):start]) and \
            _re(r"\)\s+[A-Za-z]").match(text, end):
        return True
    return not head and bool(_re(r"[.)](?!\d)").match(text[end:end + 2]))


def _read_en_words(text: str, match: re.Match) -> list[Number]:
    numbers = []
    at = match.start()
    for group in _split_words(match.group()):
        located = re.compile(r"[\s-]+(?:and\s+)?".join(map(re.escape, group)), re.IGNORECASE).search(
            text, at, match.end())
        parsed = _words_value(group)
        if located is None or parsed is None:
            continue
        start, end = located.span()
        at = end
        value, ordinal = parsed
        before, after = text[max(0, start - 40):start], text[end:end + 40]
        lone = group[0] if len(group) == 1 else None
        # one, first, second double as other words; "a word or two", "one or two" are approximations
        either = lone in _EN_UNITS and value < 10 and (_re(r"\bor\s+$").search(before) or _re(
            r"\s+or\s+(?:two|three|four|five|six|seven|eight|nine|ten)\b", re.IGNORECASE).match(after)) or \
            _re(r"\b(?:several|a\s+few|few|many|some|tens\s+of|hundreds\s+of)\s+$", re.IGNORECASE).search(before)
        firm = lone not in ("one", "first", "second", "a", "an") and not either
        if ordinal:
            century = _re(r"[\s-]+century", re.IGNORECASE).match(after)
            numbers.append(_number(text, start, end, value, "century" if century else "ordinal", firm=firm,
                                   written="words"))
        elif percent := _EN_PERCENT_AFTER.match(after):
            numbers.append(_number(text, start, end + percent.end(), value, "percent", written="words"))
        elif times := _re(r"[\s-]+times\b|-?fold\b", re.IGNORECASE).match(after):
            numbers.append(_number(text, start, end + times.end(), value, "multiple", written="words"))
        elif half := _re(r"\s+and\s+a\s+half\b").match(after):
            numbers.append(_number(text, start, end + half.end(), value + 0.5, alternatives=(value,),
                                   written="words"))
        elif periods := _EN_PERIODS_AFTER.match(after):
            unit, years = _period(periods[1])
            numbers.append(_number(text, start, end + periods.end(), value * years, alternatives=(value,),
                                   written="words", unit=unit))
        elif group[-1].lower() in ("dozen", "hundred", *_EN_SCALES) and (len(group) == 1 or group[0].lower() in ("a", "an")) \
                and (half := _re(r"\bhalf[\s-]+$", re.IGNORECASE).search(before)):  # half a dozen, half a million
            scaled = group[-1].lower() in _EN_SCALES
            numbers.append(_number(text, start - len(half.group()), end, value / 2, written="words", scaled=scaled,
                                   precision=value / 2 if scaled else None))
        else:
            numbers.append(_number(text, start, end, value, firm=firm, scaled=any(w in _EN_SCALES for w in group),
                                   approximate=bool(_EN_APPROX_BEFORE.search(before)), written="words"))
    return numbers


# The words _read_en_word may read (a regular expression finds them faster than a test of every word).
_EN_SINGLE_WORD = re.compile(
    r"\b(?:" + "|".join(sorted({*_EN_MULTIPLES, *_EN_DECADE_WORDS, *_EN_LOOSE_WORDS, "decade", "century", "pair", "unity", "half"},
                                key=len, reverse=True)) + r"|[A-Za-z]+-fold)\b", re.IGNORECASE)


def _read_en_word(text: str, match: re.Match) -> Number | None:
    """Single words that are numbers: twice, tripled, threefold, the sixties, both, a decade."""
    word = match.group().lower()
    start, end = match.span()
    before = text[max(0, start - 20):start]
    if word in _EN_MULTIPLES:
        return _number(text, start, end, _EN_MULTIPLES[word], "multiple", written="words",
                       firm=word not in ("double", "single"))
    if word.endswith("-fold") and (parsed := _words_value([word[:-5]])):
        return _number(text, start, end, parsed[0], "multiple", written="words")
    if word in _EN_DECADE_WORDS and \
            _re(r"\b(?:the|their|his|her|its|late|early|mid)[\s-]*$", re.IGNORECASE).search(before):
        value = _EN_DECADE_WORDS[word]
        return _number(text, start, end, value, "decade", alternatives=(1900 + value,), written="words")
    if word in ("decade", "century") and (
            _re(r"\b(?:a|one|the\s+past|the\s+last|the\s+next)\s+$", re.IGNORECASE).search(before)
            or _re(r"-(?:long|old)\b", re.IGNORECASE).match(text, end)):  # a decade-long study, century-old
        return _number(text, start, end, 10 if word == "decade" else 100, firm=False, written="words")
    if word == "unity" and _re(r"\b(?:is|be|equals?|equal\s+to|to|than)\s+$", re.IGNORECASE).search(before):
        return _number(text, start, end, 1, firm=False, written="words")  # (a transform) equal to unity
    if word == "half" and (measure := _re(r"[\s-]+(?:an?\s+)?([A-Za-z]+)").match(text, end)) and \
            measure[1].lower() in UNIT_SYSTEMS:  # a half-acre, half a mile: a quantity in a unit of measure
        return _number(text, start, end, 0.5, firm=False, written="words", unit=measure[1].lower())
    if word == "pair" and _re(r"\bthe\s+$", re.IGNORECASE).search(before):  # the pair (of them); a pair of shoes is one
        return _number(text, start, end, 2, firm=False, written="words")
    if word in _EN_LOOSE_WORDS:
        return _number(text, start, end, _EN_LOOSE_WORDS[word], firm=False, written="words")
    return None


_EN_SCALE_END = re.compile(r"(thousand|million|billion|trillion|bn|tn|mn|m|k)$", re.IGNORECASE)


def _shared_scales(text: str, found: list[Number]) -> None:
    """The first number of a range takes the scale word of the second: ``three or four thousand`` is
    3,000 or 4,000, ``2 to 3 million`` 2 and 3 million."""
    for i in range(len(found) - 1):
        first, second = found[i], found[i + 1]
        scale = _EN_SCALE_END.search(second.text)
        if not (scale and second.scaled and not first.scaled and first.kind == second.kind == "cardinal"
                and first.written in ("digits", "words") and _re(r"\s*(?:or|to|-|–)\s*").fullmatch(
                    text[first.end:second.start])):
            continue
        factor = _EN_SCALES.get(scale[1].lower()) or _EN_SHORT_SCALES[scale[1].lower()]
        if first.value * factor < second.value * 10:  # "one or two million", not "500 to 2 million"
            found[i] = replace(first, value=float(Decimal(str(first.value)) * Decimal(int(factor))),
                               precision=first.precision * factor, scaled=True)


def _date_kinds(text: str, found: list[Number]) -> None:
    """Digits next to a month name are its day (1–31) or its year (four digits)."""
    for i, month in enumerate(found):
        if month.kind != "month":
            continue
        for j in (i - 1, i + 1, i + 2):
            if not 0 <= j < len(found) or j == i:
                continue
            other = found[j]
            gap = text[min(other.end, month.end):max(other.start, month.start)]
            if other.written != "digits" or not _re(r"[\s,.]*(?:of\s+|the\s+)?[\s,]*").fullmatch(gap):
                continue
            if other.kind in ("cardinal", "ordinal") and other.value in range(1, 32):
                found[j] = replace(other, kind="day")
            elif other.kind in ("cardinal", "year") and _re(r"\d{4}").fullmatch(other.text):
                found[j] = replace(other, kind="year")


# ------------------------------------------------------------------ the value-only interface

def chinese_number_spans(text: str) -> list[tuple[int, int, float]]:
    """``(start, end, value)`` of every number in Chinese text, as :func:`read_chinese` reads them
    (``2,200``, full-width too, ``80亿``, 百分之 percentages, ``两千万``; a lone 一 is not a number)."""
    return [(n.start, n.end, n.value) for n in read_chinese(text)]


def chinese_numbers(text: str) -> list[float]:
    """Values of the numbers written in Chinese text (see :func:`read_chinese`)."""
    return [n.value for n in read_chinese(text)]


def english_numbers(text: str) -> list[float]:
    """Values of the numbers written in English text (see :func:`read_english`)."""
    return [n.value for n in read_english(text)]


def number_key(value: float) -> str:
    """A comparable token for a value: six significant digits."""
    return f"#{value:.6g}"
