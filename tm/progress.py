"""Progress for long jobs: a live counter on a terminal, nothing when output is piped."""
from __future__ import annotations

import contextlib
import sys
from typing import Callable, Iterator

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn


@contextlib.contextmanager
def progress_counter(description: str, unit: str = "units") -> Iterator[Callable[[int], None] | None]:
    """Yield a callback taking the count done so far, or None when stderr is not a terminal."""
    console = Console(stderr=True)
    if not console.is_terminal or not sys.stderr.isatty():
        yield None
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"),
               TextColumn("{task.completed:,} " + unit), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(description, total=None)
        yield lambda done: progress.update(task, completed=done)
