"""sacrebleu's TER, the same numbers, faster on translations close to their reference.

:func:`translation_edit_rate` returns exactly what
``sacrebleu.metrics.lib_ter.translation_edit_rate`` returns (edits, reference
length) for the same words: the same shift search (Tercom's heuristics, the
same candidate order and limits), the same beam edit distance (25 cells either
side of the length-scaled diagonal) and the same trace tie-breaking. What it
saves is time:

* words are compared as integers, and the shift candidates are found through
  an index of the reference's word positions rather than a scan of all pairs,
  skipping those sacrebleu would reject at once (no error in the stretch);
* the beam distance of a hypothesis is read from rapidfuzz's exact Levenshtein
  distance ``d`` when ``d ≤ 12``: every optimal alignment then stays within
  ``2d ≤ 24`` cells of the beam's diagonal, so the beam cannot cut it off and
  the two are equal. Otherwise the beam programme runs as sacrebleu's does;
* a shift candidate whose plain distance is no better than the current one
  cannot be the shift taken (a shift is taken only if it lowers the beam
  distance, which is never below the plain one), so its beam distance is not
  computed;
* the trace that places the shifts comes from a band of ``d + 1`` cells around
  the diagonal when ``d ≤ 11``: the cells it reads lie on or beside an optimal
  alignment, whose values the beam computes exactly (see above), so the
  backtrace takes the same steps as sacrebleu's.

``tests/test_ter.py`` checks the equality against sacrebleu on real and
random sentences, including long ones where the beam binds.
"""
from __future__ import annotations

import math
from typing import Sequence

from rapidfuzz.distance import Levenshtein

# sacrebleu's (lib_ter) limits
MAX_SHIFT_SIZE = 10
MAX_SHIFT_DIST = 50
BEAM_WIDTH = 25
MAX_SHIFT_CANDIDATES = 1000
_INF = int(1e16)
_EXACT = 12  # plain distance up to which the beam distance equals it
_EXACT_TRACE = 11  # plain distance up to which the band trace equals the beam's

_NOP, _SUB, _INS, _DEL = " ", "s", "i", "d"


def translation_edit_rate(words_hyp: Sequence[str], words_ref: Sequence[str]) -> tuple[int, int]:
    """(number of edits, reference length): sacrebleu's ``translation_edit_rate``, exactly."""
    n_ref = len(words_ref)
    if n_ref == 0:
        return len(words_hyp), 0
    if list(words_hyp) == list(words_ref):  # nothing to shift, nothing to edit
        return 0, n_ref
    ids: dict[str, int] = {}
    ref = [ids.setdefault(w, len(ids)) for w in words_ref]
    hyp = [ids.setdefault(w, len(ids)) for w in words_hyp]
    positions: dict[int, list[int]] = {}
    for j, word in enumerate(ref):
        positions.setdefault(word, []).append(j)
    shifts, checked = 0, 0
    while True:
        delta, shifted, checked = _shift(hyp, ref, positions, checked)
        if checked >= MAX_SHIFT_CANDIDATES or delta <= 0:
            break
        shifts += 1
        hyp = shifted
    return shifts + _distance(hyp, ref), n_ref


def _beam_width(n_hyp: int, n_ref: int) -> tuple[float, int]:
    ratio = n_ref / n_hyp if n_hyp else 1
    return ratio, (math.ceil(ratio / 2 + BEAM_WIDTH) if BEAM_WIDTH < ratio / 2 else BEAM_WIDTH)


def _beam_matrix(hyp: list[int], ref: list[int]) -> list[list[int]]:
    """sacrebleu's beam edit distance matrix (costs; cells outside the beam ≥ ``_INF``)."""
    n_hyp, n_ref = len(hyp), len(ref)
    ratio, width = _beam_width(n_hyp, n_ref)
    rows = [list(range(n_ref + 1))]
    for i in range(1, n_hyp + 1):
        above = rows[-1]
        row = [_INF] * (n_ref + 1)
        diagonal = math.floor(i * ratio)
        low = max(0, diagonal - width)
        high = n_ref + 1 if i == n_hyp else min(n_ref + 1, diagonal + width)
        word = hyp[i - 1]
        for j in range(low, high):
            if j == 0:
                row[0] = above[0] + 1
                continue
            best = above[j - 1] + (0 if word == ref[j - 1] else 1)
            other = above[j] + 1
            if other < best:
                best = other
            other = row[j - 1] + 1
            if other < best:
                best = other
            row[j] = best if best < _INF else _INF
        rows.append(row)
    return rows


