"""How sure the aligner is of each bead: posterior probabilities over every path in the band.

The best path (dynamic programming with ``max``) says which beads win, not by how much. The
forward–backward algorithm sums over every path through the same band instead, each path
weighted by ``exp(score / temperature)``; a bead's posterior probability is the share of that
total carried by the paths that contain it. A bead with no rival scores near 1; where another
split of the same sentences scores almost as well, both get about a half.

Scores come from the best-path pass (:meth:`aligned.align._Problem.beads` keeps them), so
nothing is computed twice. The extra score for a run of unaligned sentences is left out: it
depends on the path, not on the bead alone.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .band import BandRow

#: Divides the bead scores: the lower, the surer. Chosen on ../shared/data/align-dev so that
#: the probabilities are calibrated (least log-loss of "the bead is in the gold" over the beads
#: of the best paths: 0.116 at 0.06, against 0.121 at 0.04 and 0.136 at 0.08).
TEMPERATURE = 0.06


class Lattice:
    """The scores of every bead the best-path pass considered.

    ``band[i]`` is the (low, high) range of target end positions of source row ``i``;
    ``beads[i]`` lists ``(x, y, ends, scores)``: the beads of ``x`` source and ``y`` target
    sentences (``x ≥ 1``) ending at row ``i`` and each target position in ``ends``;
    ``skips[i]`` the score of a 0-1 bead ending at each column of the band of row ``i``.
    """

    def __init__(self, band: Sequence[tuple[int, int]]):
        self.band = list(band)
        self.beads: list[list[tuple[int, int, np.ndarray, np.ndarray]]] = [[] for _ in self.band]
        #: no 0-1 bead until a row's scores are set
        self.skips: list[np.ndarray] = [np.full(high - low + 1, -np.inf) for low, high in self.band]
        self.depth = 0  # the most source sentences in a bead

    def add(self, i: int, x: int, y: int, ends: np.ndarray, scores: np.ndarray) -> None:
        """Record the scores of the ``x``-``y`` beads (1 ≤ ``x`` ≤ ``i``) ending at row ``i`` and
        each of ``ends`` (ascending, inside the band of row ``i``, none before column ``y``)."""
        low, high = self.band[i]
        if not 1 <= x <= i or len(ends) != len(scores) or (
                len(ends) and (ends[0] < max(low, y) or ends[-1] > high)):
            raise ValueError(f"a {x}-{y} bead ending at row {i} outside the lattice")
        self.beads[i].append((x, y, np.asarray(ends), np.asarray(scores, dtype=np.float64)))
        self.depth = max(self.depth, x)

    def posteriors(self, path: Sequence[tuple[Sequence[int], Sequence[int]]],
                   temperature: float = TEMPERATURE) -> list[float]:
        """The posterior probability (0–1) of each bead of ``path`` (source ids, target ids,
        consecutive and in order, together covering both sides, as the best-path pass returns)."""
        forward, total = self._forward(temperature)
        backward = self._backward(temperature)
        out, i, j = [], 0, 0
        for src, tgt in path:
            x, y = len(src), len(tgt)
            score = self._score(i + x, j + y, x, y)
            log_p = forward[i].at_column(j) + score / temperature + backward[i + x].at_column(j + y) - total
            out.append(float(min(1.0, np.exp(log_p))) if np.isfinite(log_p) else 0.0)
            i, j = i + x, j + y
        return out

    # ------------------------------------------------------------ the two passes

    def _forward(self, temperature: float) -> tuple[list[BandRow], float]:
        """``forward[i]``: for each column of row ``i``, the log of the summed weights of every
        path from (0, 0) to there; and the log of the total of all complete paths."""
        forward: list[BandRow] = []
        for i, (low, high) in enumerate(self.band):
            columns = np.arange(low, high + 1)
            terms = [np.full(len(columns), -np.inf)]
            if i == 0:
                terms[0][columns == 0] = 0.0
            for x, y, ends, scores in self.beads[i]:
                term = np.full(len(columns), -np.inf)
                term[ends - low] = forward[i - x].at(ends - y) + scores / temperature
                terms.append(term)
            row = _logsumexp(np.vstack(terms))
            steps = self.skips[i] / temperature
            for k in range(1, len(columns)):  # 0-1 beads chain along the row
                row[k] = np.logaddexp(row[k], row[k - 1] + steps[k])
            forward.append(BandRow(low, row))
        last = len(self.band) - 1
        return forward, forward[last].at_column(self.band[last][1])

    def _backward(self, temperature: float) -> list[BandRow]:
        """``backward[i]``: for each column of row ``i``, the log of the summed weights of every
        path from there to the end."""
        n = len(self.band) - 1
        backward: list[BandRow] = [BandRow(0, np.zeros(0))] * (n + 1)  # filled from the end
        for i in range(n, -1, -1):
            low, high = self.band[i]
            columns = np.arange(low, high + 1)
            terms = [np.full(len(columns), -np.inf)]
            if i == n:
                terms[0][columns == high] = 0.0
            for x in range(1, min(self.depth, n - i) + 1):
                later = backward[i + x]
                for _, y, ends, scores in (b for b in self.beads[i + x] if b[0] == x):
                    starts = ends - y
                    inside = (starts >= low) & (starts <= high)
                    term = np.full(len(columns), -np.inf)
                    term[starts[inside] - low] = (scores[inside] / temperature
                                                  + later.at(ends[inside]))
                    terms.append(term)
            row = _logsumexp(np.vstack(terms))
            steps = self.skips[i] / temperature
            for k in range(len(columns) - 2, -1, -1):
                row[k] = np.logaddexp(row[k], steps[k + 1] + row[k + 1])
            backward[i] = BandRow(low, row)
        return backward

    def _score(self, i: int, j: int, x: int, y: int) -> float:
        """The score of the bead of ``x`` source and ``y`` target sentences ending at (i, j)."""
        low, high = self.band[i]
        if x == 0 and low <= j <= high:
            return float(self.skips[i][j - low])
        for bx, by, ends, scores in self.beads[i]:
            found = np.flatnonzero(ends == j)
            if (bx, by) == (x, y) and len(found):
                return float(scores[found[0]])
        raise ValueError(f"no {x}-{y} bead ends at ({i}, {j})")


def _logsumexp(terms: np.ndarray) -> np.ndarray:
    """log(sum(exp(terms), axis=0)), −∞ where every term is −∞."""
    top = terms.max(axis=0)
    safe = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore"):
        return np.log(np.exp(terms - safe).sum(axis=0)) + safe
