"""Sentence alignment of a Chinese document and its English translation.

Two passes, as Bertalign and Vecalign do:

1. **Anchors.** Dynamic programming over 1-1 links and skips in a band around
   the diagonal, scored by the cosine similarity of single-sentence embeddings,
   gives a first path.
2. **Beads.** Dynamic programming in a narrow band around that path over every
   bead type with at most :data:`MAX_BEAD` sentences (0-1, 1-0, 1-1 … 1-4, 4-1,
   2-2, 2-3, 3-2) and the larger :data:`LARGE_TYPES` (1-5, 2-4, 3-3), each scored
   by its features (``_Problem.features``) · :data:`WEIGHTS`:
   the embedding similarity of the concatenated sentences (raw, and minus the
   similarity to the neighbouring sentences), a length model (Chinese
   characters against English characters, calibrated on the document), a
   lexical score (English words of the CC-CEDICT glosses of the Chinese words,
   numbers after normalisation), how well each sentence finds a clause of the
   other side inside the bead (:class:`_ClauseMatch`: the English sentence that
   renders the last clause of one Chinese sentence belongs with it, not with the
   next), whether the bead ends inside a quotation on one
   side only (literary dialogue: a translator splits a Chinese “…” into several
   English sentences, and the bead should not end before the quotation does) and
   a bias per bead type.

Both bands keep time and memory near-linear in the document's length. Every
sentence of both sides ends up in exactly one bead: nothing is dropped, an
unaligned sentence is a 1-0 or 0-1 bead. Each bead gets a confidence in 0–1: its posterior
probability over every path in the band (:mod:`aligned.posterior`), 0 for an unaligned sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from . import embed
from .band import BandRow
from .lexicon import LexicalFeatures
from .posterior import Lattice

MAX_BEAD = 5  # sentences in a bead, both sides together, for bead_types() (LARGE_TYPES go beyond)
FIRST_WINDOW = 250  # half-width of the first-pass band, in sentences (at least)
FIRST_SHARE = 0.06  # … or this share of the longer side
SECOND_WINDOW = 5  # half-width of the second-pass band around the anchors


def bead_types(limit: int = MAX_BEAD) -> list[tuple[int, int]]:
    """(source, target) sentence counts of the beads considered: 0-1, 1-0, then x-y with x+y ≤ limit."""
    kinds = [(0, 1), (1, 0)]
    kinds += [(x, y) for x in range(1, limit) for y in range(1, limit) if x + y <= limit]
    return kinds


#: Larger beads, for a Chinese sentence that the translator split in many (1-5) and the like.
LARGE_TYPES = [(1, 5), (2, 4), (3, 3)]
TYPES = bead_types() + LARGE_TYPES
SRC_DEPTH = max(x for x, _ in TYPES)  # longest run of sentences embedded whole, on each side
TGT_DEPTH = max(y for _, y in TYPES)
#: Added to the score of a 0-1 bead after a 0-1 bead, and of a 1-0 after a 1-0: a lone unaligned
#: sentence is rare in a translation (mostly one that belongs to the neighbouring bead), a run of them
#: (a passage one side lacks) less so.
NULL_RUN_BONUS = 0.1
#: Features beyond the bead type, in the order ``_Problem.features`` fills them.
SCORES = ("similarity", "margin", "length", "lexical", "quote zh", "quote en", "raw similarity",
          "clause en", "clause zh")
FEATURES = (*SCORES, *(f"type {x}-{y}" for x, y in TYPES))
#: Weights of the features; see the module docstring and benchmarks/align_quality.py. Tuned by
#: coordinate ascent of strict F1 on ../shared/data/align-dev (all three corpora, mac-dev first);
#: the two clause weights by a grid over the same objective, leaving each document out in turn.
_TYPE_WEIGHTS = {(0, 1): -0.2, (1, 0): -0.2}
WEIGHTS = np.array([0.15, 1.0, 0.0, 0.1, -0.05, -0.15, -0.05, 0.3, 0.05]
                   + [_TYPE_WEIGHTS.get((x, y), -0.02 * (x + y - 2)) for x, y in TYPES])


@dataclass(frozen=True)
class Bead:
    """Source sentence ids, target sentence ids (0-based, consecutive) and a confidence in 0–1
    (the probability that the bead is right, as the aligner sees it; 0 for a 1-0 or 0-1 bead)."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    confidence: float = 0.0


