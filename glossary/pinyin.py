"""Hanyu Pinyin in standard orthography (GB/T 16159-2012, the essentials).

- the syllables of one word are joined, words are separated by spaces;
- tone marks on the right vowel (``a``/``e`` first, ``ou`` marks the ``o``,
  else the last vowel); citation tones: no sandhi, 一 is ``yī`` and 不 is ``bù``;
- an apostrophe before a syllable that starts with a, o or e inside a word:
  ``Xī'ān``, ``Tiān'ānmén``, ``shí'èrwǔ``;
- proper nouns capitalised word by word; person names as surname + given name
  (``Lǚ Zhènqián``); place names split into specific name and generic
  (``Běijīng Shì``, ``Cháng'ān Jiē``); long names split into their words
  (``Zhōnggòng Zhōngyāng Zǔzhībù``); erhua as ``r`` (``yīhuìr``);
- aspect particles 了着过 joined to the verb (``kànle``), ordinal 第 joined with
  a hyphen (``dì-shíbā jiè``), numbers and measure words apart (``sān gè``);
- digits and Latin letters are kept, Chinese punctuation becomes Western.

pypinyin gives the syllables (with its phrase dictionary for polyphones in
context); jieba gives the words, from a private ``jieba.Tokenizer`` to which
the glossary's terms are added (never the global one). CC-CEDICT is the
reference the readings are measured against (``benchmarks/pinyin_cedict.py``)
and the source of erhua words.
"""
from __future__ import annotations

import functools
import logging
import math
import re
import threading
import unicodedata
from typing import Iterable, Mapping

import jieba
import jieba.posseg
from pypinyin import Style, pinyin as _pypinyin
from pypinyin.constants import PHRASES_DICT as _PYPINYIN_PHRASES

from . import cedict
from .normalize import fold_width, is_han, to_simplified

_VOWELS = "aeiouü"
_MARKS = {
    "a": "āáǎà", "e": "ēéěè", "i": "īíǐì", "o": "ōóǒò", "u": "ūúǔù", "ü": "ǖǘǚǜ",
}
_UNMARK = {m: (v, t + 1) for v, ms in _MARKS.items() for t, m in enumerate(ms)}
_NUMBERED = re.compile(r"^([a-zü:]+?)([0-5]?)$", re.IGNORECASE)

COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 诸葛 上官 司徒 东方 皇甫 尉迟 公孙 慕容 令狐 长孙 宇文 夏侯 轩辕 "
    "端木 独孤 南宫 西门 澹台 公冶 宗政 濮阳 太史 申屠 钟离 闻人 赫连 呼延 万俟".split()
)
#: Surnames whose reading differs from the character's common reading.
SURNAME_READINGS = {
    "单": "shàn", "曾": "zēng", "解": "xiè", "仇": "qiú", "区": "ōu", "查": "zhā",
    "朴": "piáo", "乐": "yuè", "盖": "gě", "种": "chóng", "翟": "zhái", "缪": "miào",
    "覃": "qín", "尉迟": "yùchí", "万俟": "mòqí", "长孙": "zhǎngsūn", "黑": "hè",
    "华": "huà", "任": "rén", "费": "fèi", "纪": "jǐ", "重": "chóng", "员": "yùn",
}
#: Generic parts of place names, written apart from the specific name.
PLACE_GENERICS = (
    "特别行政区", "自治区", "自治州", "自治县", "开发区", "新区", "地区", "大街",
    "省", "市", "县", "区", "州", "盟", "旗", "镇", "乡", "村", "街", "路", "道",
    "河", "江", "湖", "山", "岛", "港", "湾", "海",
)
_NUMERALS = set("零〇一二三四五六七八九十百千万亿两几")
_MEASURES = set("个届次名位条项年月日天号人家座所件本张只辆倍岁层级期批轮")
_PROPER_TAGS = ("nr", "ns", "nt", "nz")
_ASPECT = {"ul", "uz", "ug"}  # jieba's tags for aspect particles 了 着 过
_PUNCT = {
    "。": ".", "，": ",", "、": ",", "；": ";", "：": ":", "？": "?", "！": "!",
    "（": "(", "）": ")", "“": '"', "”": '"', "‘": "'", "’": "'", "《": '"',
    "》": '"', "〈": '"', "〉": '"', "「": '"', "」": '"', "『": '"', "』": '"',
    "【": "[", "】": "]", "—": "—", "…": "…", "·": "·", "～": "~", "　": " ",
}
_OPENING = set("([\"'")
_SENTENCE_END = set(".?!")


# ---------------------------------------------------------------- syllables