def _distance(hyp: list[int], ref: list[int], plain: int | None = None) -> int:
    """The beam distance of ``hyp`` (``plain``: its Levenshtein distance, if known)."""
    if plain is None:
        plain = Levenshtein.distance(hyp, ref)
    if plain <= _EXACT:
        return plain
    return _beam_matrix(hyp, ref)[-1][-1]


def _band_trace(hyp: list[int], ref: list[int], band: int) -> str:
    """The backtrace of the plain edit distances within ``band`` cells of the diagonal
    (cells beyond count as ``_INF``), with sacrebleu's preferences.

    Row ``i`` is kept as the ``2 * band + 1`` cells ``j = i - band … i + band``.
    """
    n_hyp, n_ref = len(hyp), len(ref)
    width = 2 * band + 1
    rows = [[t - band if 0 <= t - band <= n_ref else _INF for t in range(width)]]
    for i in range(1, n_hyp + 1):
        above = rows[-1]
        row = [_INF] * width
        word = hyp[i - 1]
        for t in range(width):
            j = i - band + t
            if j < 0 or j > n_ref:
                continue
            if j == 0:
                row[t] = above[t + 1] + 1 if t + 1 < width else _INF
                continue
            best = above[t] + (0 if word == ref[j - 1] else 1)
            if t + 1 < width and above[t + 1] + 1 < best:
                best = above[t + 1] + 1
            if t > 0 and row[t - 1] + 1 < best:
                best = row[t - 1] + 1
            row[t] = best
        rows.append(row)

    def cell(i: int, j: int) -> int:
        t = j - i + band
        return rows[i][t] if 0 <= t < width else _INF

    return _backtrace(hyp, ref, cell)


def _trace(hyp: list[int], ref: list[int], rows: list[list[int]]) -> str:
    """The backtrace of a full cost matrix (``rows[i][j]``)."""
    return _backtrace(hyp, ref, lambda i, j: rows[i][j])


def _backtrace(hyp: list[int], ref: list[int], cell) -> str:
    """The trace from the last cell back, with sacrebleu's preferences (no-op/substitution,
    then deletion, then insertion, the first of equals winning)."""
    ops = []
    i, j = len(hyp), len(ref)
    while i > 0 or j > 0:
        if i == 0:
            op = _INS
        elif j == 0:
            op = _DEL
        else:
            same = hyp[i - 1] == ref[j - 1]
            best, op = cell(i - 1, j - 1) + (0 if same else 1), (_NOP if same else _SUB)
            if cell(i - 1, j) + 1 < best:
                best, op = cell(i - 1, j) + 1, _DEL
            if cell(i, j - 1) + 1 < best:
                op = _INS
        ops.append(op)
        if op in (_SUB, _NOP):
            i -= 1
            j -= 1
        elif op == _INS:
            j -= 1
        else:
            i -= 1
    return "".join(reversed(ops))


def _distance_and_trace(hyp: list[int], ref: list[int]) -> tuple[int, str]:
    if hyp == ref:
        return 0, _NOP * len(hyp)
    plain = Levenshtein.distance(hyp, ref)
    if plain <= _EXACT_TRACE:
        return plain, _band_trace(hyp, ref, plain + 1)
    rows = _beam_matrix(hyp, ref)
    return rows[-1][-1], _trace(hyp, ref, rows)


