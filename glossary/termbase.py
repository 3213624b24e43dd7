"""The term base: the bundled governance glossary plus the user's own, with lookup and scan.

:class:`Glossary` is what the ``tm glossary`` commands call, one method per
command: :meth:`Glossary.lookup`, :meth:`Glossary.scan`, :meth:`Glossary.pinyin`.
"""
from __future__ import annotations

import dataclasses
import functools
import importlib.resources
import os
import re
from dataclasses import dataclass
from typing import Iterable, NamedTuple, Sequence

from .english import find_phrase, word_keys
from .matcher import TermMatcher, collector_paused, match_keys
from .model import Entry, Status
from .normalize import fold_width, has_han, match_key, to_simplified, to_simplified_aligned, to_traditional
from .pinyin import Orthography, mark_tone, pinyin_key, strip_tones

BUILTIN_NAME = "governance.csv"
#: Term types whose names are proper nouns (capitalised in pinyin).
PROPER_TYPES = frozenset({"organisation", "meeting", "place", "document"})

_TONE_DIGITS = re.compile(r"([a-zü:v]+)([1-5])", re.IGNORECASE)
_TONE_MARKED = re.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]", re.IGNORECASE)
_NOT_PINYIN_LETTER = re.compile(r"[^a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]")

_STATUS_RANK = {status: rank for rank, status in enumerate(Status)}
#: What an entry laid over another keeps from it when it has none of its own.
_KEPT_FROM_OLD = ("zh_traditional", "zh_variants", "pinyin", "type", "field", "note", "source")

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
            "pinyin": glossary.pinyin_of(entry, self.form), "status": str(self.status),
            "form": self.form, "type": entry.type,
        }