def mark_tone(syllable: str) -> str:
    """Numbered syllable to tone-marked: ``"yin2"`` → ``"yín"``, ``"lv3"`` → ``"lǚ"``.

    ``u:`` and ``v`` stand for ü; tone 5, 0 or no digit is the neutral tone (no mark).
    Case is kept (``"Xi1"`` → ``"Xī"``). A syllable it cannot read is returned as is.
    """
    match = _NUMBERED.match(syllable)
    if not match:
        return syllable
    body, tone = match.groups()
    body = body.replace("u:", "ü").replace("U:", "Ü").replace("v", "ü").replace("V", "Ü")
    if not tone or tone in "05":
        return body
    lower = body.lower()
    if "a" in lower:
        pos = lower.index("a")
    elif "e" in lower:
        pos = lower.index("e")
    elif "ou" in lower:
        pos = lower.index("o")
    else:
        pos = max((i for i, c in enumerate(lower) if c in _VOWELS), default=-1)
        if pos < 0:
            return body  # "r", "m", "ng": nothing to mark
    marked = _MARKS[lower[pos]][int(tone) - 1]
    if body[pos].isupper():
        marked = marked.upper()
    return body[:pos] + marked + body[pos + 1:]


def number_tone(syllable: str) -> str:
    """Tone-marked syllable to numbered: ``"yín"`` → ``"yin2"``, ``"le"`` → ``"le5"``, ü → ``v``."""
    tone = 5
    out = []
    for char in syllable:
        if char.lower() in _UNMARK:
            base, tone = _UNMARK[char.lower()]
            char = base.upper() if char.isupper() else base
        out.append(char)
    return "".join(out).replace("ü", "v").replace("Ü", "V") + str(tone)


def strip_tones(text: str) -> str:
    """Remove tone marks and tone numbers, keeping ü: ``"Lǚ Zhènqián"`` → ``"Lü Zhenqian"``."""
    out = []
    for char in text:
        if char.lower() in _UNMARK:
            base = _UNMARK[char.lower()][0]
            char = base.upper() if char.isupper() else base
        out.append(char)
    return re.sub(r"(?<=[a-zü])[0-5]", "", "".join(out), flags=re.IGNORECASE)


def pinyin_key(text: str) -> str:
    """The key toneless lookups compare: lower-case letters only, ü as ``v``.

    ``"Liǎnghuì"``, ``"liang3hui4"``, ``"liang hui"`` and ``"lianghui"`` all give ``"lianghui"``.
    """
    text = strip_tones(unicodedata.normalize("NFC", text)).lower()
    text = text.replace("ü", "v").replace("u:", "v")
    return re.sub(r"[^a-z]", "", text)


def join_syllables(syllables: Iterable[str]) -> str:
    """Join the syllables of one word, with ``'`` before a/o/e inside it: ``Xī'ān``."""
    out = ""
    for syllable in syllables:
        if out and syllable and syllable[0].lower() in "aāáǎàeēéěèoōóǒò" and out[-1] != "-":
            out += "'"
        out += syllable
    return out


def capitalize(word: str) -> str:
    """Upper-case the first letter only: ``"zhōngyāng"`` → ``"Zhōngyāng"``."""
    return word[:1].upper() + word[1:]


@functools.lru_cache(maxsize=1)
def erhua_words() -> dict[str, tuple[int, ...]]:
    """Words CC-CEDICT reads with erhua, and where: 一会儿 → (2,), 今儿个 → (1,)."""
    found = {}
    for e in cedict.entries():
        sylls = e.syllables
        if "儿" in e.simplified[1:] and len(sylls) == len(e.simplified):
            at = tuple(i for i, s in enumerate(sylls) if i and s.lower() in ("r5", "r"))
            if at:
                found[e.simplified] = at
    return found


#: Complements after which a 不 inside a word is neutral: 了不起, 看不见, 对不起.
_POTENTIAL_COMPLEMENTS = set("了起得着住到过来去动完见开下上及出成懂清通")


def _reading(word: str) -> list[list[str]]:
    """Numbered readings: pypinyin's phrase table, else CC-CEDICT's one reading, else pypinyin."""
    if word not in _PYPINYIN_PHRASES and all(map(is_han, word)):
        known = cedict.unique_readings().get(word)
        if known:
            return [[s] for s in known]
    return _pypinyin(word, style=Style.TONE3, neutral_tone_with_five=True,
                     errors=lambda chars: [[c] for c in chars])


