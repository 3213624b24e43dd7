"""Finding glossary terms in running Chinese text.

One Aho-Corasick automaton (ahocorasick-rs, leftmost-longest, non-overlapping)
over the normalised forms of every term: a text is scanned once, whatever the
number of terms. Text and terms are compared in :func:`normalize.match_key`
form (full-width folded, Traditional→Simplified, ASCII lower-cased), which
keeps every character in place, so offsets are offsets into the original.

The automaton runs over UTF-32-LE bytes: every character is four bytes, so a
byte offset divided by four is a character offset, with no conversion table.
A match that does not start on a character boundary is impossible unless the
text holds characters below U+0100 in an unlikely arrangement; such matches are
dropped all the same.
"""
from __future__ import annotations

import contextlib
import gc
from dataclasses import dataclass
from typing import Generic, Iterable, TypeVar

import ahocorasick_rs

from .normalize import match_key

T = TypeVar("T")
_ENCODING = "utf-32-le"


@contextlib.contextmanager
def collector_paused():
    """Pause the cyclic garbage collector while building many small tuples.

    Hundreds of thousands of match tuples trigger collections that walk every
    live object (a 100,000-term glossary is a lot of them) and make no
    garbage: pausing it halves the time of a dense scan.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _is_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


def match_keys(forms: list[str]) -> list[str]:
    """:func:`match_key` of many short strings in one OpenCC call (much faster)."""
    if not forms:
        return []
    joined = match_key("\n".join(form.replace("\n", " ") for form in forms))
    return joined.split("\n")


@dataclass(frozen=True)
class Match(Generic[T]):
    """One occurrence: ``text[start:end]`` is the surface form, ``value`` what was found."""

    start: int
    end: int
    text: str
    value: T


class TermMatcher(Generic[T]):
    """Leftmost-longest matching of many terms, each carrying a value.

    ``pairs`` are ``(form, value)``; when two values share a normalised form the
    first one given wins, so callers list preferred forms first. A form that
    begins or ends with a Latin letter or digit only matches at a word
    boundary on that side (``GDP`` is not found inside ``GDPR``).
    """

    def __init__(self, pairs: Iterable[tuple[str, T]]):
        pairs = [(form, value) for form, value in pairs if form and form.strip()]
        keys = match_keys([form for form, _ in pairs])
        by_key: dict[str, T] = {}
        for key, (_, value) in zip(keys, pairs):
            if key.strip():
                by_key.setdefault(key, value)
        self.patterns: list[str] = list(by_key)
        self.values: list[T] = list(by_key.values())
        # Patterns that need a word-boundary check on the left / right.
        self._left = {i for i, p in enumerate(self.patterns) if _is_word_char(p[0])}
        self._right = {i for i, p in enumerate(self.patterns) if _is_word_char(p[-1])}
        self._checked = self._left | self._right
        self._automaton = ahocorasick_rs.BytesAhoCorasick(
            [p.encode(_ENCODING) for p in self.patterns],
            matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
            implementation=ahocorasick_rs.Implementation.ContiguousNFA,
        ) if self.patterns else None

    def __len__(self) -> int:
        return len(self.patterns)

    def spans(self, text: str) -> list[tuple[int, int, int]]:
        """``(pattern index, start, end)`` of every occurrence, left to right, none overlapping.

        The fast path: no objects beyond these tuples. ``self.values[index]`` is the value.
        """
        if self._automaton is None or not text:
            return []
        key = match_key(text)
        checked = self._checked
        with collector_paused():
            raw = self._automaton.find_matches_as_indexes(key.encode(_ENCODING))
            return [(i, s >> 2, e >> 2) for i, s, e in raw
                    if not s & 3 and (i not in checked or self._at_boundaries(key, i, s >> 2, e >> 2))]

    def _at_boundaries(self, key: str, index: int, start: int, end: int) -> bool:
        if index in self._left and start > 0 and _is_word_char(key[start - 1]):
            return False
        if index in self._right and end < len(key) and _is_word_char(key[end]):
            return False
        return True

    def find(self, text: str) -> list[Match[T]]:
        """Every occurrence in ``text``, left to right, none overlapping another."""
        values = self.values
        return [Match(start, end, text[start:end], values[index])
                for index, start, end in self.spans(text)]
