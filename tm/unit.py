"""A translation unit: one Chinese segment and its English translation, with what we know of it.

Inline markup (TMX level 2: ``bpt``, ``ept``, ``it``, ``ph``, ``hi``) is kept out
of the text: each inline element becomes one placeholder character from the
Unicode Private Use Area (U+E000 for the first element of the segment, U+E001
for the second…), and the element itself, serialised as XML, is kept in
``source_codes`` / ``target_codes`` at that index. Matching ignores
placeholders; export puts the elements back where they were.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

PLACEHOLDER_BASE = 0xE000
PLACEHOLDER_LIMIT = 0xF8FF
_PLACEHOLDER = re.compile("[\ue000-\uf8ff]")


def placeholder(index: int) -> str:
    """The placeholder character of the ``index``-th inline element (0-based)."""
    if not 0 <= index <= PLACEHOLDER_LIMIT - PLACEHOLDER_BASE:
        raise ValueError(f"too many inline elements in one segment ({index + 1})")
    return chr(PLACEHOLDER_BASE + index)


def placeholder_index(char: str) -> int | None:
    """The element index a placeholder stands for, or None for an ordinary character."""
    code = ord(char)
    return code - PLACEHOLDER_BASE if PLACEHOLDER_BASE <= code <= PLACEHOLDER_LIMIT else None


def plain(text: str) -> str:
    """``text`` without its placeholders: what is matched and scored."""
    return _PLACEHOLDER.sub("", text)


def readable(text: str) -> str:
    """``text`` with each placeholder shown as ``{1}``, ``{2}``… (1-based) for people."""
    return _PLACEHOLDER.sub(lambda m: "{%d}" % (ord(m.group()) - PLACEHOLDER_BASE + 1), text)


@dataclass
class TranslationUnit:
    """One Chinese→English pair.

    ``source`` and ``target`` hold text with placeholders for inline elements.
    ``prev_source`` / ``next_source`` are the neighbouring source segments in
    the original document (for context matches), "" when unknown. Dates are
    TMX's ``YYYYMMDDThhmmssZ``. ``confidence`` (0–1) comes from an aligner.
    ``extra`` keeps what TMX carried that has no field of its own (``props``
    and ``notes`` of the unit and of each variant) so that export loses nothing.
    """

    source: str
    target: str
    source_lang: str = "zh-CN"
    target_lang: str = "en"
    origin: str = ""
    doc_id: str = ""
    position: int | None = None
    prev_source: str = ""
    next_source: str = ""
    created_at: str = ""
    creator: str = ""
    changed_at: str = ""
    changer: str = ""
    confidence: float | None = None
    tuid: str = ""
    source_codes: list[str] = field(default_factory=list)
    target_codes: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)