class _Side:
    """One document side: embeddings and lengths of every run of 1…``depth`` sentences."""

    def __init__(self, sentences: Sequence[str], joiner: str, depth: int):
        self.sentences = list(sentences)
        n = len(self.sentences)
        runs = [[joiner.join(self.sentences[max(0, i - k):i + 1]) for i in range(n)] for k in range(depth)]
        # Each run is encoded whole: summing single-sentence vectors is 3× faster but costs 2–4 F1 points.
        flat = embed.encode([text for run in runs for text in run])
        self.vectors = flat.reshape(depth, n, -1) if n else np.zeros((depth, 0, embed.DIMENSIONS), np.float32)
        self.lengths = np.array([[max(1, len(t)) for t in run] for run in runs], dtype=np.float64).reshape(depth, n)

    def __len__(self) -> int:
        return len(self.sentences)

    def run(self, end: int, count: int) -> np.ndarray:
        """Embedding of the ``count`` sentences ending before position ``end``."""
        return self.vectors[count - 1, end - 1]


class Aligner:
    """Aligns sentences; reusable across documents (the model loads once per process)."""

    def __init__(self, weights: np.ndarray | None = None, lexicon: LexicalFeatures | None = None):
        self.weights = WEIGHTS if weights is None else np.asarray(weights, dtype=np.float64)
        self.lexicon = lexicon or LexicalFeatures()

    # ------------------------------------------------------------ public

    def align(self, zh: Sequence[str], en: Sequence[str]) -> list[Bead]:
        """Beads covering every sentence of both sides, in order."""
        if not zh or not en:
            return [Bead((i,), ()) for i in range(len(zh))] + [Bead((), (j,)) for j in range(len(en))]
        problem = _Problem(zh, en, self.lexicon)
        anchors = problem.anchors()
        path = problem.beads(anchors, self.weights)
        sure = problem.lattice.posteriors(path)
        return [Bead(src, tgt, p if src and tgt else 0.0) for (src, tgt), p in zip(path, sure)]

    def align_paragraphs(self, zh: Sequence[Sequence[str]], en: Sequence[Sequence[str]]) -> list[Bead]:
        """Align paragraph by paragraph when both sides have the same number of them
        (paragraph breaks are then hard boundaries), else as one run of sentences."""
        if len(zh) != len(en) or len(zh) < 2:
            return self.align([s for p in zh for s in p], [s for p in en for s in p])
        beads, i0, j0 = [], 0, 0
        for zp, ep in zip(zh, en):
            for bead in self.align(zp, ep):
                beads.append(Bead(tuple(i + i0 for i in bead.src), tuple(j + j0 for j in bead.tgt), bead.confidence))
            i0, j0 = i0 + len(zp), j0 + len(ep)
        return beads


