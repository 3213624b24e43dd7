"""The term base: the bundled governance glossary plus the user's own, with lookup and scan.

:class:`Glossary` is what the ``tm glossary`` commands call, one method per
command: :meth:`Glossary.lookup`, :meth:`Glossary.scan`, :meth:`Glossary.pinyin`.
"""
from __future__ import annotations

import functools
import importlib.resources
import os
import re
from dataclasses import dataclass
from typing import Iterable, NamedTuple, Sequence

from .english import find_phrase, word_keys
from .matcher import TermMatcher, collector_paused, match_keys
from .model import Entry, Status
from .normalize import has_han, match_key, to_traditional
from .pinyin import Orthography, mark_tone, pinyin_key

BUILTIN_NAME = "governance.csv"
#: Term types whose names are proper nouns (capitalised in pinyin).
PROPER_TYPES = frozenset({"organisation", "meeting", "place", "document"})

_TONE_DIGITS = re.compile(r"([a-zü:v]+)([1-5])", re.IGNORECASE)
_TONE_MARKED = re.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]", re.IGNORECASE)
_NOT_PINYIN_LETTER = re.compile(r"[^a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]")

_STATUS_RANK = {status: rank for rank, status in enumerate(Status)}

#: How a lookup hit was found, best first.
MATCH_KINDS = ("exact", "prefix", "contained", "in-query")


def builtin_path() -> str:
    """Path of the bundled governance glossary (CSV, package data)."""
    return str(importlib.resources.files("glossary") / "data" / BUILTIN_NAME)


@functools.lru_cache(maxsize=1)
def _builtin_entries() -> tuple[Entry, ...]:
    from .tsv import read_csv

    return tuple(read_csv(builtin_path()))


@dataclass(frozen=True)
class Hit:
    """One lookup result: the entry, the form that matched, its status and how it matched."""

    entry: Entry
    form: str
    status: Status
    match: str  # one of MATCH_KINDS
    language: str  # "zh", "en" or "pinyin": what the query was compared with

    def to_dict(self, glossary: "Glossary") -> dict:
        out = glossary.describe(self.entry)
        out.update(matched=self.form, status=str(self.status), match=self.match,
                   language=self.language)
        return out


class Occurrence(NamedTuple):
    """One term found in a text: ``text`` is ``source[start:end]``, offsets in characters."""

    start: int
    end: int
    text: str
    entry: Entry
    form: str
    status: Status

    def to_dict(self, glossary: "Glossary") -> dict:
        entry = self.entry
        return {
            "start": self.start, "end": self.end, "text": self.text,
            "zh": entry.zh, "en": entry.en, "alternatives": list(entry.en_admitted),
            "pinyin": glossary.pinyin_of(entry), "status": str(self.status),
            "form": self.form, "type": entry.type,
        }