class Glossary:
    """An ordered collection of :class:`Entry`, one per (Simplified) Chinese headword.

    Adding an entry whose headword is already present lays it over the old one:
    its English renderings replace the old ones, and what it leaves empty
    (variants, Traditional form, pinyin, type, field, note, source) is kept from
    the old entry. So a user's glossary on top of the bundled one wins for the
    terms it has without losing what the bundled entry knows.
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
            entries = read_glossary(path)
            heads = [entry.zh for entry in entries]
            # One OpenCC call for the whole file rather than one per entry.
            simplified = to_simplified("\n".join(heads)).split("\n") if not any("\n" in h for h in heads) else None
            for i, entry in enumerate(entries):
                glossary.add(entry, simplified[i] if simplified and len(simplified) == len(entries) else None)
        return glossary

    def add(self, entry: Entry, simplified: str | None = None) -> Entry:
        """Add ``entry`` (laid over any entry with the same headword); returns what is stored.

        A Traditional headword is stored under its Simplified form (``simplified``
        if the caller has it already), the Traditional one kept as ``zh_traditional``.
        """
        simplified = simplified or to_simplified(entry.zh)
        if simplified != entry.zh:
            entry = dataclasses.replace(entry, zh=simplified, zh_traditional=entry.zh_traditional or entry.zh)
        old = self._entries.pop(entry.zh, None)
        if old is not None:
            kept = {name: getattr(old, name) for name in _KEPT_FROM_OLD if not getattr(entry, name)}
            entry = dataclasses.replace(entry, **kept)
        self._entries[entry.zh] = entry
        for cached in ("_matchers", "_orthography", "_pinyin_index", "_chinese_index", "_form_pinyin"):
            self.__dict__.pop(cached, None)
        return entry

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
        forms = {to_simplified(form) for e in self for form, _ in e.chinese_forms()}
        return Orthography(readings, proper, words=forms)

    def pinyin(self, text: str, sentence_case: bool | None = None) -> str:
        """``text`` in standard pinyin, glossary terms written as the glossary gives them."""
        return self._orthography.convert(text, sentence_case)

    def pinyin_of(self, entry: Entry, form: str | None = None) -> str:
        """Pinyin of the entry's headword (as given, else generated), or of one of its forms."""
        if form is not None and form not in (entry.zh, entry.zh_traditional):
            cache = self.__dict__.setdefault("_form_pinyin", {})  # scan output and pinyin index share it
            if form not in cache:
                cache[form] = self.pinyin(form, sentence_case=False)
            return cache[form]
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

    def scan(self, text: str, min_length: int = 2, words: bool = False) -> list[Occurrence]:
        """Every glossary term in a Chinese text, Simplified or Traditional, full- or half-width.

        Leftmost-longest without overlap: a term inside a longer term found at
        the same place is not reported again. Offsets are character offsets into ``text``.
        Forms shorter than ``min_length`` characters are not looked for: a
        one-character term such as 省 (province) would be found in 节省 (to save).
        With ``words``, a term of two or three characters must also begin and end
        where jieba (which knows every glossary term) puts word boundaries, so
        市长 is not found in 城市长期: slower (jieba segments the text), fewer false hits.
        """
        matcher = self.matcher(min_length)
        values = matcher.values
        spans = matcher.spans(text)
        if words and spans:
            bounds = self._orthography.word_boundaries(to_simplified_aligned(fold_width(text)))
            spans = [(i, s, e) for i, s, e in spans if e - s >= 4 or (s in bounds and e in bounds)]
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

    @functools.cached_property
    def _chinese_index(self) -> list[tuple[str, tuple[str, Status, Entry]]]:
        """(match key, (form, status, entry)) for every Chinese form, keys computed once."""
        forms = [(form, status, entry) for entry in self for form, status in entry.chinese_forms()]
        return list(zip(match_keys([form for form, _, _ in forms]), forms))

    def _lookup_chinese(self, query: str) -> list[Hit]:
        key = match_key(query)
        tiers: dict[str, list[Hit]] = {kind: [] for kind in MATCH_KINDS}
        for form_key, (form, status, entry) in self._chinese_index:
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
    def _pinyin_index(self) -> list[tuple[str, str, str, str, Entry, Status]]:
        """(toneless key, toned key, syllable key, form, entry, status) for each Chinese form."""
        index = []
        for entry in self:
            for form, status in entry.chinese_forms():
                if form == entry.zh_traditional:
                    continue
                reading = self.pinyin_of(entry, form)
                index.append((pinyin_key(reading), _toned_key(reading), _syllable_key(reading),
                              form, entry, status))
        return index

    def _lookup_pinyin(self, query: str, toned: bool) -> list[Hit]:
        """Pinyin lookup; an apostrophe in the query (``xi'an``) must stand where the entry has one."""
        plain = pinyin_key(query)
        if not plain:
            return []
        with_tones = _toned_key(query)
        apostrophes = "'" in query or "’" in query
        syllables = _syllable_key(query)
        exact, prefix = [], []
        for plain_key, toned_key, syllable_key, form, entry, status in self._pinyin_index:
            if apostrophes and not syllable_key.startswith(syllables):
                continue
            key, wanted = (toned_key, with_tones) if toned else (plain_key, plain)
            if key == wanted:
                exact.append(Hit(entry, form, status, "exact", "pinyin"))
            elif key.startswith(wanted) and len(plain) >= 3:
                prefix.append(Hit(entry, form, status, "prefix", "pinyin"))
        prefix.sort(key=lambda hit: len(hit.form))
        return exact + prefix


def _syllable_key(text: str) -> str:
    """Toneless lower-case letters with the apostrophes kept: Xī'ān → xi'an."""
    text = strip_tones(text.replace("’", "'")).lower().replace("ü", "v")
    return re.sub(r"[^a-z']", "", text)


def _toned_key(text: str) -> str:
    """Lower-case pinyin letters with tone marks, numbers turned to marks: liang3hui4 → liǎnghuì."""
    text = _TONE_DIGITS.sub(lambda m: mark_tone(m.group(1) + m.group(2)), text.lower())
    return _NOT_PINYIN_LETTER.sub("", text.replace("u:", "ü").replace("v", "ü"))