class _Problem:
    """One document pair being aligned."""

    def __init__(self, zh: Sequence[str], en: Sequence[str], lexicon: LexicalFeatures):
        self.src = _Side(zh, "", SRC_DEPTH)
        self.tgt = _Side(en, " ", TGT_DEPTH)
        self.zh_quoted = _quoted(zh, _chinese_quotes)
        self.en_quoted = np.r_[False, _quoted(en, _english_quotes)]  # by end position: 0 is before the first
        self.ratio = self.src.lengths[0].sum() / self.tgt.lengths[0].sum()  # Chinese chars per English char
        self.zh_lex = [lexicon.chinese(s) for s in zh]
        self.en_lex = [lexicon.english(s) for s in en]
        # the English words of the y sentences ending before position j: en_bags[y - 1][j]
        self.en_bags = [[frozenset().union(*self.en_lex[max(0, j - y):j]) for j in range(len(en) + 1)]
                        for y in range(1, TGT_DEPTH + 1)]
        self.lexicon = lexicon
        self.clauses: _ClauseMatch | None = None  # set by beads(), over its band
        self.lattice: Lattice | None = None  # the scores beads() computed, for the posteriors

    # ------------------------------------------------------------ first pass

    def anchors(self) -> list[tuple[int, int]]:
        """1-1 links (as end positions, 1-based) of the best monotone path of single sentences.

        Row by row: ``best[i, j] = max(best[i-1, j], best[i, j-1], best[i-1, j-1] + sim)``;
        the ``best[i, j-1]`` term is a running maximum along the row.
        """
        n, m = len(self.src), len(self.tgt)
        window = max(FIRST_WINDOW, int(max(n, m) * FIRST_SHARE))
        slope = m / n
        previous = BandRow(0, np.zeros(m + 1))  # row 0: every column reachable for free
        moves: list[tuple[int, np.ndarray]] = [(0, np.zeros(0, dtype=np.int8))]
        for i in range(1, n + 1):
            low, high = max(1, int(slope * i) - window), min(m, int(slope * i) + window)
            columns = np.arange(low, high + 1)
            similarity = self.tgt.vectors[0, low - 1:high] @ self.src.vectors[0, i - 1]
            up = previous.at(columns)
            diagonal = previous.at(columns - 1) + similarity
            candidate = np.maximum(up, diagonal)
            start = 0.0 if low == 1 else -np.inf  # column 0 costs nothing; others left of the band are out
            row = np.maximum.accumulate(np.concatenate(([start], candidate)))[1:]
            move = np.where(diagonal >= up, 3, 1).astype(np.int8)
            move[row > candidate] = 2
            moves.append((low, move))
            previous = BandRow(low, row, free_start=True)
        links, i, j = [], n, m
        while i > 0 and j > 0:
            low, move = moves[i]
            how = move[j - low] if low <= j < low + len(move) else 0
            if how == 3:
                links.append((i, j))
                i, j = i - 1, j - 1
            elif how == 2:
                j -= 1
            elif how == 1:
                i -= 1
            else:
                break
        return links[::-1]

    # ------------------------------------------------------------ second pass

    def _band(self, anchors: list[tuple[int, int]]) -> list[tuple[int, int]]:
        n, m = len(self.src), len(self.tgt)
        points = [a for a in anchors if a != (n, m)] + [(n, m)]
        band: list[tuple[int, int]] = [(0, 0)] * (n + 1)
        previous_i, previous_j = 0, 0
        for i, j in points:
            low, high = max(0, previous_j - SECOND_WINDOW), min(m, j + SECOND_WINDOW)
            for row in range(previous_i + 1, i + 1):
                band[row] = (low, high)
            previous_i, previous_j = i, j
        band[0] = (0, band[1][1] if n else m)
        band[n] = (band[n][0], m)  # the last anchor may end before the last target sentence
        return band

    def features(self, i: int, js: np.ndarray, x: int, y: int) -> np.ndarray:
        """Features (rows) of the beads of ``x`` source and ``y`` target sentences ending
        before source position ``i`` and each target position in ``js``."""
        phi = np.zeros((len(js), len(FEATURES)))
        phi[:, len(SCORES) + TYPES.index((x, y))] = 1.0
        if not len(js):
            return phi
        n, m = len(self.src), len(self.tgt)
        if i >= 1:  # the bead ends inside a quotation on one side only
            en_quoted = self.en_quoted[js]
            phi[:, 4] = self.zh_quoted[i - 1] & ~en_quoted
            phi[:, 5] = en_quoted & ~self.zh_quoted[i - 1]
        if not (x and y):
            return phi
        sv = self.src.run(i, x)
        tv = self.tgt.vectors[y - 1, js - 1]
        similarity = tv @ sv
        left_t, right_t = js - y - 1, js  # the target sentences on either side of each bead
        has_left_t, has_right_t = left_t >= 0, right_t < m
        singles = self.tgt.vectors[0]
        near_t = (np.where(has_left_t, singles[np.clip(left_t, 0, m - 1)] @ sv, 0.0)
                  + np.where(has_right_t, singles[np.clip(right_t, 0, m - 1)] @ sv, 0.0))
        near_t /= np.maximum(has_left_t.astype(int) + has_right_t.astype(int), 1)
        near_s = np.zeros(len(js))
        sides = [k for k in (i - x - 1, i) if 0 <= k < n]
        for k in sides:
            near_s += tv @ self.src.vectors[0, k]
        near_s /= max(len(sides), 1)
        zh_len = self.src.lengths[x - 1, i - 1]
        en_len = self.tgt.lengths[y - 1, js - 1] * self.ratio
        length = np.log2(1 + np.minimum(zh_len, en_len) / np.maximum(zh_len, en_len))
        phi[:, 0] = similarity * length
        phi[:, 1] = (similarity - (near_t + near_s) / 2) * length
        phi[:, 2] = length
        chinese = [g for k in range(i - x, i) for g in self.zh_lex[k]]
        phi[:, 3] = [self.lexicon.score(chinese, self.en_bags[y - 1][j]) for j in js]
        phi[:, 6] = similarity
        if self.clauses is not None:
            english = js[:, None] - y + np.arange(y)  # the English sentences of each bead, one row per bead
            phi[:, 7], phi[:, 8] = self.clauses.scores(range(i - x, i), english)
        return phi

    def beads(self, anchors: list[tuple[int, int]], weights: np.ndarray) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
        """The best path of beads through the band around ``anchors`` (vectorised row by row);
        the score of every bead considered stays in ``self.lattice`` for the posteriors."""
        n, m = len(self.src), len(self.tgt)
        band = self._band(anchors)
        self.clauses = _ClauseMatch(self.src, self.tgt, band)
        self.lattice = Lattice(band)
        rows: dict[int, BandRow] = {}  # scores of the last SRC_DEPTH rows only: a bead reaches no further back
        backs: list[tuple[int, np.ndarray]] = []  # every row's back pointers, over its band
        insert, delete = TYPES.index((0, 1)), TYPES.index((1, 0))
        for i in range(n + 1):
            low, high = band[i]
            columns = np.arange(low, high + 1)
            best = np.full(len(columns), -np.inf)
            back = np.full(len(columns), -1, dtype=np.int8)
            for kind, (x, y) in enumerate(TYPES):
                if x == 0 or x > i:  # 0-1 beads chain along the row: handled below
                    continue
                valid = columns >= y
                js = columns[valid]
                if not len(js):
                    continue
                scores = self.features(i, js, x, y) @ weights
                self.lattice.add(i, x, y, js, scores)
                value = rows[i - x].at(js - y) + scores
                if (x, y) == (1, 0) and i:  # a deletion after a deletion costs less
                    # (read from the previous row's best move: an approximation of a score per path)
                    value += NULL_RUN_BONUS * (BandRow(*backs[i - 1]).at(js) == delete)
                better = value > best[valid]
                positions = np.flatnonzero(valid)[better]
                best[positions] = value[better]
                back[positions] = kind
            if i == 0:
                best[columns == 0] = 0.0
            skips = self.features(i, columns, 0, 1) @ weights  # a 0-1 bead ending at each column
            self.lattice.skips[i] = skips
            for k in range(1, len(columns)):  # 0-1 beads: left to right along the row
                value = best[k - 1] + skips[k] + (NULL_RUN_BONUS if back[k - 1] == insert else 0.0)
                if value > best[k]:
                    best[k] = value
                    back[k] = insert
            rows[i] = BandRow(low, best)
            rows.pop(i - SRC_DEPTH, None)
            backs.append((low, back))
        path, i, j = [], n, m
        while i or j:
            low, back = backs[i]
            if not 0 <= j - low < len(back) or back[j - low] < 0:
                raise RuntimeError(f"alignment path left the band at ({i}, {j})")  # a bug, not bad input
            x, y = TYPES[back[j - low]]
            path.append((tuple(range(i - x, i)), tuple(range(j - y, j))))
            i, j = i - x, j - y
        return path[::-1]


