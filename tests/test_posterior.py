"""Posterior probabilities of beads, against sums a person can do by hand."""
import math

import numpy as np
import pytest

from aligned.posterior import Lattice


def one_by_one(one_one: float, deletion: tuple[float, float], insertion: tuple[float, float]) -> Lattice:
    """One source and one target sentence: a 1-1 bead, or a 1-0 and a 0-1 bead in either order.

    ``deletion``: the 1-0 bead's score ending at column 0 and at column 1; ``insertion``: the
    0-1 bead's score in row 0 and in row 1."""
    lattice = Lattice([(0, 1), (0, 1)])
    lattice.add(1, 1, 1, np.array([1]), np.array([one_one]))
    lattice.add(1, 1, 0, np.array([0, 1]), np.array(deletion))
    lattice.skips[0] = np.array([0.0, insertion[0]])
    lattice.skips[1] = np.array([0.0, insertion[1]])
    return lattice


def test_a_bead_is_as_probable_as_the_share_of_the_paths_through_it():
    lattice = one_by_one(0.8, (-0.2, -0.3), (-0.1, -0.4))
    paths = {"1-1": 0.8, "0-1 then 1-0": -0.1 - 0.3, "1-0 then 0-1": -0.2 - 0.4}
    total = sum(math.exp(v) for v in paths.values())
    assert lattice.posteriors([((0,), (0,))], temperature=1.0) == pytest.approx([math.exp(0.8) / total])
    assert lattice.posteriors([((), (0,)), ((0,), ())], temperature=1.0) == pytest.approx(
        [math.exp(-0.4) / total] * 2)


def test_the_beads_that_hold_a_sentence_share_a_probability_of_one():
    lattice = one_by_one(0.1, (0.0, 0.05), (-0.02, 0.03))
    for temperature in (0.06, 0.5, 2.0):
        one = lattice.posteriors([((0,), (0,))], temperature)[0]
        deleted_last = lattice.posteriors([((), (0,)), ((0,), ())], temperature)[1]
        deleted_first = lattice.posteriors([((0,), ()), ((), (0,))], temperature)[0]
        assert one + deleted_last + deleted_first == pytest.approx(1.0)


def test_a_low_temperature_makes_the_best_path_sure_and_a_high_one_spreads_the_probability():
    lattice = one_by_one(0.8, (-0.2, -0.3), (-0.1, -0.4))
    best = [((0,), (0,))]
    assert lattice.posteriors(best, temperature=0.01)[0] > 0.999
    assert 0.3 < lattice.posteriors(best, temperature=100.0)[0] < 0.4  # three paths, nearly equal


def every_path(lattice: Lattice, n: int, m: int):
    """Each complete path (its beads as (x, y) counts) with its total score, by exhaustive search."""
    def moves(i, j):
        low, high = lattice.band[i]
        if low <= j and j + 1 <= high:
            yield (0, 1), lattice.skips[i][j + 1 - low]
        for later in range(i + 1, n + 1):
            for x, y, ends, scores in lattice.beads[later]:
                if later - x == i and j + y in ends:
                    yield (x, y), scores[list(ends).index(j + y)]

    def walk(i, j, beads, total):
        if (i, j) == (n, m):
            yield beads, total
        for (x, y), score in moves(i, j):
            yield from walk(i + x, j + y, beads + [(x, y)], total + score)

    yield from walk(0, 0, [], 0.0)


@pytest.mark.parametrize("seed", range(20))
def test_posteriors_equal_the_shares_of_every_path_counted_one_by_one(seed):
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(1, 4)), int(rng.integers(1, 5))
    centre = [round(i * m / n) for i in range(n + 1)]
    band = [(max(0, c - 2), min(m, c + 1)) for c in centre]  # shifts with the row, not from column 0
    band[0], band[n] = (0, band[0][1]), (band[n][0], m)
    lattice = Lattice(band)
    for i, (low, high) in enumerate(band):
        lattice.skips[i] = rng.normal(0, 1, high - low + 1)
        for x, y in [(1, 0), (1, 1), (1, 2), (2, 1), (2, 2), (3, 1)]:
            ends = np.arange(max(low, y), high + 1)
            if x <= i and len(ends):
                lattice.add(i, x, y, ends, rng.normal(0, 1, len(ends)))
    temperature = 0.7
    paths = list(every_path(lattice, n, m))
    assert paths  # the band leaves at least one way through
    total = sum(math.exp(score / temperature) for _, score in paths)

    def through(i, j, x, y):  # the weight of the paths with an x-y bead starting at (i, j)
        weight = 0.0
        for beads, score in paths:
            a, b = 0, 0
            for bead in beads:
                if (a, b) == (i, j) and bead == (x, y):
                    weight += math.exp(score / temperature)
                    break
                a, b = a + bead[0], b + bead[1]
        return weight

    for beads, _ in paths[:10]:
        path, i, j = [], 0, 0
        for x, y in beads:
            path.append((tuple(range(i, i + x)), tuple(range(j, j + y))))
            i, j = i + x, j + y
        expected, i, j = [], 0, 0
        for x, y in beads:
            expected.append(through(i, j, x, y) / total)
            i, j = i + x, j + y
        assert lattice.posteriors(path, temperature) == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_a_bead_outside_the_lattice_is_refused():
    lattice = Lattice([(0, 1), (0, 2)])
    with pytest.raises(ValueError):
        lattice.add(1, 2, 1, np.array([1]), np.array([0.0]))  # two source sentences before row 1
    with pytest.raises(ValueError):
        lattice.add(1, 1, 1, np.array([3]), np.array([0.0]))  # beyond the band
