"""The rich console every report prints to."""
from __future__ import annotations

from rich.console import Console


def console() -> Console:
    """rich's console; when piped, 120 columns rather than 80 so that tables stay legible."""
    out = Console(highlight=False, soft_wrap=False)
    if not out.is_terminal:
        out = Console(highlight=False, soft_wrap=False, width=120)
    return out