#: A clause shorter than this many characters joins its neighbour ("他说：", "However," say too little).
CLAUSE_MIN_ZH, CLAUSE_MIN_EN = 6, 20
_ZH_CLAUSE_END = re.compile(r"(?<=[，；：])|(?<=[,;:])(?!\d)")  # not in 12:30 or 1,200
_EN_CLAUSE_END = re.compile(r"(?<=[,;:])\s+")


def clauses(sentence: str, chinese: bool) -> list[str]:
    """The clauses of a sentence, split after each comma, semicolon and colon (Chinese: full-width,
    or half-width but not inside a number; English: where a space follows); a clause shorter than
    ``CLAUSE_MIN_ZH`` (``CLAUSE_MIN_EN``) characters joins the next one, a short last clause the one
    before. Joined back (English: with a single space), the clauses give the sentence, less any
    stretch of white space at a split; a sentence with no text is one clause."""
    parts = _ZH_CLAUSE_END.split(sentence) if chinese else _EN_CLAUSE_END.split(sentence)
    minimum, joiner = (CLAUSE_MIN_ZH, "") if chinese else (CLAUSE_MIN_EN, " ")
    out: list[str] = []
    for part in (p for p in parts if p.strip()):
        if out and len(out[-1]) < minimum:
            out[-1] += joiner + part
        else:
            out.append(part)
    if len(out) > 1 and len(out[-1]) < minimum:
        last = out.pop()
        out[-1] += joiner + last
    return out or [sentence]


