"""Chinese text normalisation: full-width folding and Traditional→Simplified.

Every function here that is meant for matching keeps the length of its input,
character for character, so that an offset found in the normalised text is the
same offset in the original text. That is what lets `glossary scan` report
positions in the file the user gave, whatever script or width it was written in.
"""
from __future__ import annotations

import functools
import re
import unicodedata

import opencc

_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}  # ！..～ → !..~
_FULLWIDTH[0x3000] = 0x20  # ideographic space
# What match_key folds: full-width letters, digits, ％＋－．／, U+3000 and ASCII
# capitals. Rare in Chinese text, so a regex that visits only them beats
# str.translate; full-width ，。：（） stay as they are, in terms and texts alike.
_MATCH_FOLD = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff05\uff0b\uff0d-\uff0f\u3000A-Z]")
_MATCH_FOLD_MAP = {chr(cp): chr(to).lower() for cp, to in _FULLWIDTH.items()}
_MATCH_FOLD_MAP.update({chr(c): chr(c).lower() for c in range(ord("A"), ord("Z") + 1)})
_HAN = re.compile(r"[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")  # 〇 too
# Where a whole-text conversion may be split without changing its result.
_CHUNK_BREAKS = re.compile(r"(?<=[。！？；，、\n\s!?;,.])")


@functools.lru_cache(maxsize=None)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def fold_width(text: str) -> str:
    """Full-width ASCII letters, digits and signs (and U+3000) to half-width; 1:1."""
    return text.translate(_FULLWIDTH)


def to_simplified(text: str) -> str:
    """Traditional→Simplified with OpenCC phrases (``t2s``); length may change."""
    return _converter("t2s").convert(text)


def to_traditional(text: str) -> str:
    """Simplified→Traditional (OpenCC ``s2t``, the standard character set)."""
    return _converter("s2t").convert(text)


def to_simplified_aligned(text: str) -> str:
    """Traditional→Simplified keeping the length: result[i] stands for text[i].

    OpenCC's phrase tables almost always map a character to one character; where a
    chunk's conversion changes its length, that chunk is converted character by
    character instead, so alignment is guaranteed.
    """
    converted = to_simplified(text)
    if len(converted) == len(text):
        return converted
    out = []
    for chunk in _CHUNK_BREAKS.split(text):
        simple = to_simplified(chunk)
        if len(simple) != len(chunk):
            simple = "".join(c2 if len(c2 := to_simplified(c)) == 1 else c for c in chunk)
        out.append(simple)
    return "".join(out)


def match_key(text: str) -> str:
    """The form terms and texts are matched in: Simplified, ASCII lower-cased, and
    full-width letters, digits, ％＋－．／ and the ideographic space made half-width.

    Same length as ``text``, character for character.
    """
    folded = _MATCH_FOLD.sub(lambda m: _MATCH_FOLD_MAP[m.group()], text)
    return to_simplified_aligned(folded)


def zh_key(text: str) -> str:
    """A normalised Chinese key for comparing segments: NFKC, Simplified, spaces folded.

    Unlike :func:`match_key` it does not keep offsets.
    """
    text = unicodedata.normalize("NFKC", fold_width(text))
    return " ".join(to_simplified(text).split())


def has_han(text: str) -> bool:
    """True if ``text`` holds at least one Han character."""
    return _HAN.search(text) is not None


def han_count(text: str) -> int:
    """How many Han characters ``text`` holds."""
    return len(_HAN.findall(text))


def is_han(char: str) -> bool:
    """True for one Han (CJK ideograph) character."""
    return _HAN.fullmatch(char) is not None
