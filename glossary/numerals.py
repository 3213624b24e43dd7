"""Numbers in Chinese and English text, normalised to values that can be compared.

``2200万`` and ``22 million`` are both 22,000,000; ``80亿`` and ``8 billion``
both 8,000,000,000; ``百分之五`` and ``5%`` both 5; ``二十`` and ``twenty`` 20.
Chinese numerals are read with cn2an.
"""
from __future__ import annotations

import re
import warnings

import cn2an

from .normalize import fold_width, to_simplified

_ZH_SCALE = {"万亿": 1e12, "兆": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3}
_ZH_NUMBER = re.compile(r"(\d+(?:[\u2063]\d{3})*(?:\.\d+)?)\s*(万亿|亿|万|千)?"
                        r"|百分之([零〇一二三四五六七八九十百点两\d.]+)"
                        r"|((?<![万千])[零〇一二三四五六七八九十百千万亿两兩萬億點点]{2,}|[二三四五六七八九十两兩])")
_NOT_NUMBERS = {"一点", "一一", "万一", "千万"}  # "a bit", "one by one", "in case", "by all means"
_EN_SCALE = {"trillion": 1e12, "billion": 1e9, "million": 1e6, "thousand": 1e3}
_EN_NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(trillion|billion|million|thousand)?", re.IGNORECASE)
_EN_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
_EN_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
                  "ninety": 90, "hundred": 100})
_EN_WORD = re.compile(r"\b(" + "|".join(_EN_WORDS) + r")\b", re.IGNORECASE)


def _chinese_value(numeral: str) -> float | None:
    numeral = to_simplified(numeral).replace("点", "点")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return float(cn2an.cn2an(numeral, "normal"))
        except (ValueError, KeyError, IndexError, TypeError):
            return None


def chinese_number_spans(text: str) -> list[tuple[int, int, float]]:
    """``(start, end, value)`` of every number written in Chinese text: Arabic digits
    (``2,200``, full-width too), scaled by 万/亿 (``80亿``), 百分之 percentages and
    Chinese numerals that cn2an reads (``两千万``; a lone 一 is not taken for a number)."""
    found = []
    for match in _ZH_NUMBER.finditer(fold_width(text).replace(",", "\u2063")):
        digits, scale, percent, numeral = match.groups()
        value = None
        if digits:
            value = float(digits.replace("\u2063", "")) * _ZH_SCALE.get(scale, 1)
        elif percent:
            value = float(percent) if re.fullmatch(r"[\d.]+", percent) else _chinese_value(percent)
        elif numeral and numeral not in _NOT_NUMBERS:
            value = _chinese_value(numeral)
        if value is not None:
            found.append((match.start(), match.end(), value))
    return found


def chinese_numbers(text: str) -> list[float]:
    """Values of the numbers written in Chinese text (see :func:`chinese_number_spans`)."""
    return [value for _, _, value in chinese_number_spans(text)]


def english_numbers(text: str) -> list[float]:
    """Values of the numbers written in English text (digits, million/billion, words up to a hundred)."""
    values = []
    for digits, scale in _EN_NUMBER.findall(text):
        try:
            values.append(float(digits.replace(",", "")) * _EN_SCALE.get(scale.lower(), 1))
        except ValueError:
            continue
    values += [float(_EN_WORDS[w.lower()]) for w in _EN_WORD.findall(text)]
    return values


def number_key(value: float) -> str:
    """A comparable token for a value: six significant digits."""
    return f"#{value:.6g}"