def _clause_vectors(split: list[list[str]], whole: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Embeddings of every clause, sentence after sentence, and each sentence's first row
    (``offsets[k]:offsets[k + 1]``); a sentence of one clause keeps its sentence vector."""
    encoded = iter(embed.encode([c for parts in split if len(parts) > 1 for c in parts]))
    rows = [whole[k] if len(parts) == 1 else next(encoded) for k, parts in enumerate(split) for _ in parts]
    offsets = np.cumsum([0] + [len(parts) for parts in split])
    return (np.array(rows, dtype=np.float32) if rows else np.zeros((0, whole.shape[1]), np.float32)), offsets


class _ClauseMatch:
    """How well each sentence finds a clause of a nearby sentence on the other side.

    A translator who splits a long Chinese sentence renders its clauses one after
    another: each English sentence of a good bead is close to one clause of the
    bead's Chinese (closer than to the whole, which also holds the rest), and
    each Chinese sentence close to one clause of its English. For Chinese
    sentence ``k``, ``english[k]`` holds the best cosine similarity of each
    English sentence to one of ``k``'s clauses, ``chinese[k]`` the best similarity
    of ``k`` to one of each English sentence's clauses; only the English
    sentences that a bead of the band can put with ``k`` are computed.
    """

    def __init__(self, src: _Side, tgt: _Side, band: list[tuple[int, int]]):
        n, m = len(src), len(tgt)
        zh, zh_offsets = _clause_vectors([clauses(s, True) for s in src.sentences], src.vectors[0])
        en, en_offsets = _clause_vectors([clauses(s, False) for s in tgt.sentences], tgt.vectors[0])
        self.english: list[BandRow] = []
        self.chinese: list[BandRow] = []
        for k in range(n):
            reach = band[k + 1:min(n, k + SRC_DEPTH) + 1]  # the rows whose beads may hold sentence k
            low = max(0, min(b[0] for b in reach) - TGT_DEPTH)
            high = min(m, max(b[1] for b in reach))
            near = tgt.vectors[0, low:high] @ zh[zh_offsets[k]:zh_offsets[k + 1]].T
            self.english.append(BandRow(low, near.max(axis=1).astype(np.float64)))
            each = en[en_offsets[low]:en_offsets[high]] @ src.vectors[0, k]
            best = np.maximum.reduceat(each, en_offsets[low:high] - en_offsets[low])
            self.chinese.append(BandRow(low, best.astype(np.float64)))

    def scores(self, chinese: range, english: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For beads of the ``chinese`` sentences and each row of ``english`` (sentence ids):
        the sum over the English sentences of each one's best match to a Chinese clause of the
        bead, and the sum over the Chinese sentences of each one's best match to an English clause."""
        flat = english.ravel()  # outside the band (no bead of beads() reaches there): 0
        en_best = np.max([self.english[k].at(flat, 0.0) for k in chinese], axis=0).reshape(english.shape)
        zh_best = sum(self.chinese[k].at(flat, 0.0).reshape(english.shape).max(axis=1) for k in chinese)
        return en_best.sum(axis=1), zh_best


def _chinese_quotes(sentence: str) -> list[bool]:
    """Opening (True) and closing (False) quotation marks of a Chinese sentence, in order."""
    return [c in "“「" for c in sentence if c in "“”「」"]


def _english_quotes(sentence: str) -> list[bool | None]:
    """Opening (True) and closing (False) quotation marks of an English sentence, in order;
    an apostrophe (don't, Trinket's, the '90s) is neither, a mark between spaces is None (either).
    A plural possessive (the boys' mother) is an apostrophe when a lower-case word other than a
    pronoun, a speech verb or a conjunction follows it."""
    marks = []
    for match in re.finditer("['\"‘’“”]", sentence):
        k, c = match.start(), match.group()
        before = sentence[k - 1] if k else " "
        after = sentence[k + 1] if k + 1 < len(sentence) else " "
        if c in "'‘" and after.isdigit():
            continue  # the '90s
        if c in "‘“":
            marks.append(True)
        elif c in "’”":
            if not (c == "’" and before.isalpha() and after.isalpha()):
                marks.append(False)
        elif before.isalnum() and after.isalpha():
            continue  # don't
        elif c == "'" and before == "s" and _POSSESSED.match(sentence, k + 1):
            continue  # the bearers' banter (not "… the bearers' he said")
        elif (before.isspace() or before in "([—–-") and not after.isspace():
            marks.append(True)
        elif not before.isspace() and (after.isspace() or after in ")],.;:!?—–-"):
            marks.append(False)
        elif before.isspace() and after.isspace():
            marks.append(None)  # a mark standing alone: opens or closes as the state requires
    return marks


#: After a plural possessive's apostrophe: a lower-case word that does not begin a speech tag.
_POSSESSED = re.compile(r" (?!(?:he|she|they|i|we|you|it|said|asked|cried|replied|and|but|or|then)\b)[a-z]")


def _quoted(sentences: Sequence[str], marks) -> np.ndarray:
    """For each sentence, whether a quotation is still open at its end (the last mark decides)."""
    state, out = False, []
    for sentence in sentences:
        for mark in marks(sentence):
            state = (not state) if mark is None else mark
        out.append(state)
    return np.array(out, dtype=bool)
