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