def syllables(word: str) -> list[str]:
    """Tone-marked, lower-case syllables of a Chinese word, one per character.

    Polyphones are read in the context of the word: from pypinyin's phrase
    dictionary (银行 ``yín háng``, 行长 ``háng zhǎng``), else from CC-CEDICT
    where it has exactly one reading for the word (原子 ``yuán zǐ``, where
    pypinyin alone guesses ``yuán zi``), else character by character; 一 and 不 keep their
    citation tones, but 不 between a verb and its complement is neutral (了不起
    ``liǎobuqǐ``); the 儿 of an erhua word (CC-CEDICT's) is ``r``. Characters that are
    not Han come through unchanged.
    """
    readings = _reading(word)
    out = []
    for char, (reading,) in zip(word, readings):
        if char == "一" and reading in ("yi2", "yi4"):
            reading = "yi1"
        elif char == "不" and reading in ("bu2", "bu5"):
            reading = "bu4"
        out.append(mark_tone(reading.lower()) if is_han(char) else reading)
    for i, char in enumerate(word):
        if char == "不" and len(word) == 3 and i == 1 and word[2] in _POTENTIAL_COMPLEMENTS:
            out[i] = "bu"
    if "儿" in word[1:]:
        for i in erhua_words().get(word, ()):
            out[i] = "r"
    return out


# ---------------------------------------------------------------- words

def _quiet_jieba() -> None:
    logging.getLogger("jieba").setLevel(logging.WARNING)
    jieba.setLogLevel(logging.WARNING)


class Orthography:
    """Pinyin of running text, with its own jieba tokenizer.

    ``readings`` maps Chinese terms to pinyin that a person wrote (the
    glossary's); such a term is segmented as one word and written as given.
    ``proper`` lists further terms to treat as proper nouns (capitalised);
    ``words``, further terms to segment as one word.
    """

    def __init__(self, readings: Mapping[str, str] | None = None,
                 proper: Iterable[str] = (), words: Iterable[str] = ()):
        self.readings = dict(readings or {})
        self.proper = set(proper)
        self.words = set(words)
        self._lock = threading.Lock()
        self._tokenizer: jieba.Tokenizer | None = None
        self._pos: jieba.posseg.POSTokenizer | None = None

    def _posseg(self) -> jieba.posseg.POSTokenizer:
        with self._lock:
            if self._pos is None:
                _quiet_jieba()
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                for word in sorted(set(self.readings) | self.proper | self.words, key=len):
                    if len(word) > 1:
                        tag = "nt" if word in self.proper else "n"
                        tokenizer.add_word(word, freq=max(tokenizer.FREQ.get(word) or 0, 1000), tag=tag)
                self._tokenizer = tokenizer
                self._pos = jieba.posseg.POSTokenizer(tokenizer)
            return self._pos

    def word_boundaries(self, text: str) -> set[int]:
        """Character offsets where jieba (with the known terms) starts or ends a word in ``text``.

        A compound that jieba keeps whole but that is two dictionary words of two
        or more characters each (陕西省政府 = 陕西省 + 政府) also has a boundary
        between them, so that a term is found at the start or end of such a compound.
        """
        self._posseg()
        freq = self._tokenizer.FREQ
        bounds, at = {0}, 0
        for word in self._tokenizer.cut(text):
            for cut in range(2, len(word) - 1):
                if freq.get(word[:cut]) and freq.get(word[cut:]):
                    bounds.add(at + cut)
            at += len(word)
            bounds.add(at)
        return bounds

    # -- splitting words the way the standard writes them

    def _subwords(self, word: str) -> list[str]:
        """Split a long word into dictionary words of two or more characters.

        Returns ``[word]`` where no such split covers it. Prefers the fewest
        pieces, then the most frequent ones (as jieba weighs words).
        """
        freq = self._tokenizer.FREQ
        n = len(word)
        best: list[tuple[int, float, list[str]] | None] = [None] * (n + 1)
        best[n] = (0, 0.0, [])
        for i in range(n - 2, -1, -1):
            for j in range(i + 2, n + 1):
                piece = word[i:j]
                count = freq.get(piece) or (1 if piece in self.readings else 0)
                if (i, j) == (0, n) or not count or best[j] is None:
                    continue
                rest = best[j]
                candidate = (rest[0] + 1, rest[1] - math.log(count), [piece, *rest[2]])
                if best[i] is None or candidate[:2] < best[i][:2]:
                    best[i] = candidate
        return best[0][2] if best[0] else [word]

    def _split(self, word: str, depth: int = 0) -> list[str]:
        if len(word) < 4 or depth > 3:
            return [word]
        parts = self._subwords(word)
        if len(parts) == 1:
            return parts
        return [p for part in parts for p in self._split(part, depth + 1)]

    def _place(self, word: str) -> list[str]:
        for generic in PLACE_GENERICS:
            if word.endswith(generic) and len(word) - len(generic) >= 2:
                return [*self._split(word[: -len(generic)]), generic]
        return self._split(word)

    @staticmethod
    def _person(word: str) -> list[str]:
        cut = 2 if word[:2] in COMPOUND_SURNAMES else 1
        return [word[:cut], word[cut:]] if 2 <= len(word) <= 4 and len(word) > cut else [word]

    def _written(self, word: str, proper: bool = False, surname: bool = False) -> str:
        if surname and word in SURNAME_READINGS:
            text = SURNAME_READINGS[word]
        else:
            text = join_syllables(syllables(word))
        return capitalize(text) if proper else text

    def word(self, word: str, tag: str = "") -> list[str]:
        """The written pinyin of one segmented word: a list of space-separated parts."""
        if word in self.readings:
            return [self.readings[word]]
        if word in self.proper:
            tag = "nt"
        if tag.startswith("nr") and len(word) <= 4:
            parts = self._person(word)
            return [self._written(parts[0], True, surname=True),
                    *(self._written(p, True) for p in parts[1:])]
        if tag.startswith("ns"):
            return [self._written(p, True) for p in self._place(word)]
        if tag.startswith(("nt", "nz")):
            return [self._written(p, True) for p in self._split(word)]
        if tag in ("i", "l"):  # idioms and set phrases stay whole
            return [self._written(word)]
        if word[:1] == "第" and len(word) > 1 and word[1] in _NUMERALS:
            number = word[1:]
            measure = number[-1] if number[-1] in _MEASURES and len(number) > 1 else ""
            number = number[: len(number) - len(measure)]
            ordinal = "dì-" + join_syllables(syllables(number))
            return [ordinal, self._written(measure)] if measure else [ordinal]
        if tag == "m" and len(word) > 1 and word[-1] in _MEASURES and set(word[:-1]) <= _NUMERALS:
            return [self._written(word[:-1]), self._written(word[-1])]
        return [self._written(p) for p in self._split(word)]

    def tokens(self, text: str) -> list[tuple[str, str]]:
        """jieba's (word, tag) pairs, with 了着过 joined to their verb and 第 to its number."""
        out: list[tuple[str, str]] = []
        for pair in self._posseg().cut(text):
            word, tag = pair.word, pair.flag
            if out and tag in _ASPECT and is_han(out[-1][0][-1:]):
                out[-1] = (out[-1][0] + word, out[-1][1])
            elif out and out[-1][0] == "第" and word[:1] in _NUMERALS:
                out[-1] = ("第" + word, "m")
            else:
                out.append((word, tag))
        return out

    def convert(self, text: str, sentence_case: bool | None = None) -> str:
        """``text`` in standard pinyin orthography.

        ``sentence_case`` capitalises the first word of each sentence; by default
        it is on when the text holds sentence-final punctuation (。！？), so a
        single word or term stays lower-case unless it is a proper noun.
        """
        if sentence_case is None:
            sentence_case = any(c in text for c in "。！？")
        # Readings and words are Simplified; full-width letters and digits are ordinary ones.
        text = to_simplified(fold_width(text))
        pieces: list[str] = []  # words and punctuation, in order
        for word, tag in self.tokens(text):
            if any(is_han(c) for c in word):
                pieces.extend(self.word(word, tag))
            elif word.strip() == "":
                if "\n" in word:
                    pieces.append("\n")
            else:
                pieces.append("".join(_PUNCT.get(c, c) for c in word))
        return _assemble(pieces, sentence_case)


