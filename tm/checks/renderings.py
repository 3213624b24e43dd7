"""Which renderings of the source's glossary terms a translation uses: what term-mismatch and forbidden-term share.

English is matched as in :mod:`glossary.english`: whole words, case-insensitive,
each word singular or plural (``liaison offices`` is ``liaison office``), a
possessive tolerated (``Party's``), straight or curly apostrophes, words
separated by spaces, hyphens or commas (``One Belt, One Road``), a number
right after the last word allowed (``RMB270 billion``). A note in
brackets in a glossary rendering, ``head (of a Party department)``, is not
looked for, nor a leading article: ``the Constitution`` is found in "our
Constitution", ``the mainland`` in "China's mainland".

An *accepted* rendering (preferred or admitted) is matched leniently: up to two
other words may stand between its words, so ``central and local governments``
renders both 中央政府 (central government) and 地方政府 (local government).
Deprecated and forbidden renderings are matched strictly.

:func:`term_uses` is the per-segment analysis (cached in the
:class:`~tm.checks.CheckContext`): for each glossary entry found in the source,
where the target uses one of its accepted renderings and where it uses a
deprecated or forbidden one instead.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from glossary.english import singular
from glossary.model import Entry, Status

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_SEPARATOR = r"[\s\-\u2010\u2011\u2013,]+"
_GAP = _SEPARATOR + r"(?:[A-Za-z0-9'’]+" + _SEPARATOR + r"){0,2}"
_POSSESSIVE = r"(?:['’]s?)?"
_NOTE = re.compile(r"\([^()]*\)")  # "head (of a Party department)": the note is not part of the rendering
_ARTICLES = ("the", "a", "an")  # a leading article is not part of the rendering


def _word(word: str) -> str:
    base = singular(word.lower().replace("’", "'"))
    if base.endswith("y") and len(base) > 3:
        pattern = re.escape(base[:-1]) + "(?:y|ies)"
    elif len(base) >= 3:
        pattern = re.escape(base) + "(?:s|es)?"
    else:
        pattern = re.escape(base)
    return pattern.replace("'", "['’]")


@functools.lru_cache(maxsize=100_000)
def rendering_pattern(text: str, lenient: bool = False) -> re.Pattern | None:
    """A regex finding the English ``text`` in a translation (see the module docstring);
    None for a rendering without a word."""
    words = _WORD.findall(_NOTE.sub(" ", text)) or _WORD.findall(text)
    if len(words) > 1 and words[0].lower() in _ARTICLES:
        words = words[1:]  # "the Constitution" is rendered by "our Constitution", "China's Constitution"
    words = [_word(w) + _POSSESSIVE for w in words]
    if not words:
        return None
    joined = (_GAP if lenient else _SEPARATOR).join(words)
    # A rendering ending in a letter may touch a number: "RMB270 billion".
    end = r"(?![A-Za-z0-9])" if text.rstrip()[-1:].isdigit() else r"(?![A-Za-z])"
    return re.compile(r"(?<![A-Za-z0-9])" + joined + end, re.IGNORECASE)


def find_rendering(text: str, target: str, lenient: bool = False) -> list[tuple[int, int]]:
    """``(start, end)`` of every match of the rendering ``text`` in ``target``."""
    pattern = rendering_pattern(text, lenient)
    return [m.span() for m in pattern.finditer(target)] if pattern else []


@dataclass(frozen=True)
class Misuse:
    """A deprecated or forbidden rendering in the target: ``target[start:end] == text``."""

    form: str
    status: Status
    start: int
    end: int
    text: str


@dataclass
class TermUse:
    """One glossary entry found in the source, and what the target does with it.

    ``accepted`` are the target spans of its accepted renderings (none inside
    one of its own deprecated or forbidden renderings); ``misused`` its
    deprecated or forbidden renderings in the target that are not part of an
    accepted rendering of any term of the source.
    """

    entry: Entry
    occurrences: list = field(default_factory=list)
    accepted: list[tuple[int, int]] = field(default_factory=list)
    misused: list[Misuse] = field(default_factory=list)


def inside(span: tuple[int, int], spans) -> bool:
    """True if ``span`` lies within one of ``spans``."""
    return any(start <= span[0] and span[1] <= end for start, end in spans)


def term_uses(context, segment) -> list[TermUse]:
    """The :class:`TermUse` of every entry found in ``segment.source``, in source order (cached)."""
    cache = context.cache.setdefault("term-uses", {})
    key = (segment.source, segment.target)
    if key in cache:
        return cache[key]
    uses: dict[str, TermUse] = {}
    for occurrence in context.scan(segment.source):
        uses.setdefault(occurrence.entry.zh, TermUse(occurrence.entry)).occurrences.append(occurrence)
    target = segment.target
    raw_misuses: dict[str, list[Misuse]] = {}
    for zh, use in uses.items():
        misuses = [Misuse(form, status, start, end, target[start:end])
                   for form, status in use.entry.english_forms()
                   if status in (Status.DEPRECATED, Status.FORBIDDEN)
                   for start, end in find_rendering(form, target)]
        raw_misuses[zh] = misuses
        own = [(m.start, m.end) for m in misuses]
        use.accepted = sorted({span for form in use.entry.accepted
                               for span in find_rendering(form, target, lenient=True)
                               if not inside(span, own)})
    covered = [span for use in uses.values() for span in use.accepted]
    kept = [(zh, m) for zh, misuses in raw_misuses.items() for m in misuses
            if not inside((m.start, m.end), covered)]
    # A misuse inside a longer one ("propaganda department" in "Central Propaganda
    # Department") is the same mistake: keep the longest.
    seen: set[tuple[int, int]] = set()
    for zh, misuse in kept:
        span = (misuse.start, misuse.end)
        longer = [(m.start, m.end) for _, m in kept if m.end - m.start > misuse.end - misuse.start]
        if span not in seen and not inside(span, longer):
            seen.add(span)
            uses[zh].misused.append(misuse)
    result = list(uses.values())
    cache[key] = result
    return result