class Glossary:
    """An ordered collection of :class:`Entry`, one per Chinese headword.

    Adding an entry whose headword is already present replaces the old one: a
    user's glossary loaded on top of the bundled one wins for the terms it has.
    """

    def __init__(self, entries: Iterable[Entry] = ()):
        self._entries: dict[str, Entry] = {}
        for entry in entries:
            self.add(entry)

    # ------------------------------------------------------------ building

    @classmethod
    def load(cls, paths: Sequence[str | os.PathLike] = (), builtin: bool = True) -> "Glossary":
        """The bundled glossary (unless ``builtin`` is false) with user files on top, in order.

        Files are read by extension (TSV, CSV, TBX); a bad file raises
        :class:`~glossary.errors.FormatError` naming the file and line.
        """
        from .formats import read_glossary

        glossary = cls(_builtin_entries() if builtin else ())
        for path in paths:
            for entry in read_glossary(path):
                glossary.add(entry)
        return glossary

    def add(self, entry: Entry) -> None:
        """Add ``entry``, replacing any entry with the same headword."""
        self._entries.pop(entry.zh, None)
        self._entries[entry.zh] = entry
        self.__dict__.pop("_matchers", None)
        self.__dict__.pop("_orthography", None)
        self.__dict__.pop("_pinyin_index", None)

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self):
        return iter(self._entries.values())

    def __contains__(self, zh: str) -> bool:
        return zh in self._entries

    def get(self, zh: str) -> Entry | None:
        """The entry whose headword is ``zh`` (Simplified), or None."""
        return self._entries.get(zh)

    # ------------------------------------------------------------ derived facts

    @functools.cached_property
    def _orthography(self) -> Orthography:
        readings = {e.zh: e.pinyin for e in self if e.pinyin}
        proper = [e.zh for e in self if e.type in PROPER_TYPES and not e.pinyin]
        return Orthography(readings, proper)

    def pinyin(self, text: str, sentence_case: bool | None = None) -> str:
        """``text`` in standard pinyin, glossary terms written as the glossary gives them."""
        return self._orthography.convert(text, sentence_case)

    def pinyin_of(self, entry: Entry) -> str:
        """The entry's pinyin as given, else generated from its headword."""
        return entry.pinyin or self.pinyin(entry.zh, sentence_case=False)

    @staticmethod
    def traditional_of(entry: Entry) -> str:
        """The entry's Traditional form as given, else OpenCC's."""
        return entry.zh_traditional or to_traditional(entry.zh)

    def describe(self, entry: Entry) -> dict:
        """The entry as JSON, with derived pinyin and Traditional form filled in."""
        out = entry.to_dict()
        out["pinyin"] = self.pinyin_of(entry)
        out["zh_traditional"] = self.traditional_of(entry)
        return out

    # ------------------------------------------------------------ scan

    def matcher(self, min_length: int = 2) -> TermMatcher[tuple[Entry, str, Status]]:
        """The automaton over every Chinese form of at least ``min_length`` characters (cached)."""
        cache = self.__dict__.setdefault("_matchers", {})
        if min_length not in cache:
            pairs = [(form, (entry, form, status))
                     for entry in self for form, status in entry.chinese_forms() if len(form) >= min_length]
            pairs.sort(key=lambda pair: pair[1][2] is not Status.PREFERRED)  # preferred forms win
            cache[min_length] = TermMatcher(pairs)
        return cache[min_length]

    def scan(self, text: str, min_length: int = 2) -> list[Occurrence]:
        """Every glossary term in a Chinese text, Simplified or Traditional, full- or half-width.

        Leftmost-longest without overlap: a term inside a longer term found at
        the same place is not reported again. Offsets are character offsets into ``text``.
        Forms shorter than ``min_length`` characters are not looked for: a
        one-character term such as 省 (province) would be found in 节省 (to save).
        """
        matcher = self.matcher(min_length)
        values = matcher.values
        spans = matcher.spans(text)
        with collector_paused():
            return [Occurrence(start, end, text[start:end], *values[index]) for index, start, end in spans]

    # ------------------------------------------------------------ lookup

    def lookup(self, query: str, limit: int | None = None) -> list[Hit]:
        """Entries for a query in Chinese, English or pinyin, best first.

        - Chinese (any Han character; Simplified or Traditional): forms equal
          to the query, then forms starting with it, then forms containing it,
          then terms found inside the query (a longer phrase).
        - Latin letters: English renderings of every status (case-insensitive,
          whole words, plural-tolerant: "liaison offices" finds "liaison office"),
          and pinyin with or without tones (``lianghui``, ``liang3hui4``, ``Liǎnghuì``).
          Tones, when the query has them, must agree.
        Each entry appears once, under its best match.
        """
        query = query.strip()
        if not query:
            return []
        hits = self._lookup_chinese(query) if has_han(query) else self._lookup_latin(query)
        seen: set[str] = set()
        unique = []
        for hit in hits:
            if hit.entry.zh not in seen:
                seen.add(hit.entry.zh)
                unique.append(hit)
        return unique[:limit] if limit else unique

    def _lookup_chinese(self, query: str) -> list[Hit]:
        key = match_key(query)
        forms = [(form, status, entry) for entry in self for form, status in entry.chinese_forms()]
        keys = match_keys([form for form, _, _ in forms])
        tiers: dict[str, list[Hit]] = {kind: [] for kind in MATCH_KINDS}
        for form_key, (form, status, entry) in zip(keys, forms):
            if form_key == key:
                kind = "exact"
            elif form_key.startswith(key):
                kind = "prefix"
            elif key in form_key:
                kind = "contained"
            else:
                continue
            tiers[kind].append(Hit(entry, form, status, kind, "zh"))
        for kind in ("prefix", "contained"):
            tiers[kind].sort(key=lambda hit: len(hit.form))
        tiers["in-query"] = [Hit(o.entry, o.form, o.status, "in-query", "zh") for o in self.scan(query, 1)]
        return [hit for kind in MATCH_KINDS for hit in tiers[kind]]

    def _lookup_latin(self, query: str) -> list[Hit]:
        toned = bool(_TONE_DIGITS.search(query) or _TONE_MARKED.search(query))
        english = self._lookup_english(query) if not toned else []
        pinyin = self._lookup_pinyin(query, toned)
        # A pinyin-looking query ("lianghui") rarely matches English words and
        # vice versa; exact hits of either kind come first.
        return sorted(english + pinyin, key=lambda h: (MATCH_KINDS.index(h.match), h.language != "en"))

    def _lookup_english(self, query: str) -> list[Hit]:
        needle = word_keys(query)
        if not needle:
            return []
        exact, contained = [], []
        for entry in self:
            for form, status in entry.english_forms():
                words = word_keys(form)
                if words == needle:
                    exact.append(Hit(entry, form, status, "exact", "en"))
                elif find_phrase(needle, words) >= 0:
                    contained.append(Hit(entry, form, status, "contained", "en"))
        # The entry's preferred rendering before its variants, shorter before longer.
        contained.sort(key=lambda hit: (_STATUS_RANK[hit.status], len(hit.form)))
        return exact + contained

    @functools.cached_property
    def _pinyin_index(self) -> list[tuple[str, str, str, Entry, Status]]:
        """(toneless key, toned key, form, entry, status) for each Chinese form."""
        index = []
        for entry in self:
            for form, status in entry.chinese_forms():
                if form == entry.zh_traditional:
                    continue
                reading = self.pinyin_of(entry) if form == entry.zh else self.pinyin(form, False)
                index.append((pinyin_key(reading), _toned_key(reading), form, entry, status))
        return index

    def _lookup_pinyin(self, query: str, toned: bool) -> list[Hit]:
        plain = pinyin_key(query)
        if not plain:
            return []
        with_tones = _toned_key(query)
        exact, prefix = [], []
        for plain_key, toned_key, form, entry, status in self._pinyin_index:
            key, wanted = (toned_key, with_tones) if toned else (plain_key, plain)
            if key == wanted:
                exact.append(Hit(entry, form, status, "exact", "pinyin"))
            elif key.startswith(wanted) and len(plain) >= 3:
                prefix.append(Hit(entry, form, status, "prefix", "pinyin"))
        prefix.sort(key=lambda hit: len(hit.form))
        return exact + prefix


def _toned_key(text: str) -> str:
    """Lower-case pinyin letters with tone marks, numbers turned to marks: liang3hui4 → liǎnghuì."""
    text = _TONE_DIGITS.sub(lambda m: mark_tone(m.group(1) + m.group(2)), text.lower())
    return _NOT_PINYIN_LETTER.sub("", text.replace("u:", "ü").replace("v", "ü"))
