"""One row of a banded dynamic-programming table, as both alignment passes and the posteriors keep it."""
from __future__ import annotations

import numpy as np


class BandRow:
    """Values for columns ``low``…``low+len-1`` of one row.

    Outside the band a value is ``outside`` (−∞ unless asked otherwise), except column 0
    when ``free_start`` (the first pass may skip any number of source sentences before
    its first link).
    """

    def __init__(self, low: int, values: np.ndarray, free_start: bool = False):
        self.low = low
        self.values = values
        self.free_start = free_start

    def at(self, columns: np.ndarray, outside: float = -np.inf) -> np.ndarray:
        """The values at ``columns`` (an array of column numbers)."""
        out = np.full(len(columns), outside)
        index = columns - self.low
        inside = (index >= 0) & (index < len(self.values))
        out[inside] = self.values[index[inside]]
        if self.free_start:
            out[columns == 0] = 0.0
        return out

    def at_column(self, column: int) -> float:
        """The value at one column."""
        return float(self.at(np.array([column]))[0])