def _assemble(pieces: list[str], sentence_case: bool) -> str:
    """Join words and punctuation: a space between words and after punctuation, none
    before closing punctuation or after an opening quote or bracket."""
    out = ""
    start = True
    quotes_open = False
    glue_next = True  # no space before the next piece (start of line, after an opener)
    for piece in pieces:
        if piece == "\n":
            out = out.rstrip(" ") + "\n"
            start = glue_next = True
            continue
        is_word = piece[:1].isalnum()
        if piece == '"':
            quotes_open = not quotes_open
            opening = quotes_open
        else:
            opening = piece in _OPENING
        closing = not is_word and not opening
        if out and not glue_next and not closing:
            out += " "
        if is_word and sentence_case and start:
            piece = capitalize(piece)
        if is_word:
            start = False
        elif piece.strip() in _SENTENCE_END:
            start = True
        out += piece
        glue_next = opening
    return re.sub(r" +", " ", out).strip(" ")


@functools.lru_cache(maxsize=1)
def default_orthography() -> Orthography:
    """An :class:`Orthography` without glossary terms (built on first use)."""
    return Orthography()


def to_pinyin(text: str, sentence_case: bool | None = None) -> str:
    """``text`` in standard orthography, without glossary readings.

    >>> to_pinyin("西安")
    "Xī'ān"
    """
    return default_orthography().convert(text, sentence_case)
