"""The one error a user sees for a bad glossary or TM file."""
from __future__ import annotations

import os


class FormatError(ValueError):
    """A file that cannot be read: names the file and, where known, the line.

    ``str(error)`` is the one line the command line prints, e.g.
    ``terms.tsv:12: no tab between the Chinese term and its English rendering``.
    """

    def __init__(self, path: str | os.PathLike | None, line: int | None, message: str):
        self.path = os.fspath(path) if path is not None else "<input>"
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"
