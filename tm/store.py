"""The translation memory: the store interface, and its SQLite implementation with its own q-gram index.

:class:`Memory` is what every store offers (import, export, lookup,
concordance…) and does all that both stores share: ranking matches, building
concordance hits. :class:`TranslationMemory` keeps it in one SQLite file,
:class:`tm.pgstore.PostgresMemory` in a PostgreSQL database; :func:`open_memory`
picks one by location. Both give the same results for the same units.

``TranslationMemory(path)`` opens (or creates) the store: WAL mode and a busy
timeout, so that several processes can read and write one file. Every import
is one transaction: the units, their index postings and nothing else; an
import that fails or is killed leaves the store exactly as it was.

Tables:

- ``tu``: one row per translation unit; ``pair_hash`` (SHA-1 of source and
  target) is UNIQUE, so an exact duplicate is stored once, whoever inserts it.
- ``postings``: for each bigram and character token (see :mod:`tm.qgram`), the
  ids of the units whose key has it, as uint32 blobs; one row per token and import chunk.
"""
from __future__ import annotations

import abc
import contextlib
import hashlib
import itertools
import json
import os
import re
import sqlite3
import urllib.parse
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

import numpy as np

from glossary.english import like_stem, phrase_pattern
from glossary.errors import FormatError
from glossary.normalize import has_han, match_key

from . import qgram
from .fuzzy import (FuzzyMatch, distance_within, make_match, max_distance, possible_lengths,
                    readable_with_offsets, segment_key)
from .unit import TranslationUnit, plain, readable

DEFAULT_DB = "tm.db"
SCHEMA_VERSION = 1
_BATCH = 20_000  # units per INSERT batch
_CHUNK = 100_000  # units per postings chunk
_MAX_CHUNKS = 32  # per token, before the chunks are merged
MATCH_COLUMNS = "id, source, target, source_key, prev_key, origin, created_at, creator"  # what a match needs
MAIN_SOURCE_LANG = ("SELECT source_lang FROM tu GROUP BY source_lang "
                    "ORDER BY count(*) DESC, source_lang LIMIT 1")  # the most frequent; ties alphabetically
