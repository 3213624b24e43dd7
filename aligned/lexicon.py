"""Lexical evidence that a Chinese and an English stretch translate each other.

A Chinese sentence becomes a list of sets: for each jieba word, the English
content words of its CC-CEDICT glosses (and of the glossary's renderings),
plus its numbers as value tokens; an English sentence becomes the set of its
content words (lower-case, singular) and number tokens. Names meet through pinyin: a Chinese
word with no gloss of two to four characters also stands for its toneless pinyin (吕振乾 →
``luzhenqian``, and ``zhenqian`` for a given name), an English run of capitalised words for the same
key (``Lyu Zhenqian`` → ``luzhenqian``, ``zhenqian``). :meth:`LexicalFeatures.score`
is the harmonic mean of two coverages: the share of Chinese words with a gloss
found in the English, and the share of English words found among the glosses.
"""
from __future__ import annotations

import functools
import re

from glossary import cedict
from pypinyin import lazy_pinyin

from glossary.english import singular
from glossary.normalize import han_count
from glossary.numerals import chinese_numbers, english_numbers, number_key
from glossary.words import words

_STOP = frozenset(
    "a an the of to in on at for by with from and or but as is are was were be been being it its this that "
    "these those he she they them his her their you we us our your not no so than then there here what which "
    "who whom whose how when where why all any some also into out up down over under about after before again "
    "very can could would should will shall may might must does did have has had just only more most other "
    "such own same too one two".split())
_WORD = re.compile(r"[A-Za-z]+")
_CAPITALISED_RUN = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*")


def name_key(text: str) -> str:
    """Toneless pinyin or romanised name as one comparable key: lower-case letters, ü (v, yu
    after l/n in Lyu, Nyu) as u. ``"Lyu Zhenqian"`` and ``"lv zhen qian"`` give ``"luzhenqian"``."""
    key = re.sub(r"[^a-z]", "", text.lower().replace("ü", "v"))
    return re.sub(r"(?<=[ln])(?:yu|v)", "u", key)


def _chinese_name_keys(word: str) -> frozenset[str]:
    syllables = lazy_pinyin(word)
    keys = {name_key("".join(syllables))}
    if len(word) == 3:
        keys.add(name_key("".join(syllables[1:])))  # the given name of a surname + two characters
    return frozenset(keys)


def _english_name_keys(text: str) -> set[str]:
    keys = set()
    for run in _CAPITALISED_RUN.findall(text):
        parts = re.split(r"[ -]", run)
        if len(parts) > 1:  # a full name; a capitalised word alone may be any word
            keys.add(name_key("".join(parts[-2:])))
    return keys
_SKIPPED_GLOSSES = ("variant of", "old variant", "see ", "CL:", "surname", "abbr.", "used in")


def _content(text: str) -> set[str]:
    return {singular(w) for w in (m.lower() for m in _WORD.findall(text)) if len(w) > 2 and w not in _STOP}


@functools.lru_cache(maxsize=1)
def _glosses() -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for entry in cedict.entries():
        for gloss in entry.glosses[:4]:
            if gloss.startswith(_SKIPPED_GLOSSES):
                continue
            found.setdefault(entry.simplified, set()).update(_content(re.sub(r"\([^)]*\)", "", gloss)))
    return {word: frozenset(ws) for word, ws in found.items() if ws}


class LexicalFeatures:
    """Turns sentences into lexical evidence; ``extra`` adds glosses (e.g. the glossary's renderings)."""

    def __init__(self, extra: dict[str, set[str]] | None = None):
        self.glosses = dict(_glosses())
        for word, renderings in (extra or {}).items():
            self.glosses[word] = frozenset(self.glosses.get(word, frozenset()) | renderings)

    def chinese(self, sentence: str) -> list[frozenset[str]]:
        out = []
        for word in words(sentence):
            if word in self.glosses:
                out.append(self.glosses[word])
            elif len(word) > 1:
                # An unknown word: the glosses of its characters, each with the word's pinyin as a
                # name (found in the English, the name covers the whole word; not found, it costs nothing).
                names = _chinese_name_keys(word) if 2 <= len(word) <= 4 and han_count(word) == len(word) else frozenset()
                out += [self.glosses[c] | names for c in word if c in self.glosses and len(self.glosses[c]) < 12]
        out += [frozenset({number_key(v)}) for v in chinese_numbers(sentence)]
        return out

    def english(self, sentence: str) -> frozenset[str]:
        return frozenset(_content(sentence) | {number_key(v) for v in english_numbers(sentence)}
                         | _english_name_keys(sentence))

    @staticmethod
    def score(chinese: list[frozenset[str]], english: set[str]) -> float:
        """Harmonic mean of the two coverages, 0–1; 0 when either side has no evidence."""
        if not chinese or not english:
            return 0.0
        covered = sum(1 for glosses in chinese if glosses & english) / len(chinese)
        found = len(english & frozenset().union(*chinese)) / len(english)
        return 0.0 if covered + found == 0 else 2 * covered * found / (covered + found)