def _alignment(inverse_trace: str) -> tuple[dict[int, int], list[int], list[int]]:
    """sacrebleu's ``trace_to_alignment`` of the flipped trace: (align, ref_err, hyp_err)."""
    pos_hyp = pos_ref = -1
    hyp_err: list[int] = []
    ref_err: list[int] = []
    align: dict[int, int] = {}
    for op in inverse_trace:  # flipped: an insertion of the inverse is a deletion here
        if op == _NOP or op == _SUB:
            pos_hyp += 1
            pos_ref += 1
            align[pos_ref] = pos_hyp
            error = 0 if op == _NOP else 1
            hyp_err.append(error)
            ref_err.append(error)
        elif op == _DEL:  # _INS once flipped
            pos_hyp += 1
            hyp_err.append(1)
        else:  # _INS, i.e. _DEL once flipped
            pos_ref += 1
            align[pos_ref] = pos_hyp
            ref_err.append(1)
    return align, ref_err, hyp_err


def _shifted_pairs(hyp: list[int], ref: list[int], positions: dict[int, list[int]],
                   hyp_err: list[int], ref_err: list[int]):
    """sacrebleu's ``_find_shifted_pairs`` in the same order, less the pairs ``_shift`` skips
    at once because the hypothesis or the reference stretch holds no error.

    Only reference positions with the same first word are visited, and only lengths
    long enough to reach the next error on both sides are yielded.
    """
    n_hyp, n_ref = len(hyp), len(ref)
    next_h, next_r = _next_errors(hyp_err), _next_errors(ref_err)
    for start_h in range(n_hyp):
        need_h = next_h[start_h] - start_h + 1  # shortest length whose stretch holds an error
        if need_h > MAX_SHIFT_SIZE:
            continue
        for start_r in positions.get(hyp[start_h], ()):
            if abs(start_r - start_h) > MAX_SHIFT_DIST:
                continue
            need = max(need_h, next_r[start_r] - start_r + 1)
            if need > MAX_SHIFT_SIZE:
                continue
            length = 0
            while hyp[start_h + length] == ref[start_r + length] and length < MAX_SHIFT_SIZE:
                length += 1
                if length >= need:
                    yield start_h, start_r, length
                if n_hyp == start_h + length or n_ref == start_r + length:
                    break


def _next_errors(errors: list[int]) -> list[int]:
    """For each position, the first position at or after it with an error (a large number if none)."""
    out, nxt = [0] * len(errors), 1 << 30
    for k in range(len(errors) - 1, -1, -1):
        if errors[k]:
            nxt = k
        out[k] = nxt
    return out


def _perform_shift(words: list[int], start: int, length: int, target: int) -> list[int]:
    if target < start:
        return words[:target] + words[start:start + length] + words[target:start] + words[start + length:]
    if target > start + length:
        return words[:start] + words[start + length:target] + words[start:start + length] + words[target:]
    return words[:start] + words[start + length:length + target] + words[start:start + length] + words[length + target:]


def _shift(hyp: list[int], ref: list[int], positions: dict[int, list[int]],
           checked: int) -> tuple[int, list[int], int]:
    """sacrebleu's ``_shift``: the best shift's gain, the shifted words, candidates checked."""
    pre_score, inverse = _distance_and_trace(hyp, ref)
    align, ref_err, hyp_err = _alignment(inverse)
    best = None
    for start_h, start_r, length in _shifted_pairs(hyp, ref, positions, hyp_err, ref_err):
        if start_h <= align[start_r] < start_h + length:
            continue
        prev_idx = -1
        for offset in range(-1, length):
            if start_r + offset == -1:
                idx = 0
            elif start_r + offset in align:
                idx = align[start_r + offset] + 1
            else:
                break
            if idx == prev_idx:
                continue
            prev_idx = idx
            shifted = _perform_shift(hyp, start_h, length, idx)
            # A candidate no better in plain distance cannot be taken: skip its beam distance.
            plain = Levenshtein.distance(shifted, ref, score_cutoff=max(pre_score - 1, 0))
            gain = pre_score - (plain if plain >= pre_score else _distance(shifted, ref, plain))
            candidate = (gain, length, -start_h, -idx, shifted)
            checked += 1
            if best is None or candidate > best:
                best = candidate
        if checked >= MAX_SHIFT_CANDIDATES:
            break
    if best is None:
        return 0, hyp, checked
    return best[0], best[4], checked