SHORT_QUERY = 4  # keys this short are matched through the length index, not the postings

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tu (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    source_key TEXT NOT NULL,
    key_len INTEGER NOT NULL,
    pair_hash BLOB NOT NULL UNIQUE,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    origin TEXT NOT NULL DEFAULT '',
    doc_id TEXT NOT NULL DEFAULT '',
    position INTEGER,
    prev_source TEXT NOT NULL DEFAULT '',
    next_source TEXT NOT NULL DEFAULT '',
    prev_key TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT '',
    creator TEXT NOT NULL DEFAULT '',
    changed_at TEXT NOT NULL DEFAULT '',
    changer TEXT NOT NULL DEFAULT '',
    confidence REAL,
    tuid TEXT NOT NULL DEFAULT '',
    codes TEXT NOT NULL DEFAULT '',
    extra TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS tu_key ON tu (source_key);
CREATE INDEX IF NOT EXISTS tu_len ON tu (key_len);
CREATE TABLE IF NOT EXISTS postings (
    token INTEGER NOT NULL,
    chunk INTEGER NOT NULL,
    ids BLOB NOT NULL,
    PRIMARY KEY (token, chunk)
) WITHOUT ROWID;
"""

COLUMNS = ("source", "target", "source_key", "key_len", "pair_hash", "source_lang", "target_lang",
           "origin", "doc_id", "position", "prev_source", "next_source", "prev_key", "created_at",
           "creator", "changed_at", "changer", "confidence", "tuid", "codes", "extra")
_INSERT = (f"INSERT OR IGNORE INTO tu ({', '.join(COLUMNS)}) "
           f"VALUES ({', '.join('?' for _ in COLUMNS)})")


@dataclass
class ImportStats:
    """What an import did: units read, added, exact duplicates (not stored again), skipped."""

    read: int = 0
    added: int = 0
    duplicates: int = 0
    skipped: int = 0
    skip_reasons: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"read": self.read, "added": self.added, "duplicates": self.duplicates,
                "skipped": self.skipped, "skip_reasons": dict(self.skip_reasons)}

    def __str__(self) -> str:
        text = (f"{self.read:,} read, {self.added:,} added, {self.duplicates:,} duplicates, "
                f"{self.skipped:,} skipped")
        if self.skip_reasons:
            text += " (" + ", ".join(f"{n:,} {why}" for why, n in self.skip_reasons.items()) + ")"
        return text


def default_path() -> str:
    """``$TM_DB`` if set, else ``./tm.db``."""
    return os.environ.get("TM_DB") or DEFAULT_DB


def is_postgres(location: str | os.PathLike | None) -> bool:
    """True for a ``postgresql://`` (or ``postgres://``) URL, False for a file path."""
    return str(location or "").startswith(("postgresql://", "postgres://"))


def open_memory(location: str | os.PathLike | None = None, readonly: bool = False, **options):
    """The translation memory at ``location`` (``$TM_DB``, else ``./tm.db``).

    A ``postgresql://…`` URL opens the shared PostgreSQL store
    (:class:`tm.pgstore.PostgresMemory`); anything else is an SQLite file
    (:class:`TranslationMemory`). Both have the same methods and give the same results.
    """
    location = location if location is not None else default_path()
    if is_postgres(location):
        from .pgstore import PostgresMemory

        return PostgresMemory(str(location), readonly=readonly, **options)
    return TranslationMemory(location, readonly=readonly, **options)


def unit_row(unit: TranslationUnit) -> tuple:
    """The values of :data:`COLUMNS` for one unit: its key, key length and pair hash computed."""
    key = segment_key(unit.source)
    codes = json.dumps({"source": unit.source_codes, "target": unit.target_codes},
                       ensure_ascii=False) if unit.source_codes or unit.target_codes else ""
    # Same text with different inline tags (another link, another file name) is not a duplicate.
    pair = hashlib.sha1(f"{unit.source}\x00{unit.target}\x00{codes}".encode("utf-8")).digest()
    extra = json.dumps(unit.extra, ensure_ascii=False) if unit.extra else ""
    prev_key = segment_key(unit.prev_source) if unit.prev_source else ""
    return (unit.source, unit.target, key, len(key), pair, unit.source_lang, unit.target_lang,
            unit.origin, unit.doc_id, unit.position, unit.prev_source, unit.next_source, prev_key,
            unit.created_at, unit.creator, unit.changed_at, unit.changer, unit.confidence, unit.tuid,
            codes, extra)


def row_unit(row: Mapping[str, Any]) -> TranslationUnit:
    """The unit stored in one ``tu`` row (any mapping from column name to value)."""
    codes = json.loads(row["codes"]) if row["codes"] else {}
    return TranslationUnit(
        source=row["source"], target=row["target"], source_lang=row["source_lang"],
        target_lang=row["target_lang"], origin=row["origin"], doc_id=row["doc_id"],
        position=row["position"], prev_source=row["prev_source"], next_source=row["next_source"],
        created_at=row["created_at"], creator=row["creator"], changed_at=row["changed_at"],
        changer=row["changer"], confidence=row["confidence"], tuid=row["tuid"],
        source_codes=codes.get("source", []), target_codes=codes.get("target", []),
        extra=json.loads(row["extra"]) if row["extra"] else {},
    )


@dataclass
class ConcordanceHit:
    """A unit whose Chinese (``side`` "zh") or English ("en") contains the searched text.

    ``spans`` are ``(start, end)`` character offsets of the hits in that side's text.
    """

    id: int
    source: str
    target: str
    side: str
    spans: list[tuple[int, int]]

    def to_dict(self) -> dict:
        return {"source": readable(self.source), "target": readable(self.target), "side": self.side,
                "spans": [list(span) for span in self.spans], "id": self.id}


class Memory(abc.ABC):
    """A translation memory: what every store offers, and all the work that does not touch storage.

    A store implements the abstract methods (reading and writing rows, and
    :meth:`_candidates`, its exact fuzzy retrieval); this class turns them into
    imports, exports, ranked fuzzy matches and concordance hits, the same way
    for every store. ``path`` names the store in messages, ``readonly`` says
    whether it was opened for reading only.
    """

    path: str
    readonly: bool

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---------------------------------------------------------------- what a store implements

    @abc.abstractmethod
    def close(self) -> None:
        """Release the connection."""

    @abc.abstractmethod
    def add(self, units: Iterable[TranslationUnit], stats: ImportStats | None = None) -> ImportStats:
        """Add units in one transaction; exact duplicates (same source, target and tags) are counted, not stored.

        An exception from ``units`` (a malformed file met half-way) rolls everything
        back. New units get increasing ids in the order given.
        """

    @abc.abstractmethod
    def __len__(self) -> int:
        """How many units the store holds."""

    @abc.abstractmethod
    def units(self) -> Iterator[TranslationUnit]:
        """Every unit, in the order they were added."""

    @abc.abstractmethod
    def unit(self, ident: int) -> TranslationUnit:
        """The unit with id ``ident``; KeyError if there is none."""

    @abc.abstractmethod
    def keys(self) -> Iterator[tuple[int, str]]:
        """``(id, segment key)`` of every unit, in the order they were added."""

    @abc.abstractmethod
    def _main_source_lang(self) -> str | None:
        """The most frequent source language (the alphabetically first of equals), None when empty."""

    @abc.abstractmethod
    def _candidates(self, query_key: str, minimum: float) -> dict[int, tuple[int, int]]:
        """``{id: (distance, key length)}`` of every unit matching ``query_key`` at ``minimum``
        (see :meth:`candidates`)."""

    @abc.abstractmethod
    def _match_rows(self, ids: Sequence[int]) -> dict[int, Mapping[str, Any]]:
        """id, source, target, source_key, prev_key, origin, created_at, creator of these units, by id."""

    @abc.abstractmethod
    def _containing(self, key: str, limit: int | None) -> Iterable[Mapping[str, Any]]:
        """Rows (id, source, target) of the units whose ``source_key`` contains ``key``,
        newest first, at most ``limit`` (all for None)."""

    @abc.abstractmethod
    def _english_like(self, stem: str) -> Iterator[Mapping[str, Any]]:
        """Rows (id, source, target) of the units whose target contains ``stem``, ASCII letters
        compared case-insensitively (SQLite's ``LIKE``), newest first; read lazily."""

    # ---------------------------------------------------------------- files

    def import_file(self, path: str | os.PathLike, ordered: bool = False,
                    progress: Callable[[int], None] | None = None) -> ImportStats:
        """Import a TMX or TSV file in one transaction (nothing is kept if it fails half-way).

        ``ordered`` says the file is one document in order: each unit's
        neighbours become its previous/next segments, for context matches.
        Units without them get the file's name as origin and their place in the
        file as position. ``progress`` is called with the number of units read so far.
        """
        from .formats import ReadStats, iter_units

        seen = ReadStats()
        units = _stamped(iter_units(path, seen), os.path.basename(os.fspath(path)), progress)
        stats = self.add(with_context(units) if ordered else units)
        stats.read, stats.skipped, stats.skip_reasons = seen.read, seen.skipped, dict(seen.reasons)
        return stats

    def export_file(self, path: str | os.PathLike) -> int:
        """Write every unit to a TMX or TSV file (atomically); returns how many."""
        from .formats import write_units

        return write_units(self.units(), path, srclang=self._main_source_lang() or "zh-CN")

    # ---------------------------------------------------------------- concordance

    def concordance(self, text: str, limit: int | None = 20) -> list[ConcordanceHit]:
        """Units whose Chinese contains ``text`` (any length, Simplified or Traditional),
        or, for Latin text, whose English contains it as whole words (case-insensitive).
        Most recent first.
        """
        text = text.strip()
        if not text:
            return []
        if has_han(text) or not re.search(r"[A-Za-z]", text):  # Chinese, or digits and signs (%, （)
            return self._concordance_zh(text, limit)
        return self._concordance_en(text, limit)

    def _concordance_zh(self, text: str, limit: int | None) -> list[ConcordanceHit]:
        key = segment_key(text)
        if not key:  # only inline tags: nothing to look for
            return []
        needle = match_key(text)
        hits = []
        for row in self._containing(key, limit):
            _, where = readable_with_offsets(row["source"])
            spans = [(where[s], where[e - 1] + 1) for s, e in _spans(match_key(plain(row["source"])), needle)]
            hits.append(ConcordanceHit(row["id"], row["source"], row["target"], "zh", spans))
        return hits

    def _concordance_en(self, text: str, limit: int | None) -> list[ConcordanceHit]:
        stem = like_stem(text)
        if not stem:
            return []
        pattern = phrase_pattern(text)
        hits = []
        with contextlib.closing(self._english_like(stem)) as rows:  # a lazy read ends with the loop
            for row in rows:
                _, where = readable_with_offsets(row["target"])
                spans = [(where[s], where[e - 1] + 1) for s, e in
                         (m.span() for m in pattern.finditer(plain(row["target"])))]
                if spans:
                    hits.append(ConcordanceHit(row["id"], row["source"], row["target"], "en", spans))
                    if limit and len(hits) >= limit:
                        break
        return hits

    # ---------------------------------------------------------------- fuzzy lookup

    def candidates(self, query_key: str, minimum: float) -> dict[int, int]:
        """``{id: distance}`` of every unit whose key matches ``query_key`` at ``minimum`` percent.

        Exactly what :func:`tm.fuzzy.brute_force` over the whole TM returns: a
        store's index only discards units that cannot match, and every
        candidate is verified with the exact Levenshtein distance.
        """
        return {ident: distance for ident, (distance, _) in self._candidates(query_key, minimum).items()}

    def lookup(self, text: str, minimum: float = 75, limit: int | None = 5,
               previous: str | None = None) -> list[FuzzyMatch]:
        """The best matches for one Chinese segment, by score (then most recent first).

        ``previous`` is the segment before it in its document: an exact match
        whose stored previous segment is the same becomes a 101 context match.
        """
        query_key = segment_key(text)
        found = self._candidates(query_key, minimum)
        prev_key = segment_key(previous) if previous else None
        m = len(query_key)

        def rank(item):  # best score first, then the most recent unit
            ident, (distance, n) = item
            return (distance / max(m, n, 1), -ident)

        ranked = sorted(found.items(), key=rank)
        exact = [item for item in ranked if item[1][0] == 0 and item[1][1] == m]
        chosen = ranked[:limit] if limit else ranked
        chosen += [item for item in exact if item not in chosen]  # a context match may hide among them
        rows = self._match_rows([ident for ident, _ in chosen])
        matches = []
        for ident, (distance, _) in chosen:
            row = rows[ident]
            key = row["source_key"]
            context = prev_key is not None and key == query_key and row["prev_key"] == prev_key
            matches.append(make_match(text, query_key, row["source"], row["target"], key, distance, context,
                                      id=row["id"], origin=row["origin"], created_at=row["created_at"],
                                      creator=row["creator"]))
        matches.sort(key=lambda match: (match.band != "101", -match.score, -match.id))
        return matches[:limit] if limit else matches


def verify(query_key: str, minimum: float, rows: Iterable[Sequence],
           found: dict[int, tuple[int, int]]) -> None:
    """Add to ``found`` each ``(id, key)`` of ``rows`` that matches ``query_key`` at ``minimum``
    (exact Levenshtein distance), as ``id: (distance, key length)``."""
    for ident, key in rows:
        distance = distance_within(query_key, key, minimum)
        if distance is not None:
            found[ident] = (distance, len(key))


class TranslationMemory(Memory):
    """A translation memory in one SQLite file (created on first use)."""

    def __init__(self, path: str | os.PathLike | None = None, timeout: float = 3600.0,
                 readonly: bool = False):
        """Open the store at ``path`` (``$TM_DB``, else ``./tm.db``), creating it unless ``readonly``.

        ``timeout`` (seconds) is how long a writer waits for another one to finish:
        imports into one file queue up. Readers never wait: WAL lets them read
        while an import runs. ``readonly`` also works where the file cannot be written.
        """
        self.path = os.fspath(path) if path is not None else default_path()
        self.readonly = readonly
        try:
            if readonly:
                self.db = _connect_readonly(self.path, timeout)
            else:
                self.db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.row_factory = sqlite3.Row
            self.db.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
            if not readonly and not self._has_schema():  # never take the write lock just to open
                with self._transaction():
                    for statement in _SCHEMA.split(";"):
                        if statement.strip():
                            self.db.execute(statement)
                    self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            elif not self._has_schema():
                raise FormatError(self.path, None, "not a translation memory (no units table)")
        except sqlite3.DatabaseError as error:
            raise FormatError(self.path, None, _explain(error)) from None

    def _has_schema(self) -> bool:
        return self.db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'postings'").fetchone()[0] == 1

    def close(self) -> None:
        self.db.close()

    @contextlib.contextmanager
    def _transaction(self):
        """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any error (KeyboardInterrupt included)."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self.db.in_transaction:  # SQLite may have rolled back already (disk full)
                self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # ---------------------------------------------------------------- writing

    def add(self, units: Iterable[TranslationUnit], stats: ImportStats | None = None) -> ImportStats:
        try:
            return self._add(units, stats if stats is not None else ImportStats())
        except sqlite3.OperationalError as error:  # disk full, busy past the timeout…
            raise FormatError(self.path, None, _explain(error)) from None

    def _add(self, units: Iterable[TranslationUnit], stats: ImportStats) -> ImportStats:
        pending_ids: list[int] = []
        pending_keys: list[str] = []
        with self._transaction():
            iterator = iter(units)
            while batch := list(itertools.islice(iterator, _BATCH)):
                last = self.db.execute("SELECT coalesce(max(id), 0) FROM tu").fetchone()[0]
                self.db.executemany(_INSERT, [unit_row(unit) for unit in batch])
                added = self.db.execute("SELECT id, source_key FROM tu WHERE id > ? ORDER BY id",
                                        (last,)).fetchall()
                stats.read += len(batch)
                stats.added += len(added)
                stats.duplicates += len(batch) - len(added)
                pending_ids.extend(row[0] for row in added)
                pending_keys.extend(row[1] for row in added)
                if len(pending_ids) >= _CHUNK:
                    self._index(pending_ids, pending_keys)
                    pending_ids, pending_keys = [], []
            self._index(pending_ids, pending_keys)
            self._merge_chunks()
        return stats

    def _index(self, ids: list[int], keys: list[str]) -> None:
        if ids:
            chunk = ids[0]
            for q in (2, 1):
                self.db.executemany("INSERT INTO postings (token, chunk, ids) VALUES (?, ?, ?)",
                                    ((token, chunk, blob) for token, blob in qgram.postings(ids, keys, q)))

    def _merge_chunks(self) -> None:
        """Merge the chunks of tokens that gathered too many (many small imports)."""
        crowded = [row[0] for row in self.db.execute(
            "SELECT token FROM postings GROUP BY token HAVING count(*) > ?", (_MAX_CHUNKS,))]
        for token in crowded:
            blobs = [row[0] for row in self.db.execute(
                "SELECT ids FROM postings WHERE token = ? ORDER BY chunk", (token,))]
            merged = np.sort(np.frombuffer(b"".join(blobs), dtype="<u4")).tobytes()
            first = self.db.execute("SELECT min(chunk) FROM postings WHERE token = ?", (token,)).fetchone()[0]
            self.db.execute("DELETE FROM postings WHERE token = ?", (token,))
            self.db.execute("INSERT INTO postings (token, chunk, ids) VALUES (?, ?, ?)", (token, first, merged))

    # ---------------------------------------------------------------- reading

    def __len__(self) -> int:
        return self.db.execute("SELECT count(*) FROM tu").fetchone()[0]

    def units(self) -> Iterator[TranslationUnit]:
        for row in self.db.execute("SELECT * FROM tu ORDER BY id"):
            yield row_unit(row)

    def unit(self, ident: int) -> TranslationUnit:
        row = self.db.execute("SELECT * FROM tu WHERE id = ?", (ident,)).fetchone()
        if row is None:
            raise KeyError(ident)
        return row_unit(row)

    def keys(self) -> Iterator[tuple[int, str]]:
        for row in self.db.execute("SELECT id, source_key FROM tu ORDER BY id"):
            yield row[0], row[1]

    def _main_source_lang(self) -> str | None:
        row = self.db.execute(MAIN_SOURCE_LANG).fetchone()
        return row[0] if row else None

    def _match_rows(self, ids: Sequence[int]) -> dict[int, sqlite3.Row]:
        rows = {}
        for start in range(0, len(ids), 900):
            part = list(ids[start:start + 900])
            for row in self.db.execute(f"SELECT {MATCH_COLUMNS} FROM tu WHERE id IN ({','.join('?' * len(part))})",
                                       part):
                rows[row["id"]] = row
        return rows

    # ---------------------------------------------------------------- concordance

    def _containing(self, key: str, limit: int | None) -> list[sqlite3.Row]:
        q = 2 if len(key) >= 2 else 1
        codes, _ = qgram.tokens(key, q)
        counts = qgram.shared_counts(self._postings(codes.tolist()), 0)
        ids = np.flatnonzero(counts >= len(codes))[::-1].tolist()  # units with every token: newest first
        found = []
        for start in range(0, len(ids), 500):
            part = ids[start:start + 500]
            rows = self.db.execute(f"SELECT id, source, target, source_key FROM tu WHERE id IN "
                                   f"({','.join('?' * len(part))}) ORDER BY id DESC", part)
            for row in rows:
                if key in row["source_key"]:
                    found.append(row)
                    if limit and len(found) >= limit:
                        return found
        return found

    def _english_like(self, stem: str) -> Iterator[sqlite3.Row]:
        like = contains_pattern(stem)
        yield from self.db.execute("SELECT id, source, target FROM tu WHERE target LIKE ? ESCAPE '\\' "
                                   "ORDER BY id DESC", (like,))

    # ---------------------------------------------------------------- fuzzy lookup

    def _candidates(self, query_key: str, minimum: float) -> dict[int, tuple[int, int]]:
        """The count filter (:mod:`tm.qgram`) only discards units that cannot match, and
        lengths where it cannot decide are read in full from the length index."""
        m = len(query_key)
        lengths = possible_lengths(m, minimum)
        bigrams, dropped2 = qgram.tokens(query_key, 2)
        chars, dropped1 = qgram.tokens(query_key, 1)
        # For each possible length: which filter applies, and how many tokens must be shared.
        rules: dict[int, tuple[int, int]] = {}
        unfiltered: list[int] = []
        for n in lengths:
            longer = max(m, n)
            distance = max_distance(longer, minimum)
            if m <= SHORT_QUERY:  # few units are this short: reading them all beats any posting list
                unfiltered.append(n)
            elif (bound := qgram.count_bound(longer, distance, 2) - dropped2) > 0:
                rules[n] = (2, bound)
            elif (bound := qgram.count_bound(longer, distance, 1) - dropped1) > 0:
                rules[n] = (1, bound)
            else:
                unfiltered.append(n)
        found: dict[int, tuple[int, int]] = {}
        if rules:
            verify(query_key, minimum, self._filtered({2: bigrams, 1: chars}, rules), found)
        for low, high in _runs(unfiltered):
            rows = self.db.execute("SELECT id, source_key FROM tu WHERE key_len BETWEEN ? AND ?", (low, high))
            verify(query_key, minimum, rows, found)
        return found

    def _postings(self, codes: list[int]) -> list[bytes]:
        blobs = []
        for start in range(0, len(codes), 500):
            part = codes[start:start + 500]
            blobs += [row[0] for row in self.db.execute(
                f"SELECT ids FROM postings WHERE token IN ({','.join('?' * len(part))})", part)]
        return blobs

    def _filtered(self, tokens: dict[int, np.ndarray], rules: dict[int, tuple[int, int]]) -> list[sqlite3.Row]:
        """Units of a possible length that share enough tokens with the query (the count filter)."""
        counts: dict[int, np.ndarray] = {}
        keep = None
        for q in (2, 1):
            bounds = [bound for used, bound in rules.values() if used == q]
            if not bounds:
                continue
            counts[q] = qgram.shared_counts(self._postings(tokens[q].tolist()), 0)
            passing = np.flatnonzero(counts[q] >= min(bounds))
            keep = passing if keep is None else np.union1d(keep, passing)
        rows = []
        ids = keep.tolist() if keep is not None else []
        for start in range(0, len(ids), 900):
            part = ids[start:start + 900]
            for row in self.db.execute(
                    f"SELECT id, source_key FROM tu WHERE id IN ({','.join('?' * len(part))})", part):
                rule = rules.get(len(row[1]))
                if rule is not None:
                    shared = counts[rule[0]]
                    if row[0] < len(shared) and shared[row[0]] >= rule[1]:
                        rows.append(row)
        return rows


def _stamped(units: Iterable[TranslationUnit], origin: str,
             progress: Callable[[int], None] | None) -> Iterator[TranslationUnit]:
    count = -1
    for count, unit in enumerate(units):
        unit.origin = unit.origin or origin
        unit.position = count if unit.position is None else unit.position
        if progress and count % 1000 == 0:
            progress(count)
        yield unit
    if progress:
        progress(count + 1)


def _connect_readonly(path: str, timeout: float) -> sqlite3.Connection:
    """A read-only connection; on a read-only medium, where SQLite cannot even make its
    WAL side files, the file is opened as immutable."""
    if not os.path.exists(path):
        raise FormatError(path, None, "no translation memory here (create one with `tm import FILE`)")
    uri = "file:" + urllib.parse.quote(os.path.abspath(path))
    try:
        db = sqlite3.connect(uri + "?mode=ro", uri=True, timeout=timeout, isolation_level=None)
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return db
    except sqlite3.OperationalError:
        return sqlite3.connect(uri + "?immutable=1", uri=True, timeout=timeout, isolation_level=None)


def _explain(error: sqlite3.Error) -> str:
    """One line for a user: what SQLite said, in words that say what to do."""
    text = str(error)
    if "locked" in text or "busy" in text:
        return "the translation memory is busy (another process is writing to it); try again"
    if "not a database" in text or "malformed" in text:
        return f"not a translation memory ({text})"
    return text


def with_context(units: Iterable[TranslationUnit]) -> Iterator[TranslationUnit]:
    """Units of one document in order, each given its neighbours' sources as context
    (where it has none of its own)."""
    previous: TranslationUnit | None = None
    for unit in units:
        if previous is not None:
            unit.prev_source = unit.prev_source or previous.source
            previous.next_source = previous.next_source or unit.source
            yield previous
        previous = unit
    if previous is not None:
        yield previous


def _spans(haystack: str, needle: str) -> list[tuple[int, int]]:
    """Non-overlapping occurrences of ``needle`` in ``haystack``."""
    spans, at = [], haystack.find(needle)
    while needle and at >= 0:
        spans.append((at, at + len(needle)))
        at = haystack.find(needle, at + len(needle))
    return spans


def contains_pattern(text: str) -> str:
    """A LIKE pattern (with ``ESCAPE '\\'``) matching any text that contains ``text`` literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _runs(values: list[int]) -> Iterator[tuple[int, int]]:
    """Consecutive runs of sorted integers as (low, high) pairs."""
    for _, group in itertools.groupby(enumerate(values), key=lambda item: item[1] - item[0]):
        run = [v for _, v in group]
        yield run[0], run[-1]
