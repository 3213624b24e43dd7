"""English matching for term renderings: case-insensitive, word by word, plural-tolerant."""
from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_NO_STRIP = ("ss", "us", "is", "ics", "news", "affairs", "series", "species", "headquarters")


def singular(word: str) -> str:
    """A crude singular of one lower-case English word, enough to match terms.

    ``offices`` → ``office``, ``policies`` → ``policy``, ``taxes`` → ``tax``,
    ``congresses`` → ``congress``; ``business``, ``economics``, ``affairs`` and
    ``news`` stay as they are.
    """
    if len(word) <= 3 or word.endswith(_NO_STRIP):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zes")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def word_keys(text: str) -> tuple[str, ...]:
    """The words of ``text`` as compared: lower-cased, singular, apostrophes kept.

    ``"Liaison Offices in Beijing"`` → ``("liaison", "office", "in", "beijing")``.
    """
    return tuple(singular(w.lower().replace("’", "'")) for w in _WORD.findall(text))


def find_phrase(needle: tuple[str, ...], haystack: tuple[str, ...]) -> int:
    """Index of the first occurrence of the word sequence ``needle`` in ``haystack``, or -1."""
    n = len(needle)
    if not n:
        return -1
    for i in range(len(haystack) - n + 1):
        if haystack[i:i + n] == needle:
            return i
    return -1


def phrase_pattern(text: str) -> re.Pattern:
    """A regex finding ``text`` in English as whole words, case-insensitive, each word
    in its singular or plural form: "liaison offices" finds "Liaison Office" too."""
    parts = []
    for word in _WORD.findall(text):
        base = singular(word.lower())
        if base.endswith("y") and len(base) > 3:
            parts.append(re.escape(base[:-1]) + "(?:y|ies)")
        elif len(base) >= 3:
            parts.append(re.escape(base) + "(?:s|es)?")
        else:  # "i", "us": no plural to tolerate
            parts.append(re.escape(base))
    return re.compile(r"(?<![A-Za-z0-9])" + r"[\s\-]+".join(parts) + r"(?![A-Za-z0-9])", re.IGNORECASE)


def like_stem(text: str) -> str:
    """A substring every match of :func:`phrase_pattern` contains (for an SQL ``LIKE`` pre-filter)."""
    words = _WORD.findall(text)
    if not words:
        return ""
    base = singular(words[0].lower())
    return base[:-1] if base.endswith("y") and len(base) > 3 else base
