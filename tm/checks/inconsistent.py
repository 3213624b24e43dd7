"""inconsistent-target and inconsistent-source: one source translated several ways, one translation
standing for several sources.

Segments are compared by keys, not by their exact text:

* the **source key** (:func:`source_key`) ignores width (full/half), script
  (Traditional is Simplified), case, white space and punctuation: 兩會召開。 and
  两会召开 are one source;
* the **target key** (:func:`target_key`) ignores case, white space (also
  around punctuation: "I.Building" is "I. Building"), curly vs straight
  quotes and punctuation at the end: "The Two Sessions opened." and "the two
  sessions opened" are one translation. Any other difference — a word, a
  comma inside, a number — makes another translation.

One finding per group, on its first segment, with the others in ``related``
and every variant — text, segments, lines, in order of frequency — in
``data["variants"]``. inconsistent-target is a **warning**; inconsistent-source
is **info** (two wordings of the same meaning in Chinese may well share one
English).

Not compared: segments with an empty side, targets that copy the source (the
untranslated check reports those), and short segments — sources of fewer than
:data:`MIN_HAN` Han characters, translations of fewer than :data:`MIN_WORDS`
words — whose translation depends on context (numbers, headings, "是的").
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from typing import Iterator, Sequence

from glossary.normalize import han_count, zh_key
from tm.bilingual import Segment
from tm.checks import Check, CheckContext, Finding, register

#: Fewest Han characters a source needs to take part.
MIN_HAN = 3
#: Fewest words a translation needs to take part in inconsistent-source.
MIN_WORDS = 3

_NOT_WORD = re.compile(r"[\W_]+")
_FINAL_PUNCTUATION = re.compile(r"[\s.!?;:,…。！？；：，\"'“”‘’)\]）】」』]+$")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
_WORDS = re.compile(r"[^\W_]+")
_SPACED_PUNCTUATION = re.compile(r"\s*([^\w\s])\s*")


def source_key(text: str) -> str:
    """A source as compared: Simplified, half-width, lower-case, no white space or punctuation."""
    return _NOT_WORD.sub("", zh_key(text)).lower()


def target_key(text: str) -> str:
    """A translation as compared: case-folded, straight quotes, no final punctuation, white space
    collapsed and dropped around punctuation ("I.Building" is "I. Building")."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = _SPACED_PUNCTUATION.sub(r"\1", _FINAL_PUNCTUATION.sub("", text))
    return " ".join(text.split()).casefold()


def _comparable(segment: Segment) -> bool:
    source, target = segment.source.strip(), segment.target.strip()
    return bool(source) and bool(target) and source != target


def _groups(segments: Sequence[Segment], group_by, variant_by, keep) -> Iterator[tuple[str, dict]]:
    """(key, {variant key: [segment numbers]}) for each key with more than one variant."""
    groups: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for number, segment in enumerate(segments, 1):
        if _comparable(segment) and keep(segment):
            groups[group_by(segment)][variant_by(segment)].append(number)
    for key, variants in groups.items():
        if len(variants) > 1:
            yield key, variants


def _finding(check: Check, segments: Sequence[Segment], variants: dict[str, list[int]], side: str,
             message: str) -> Finding:
    ordered = sorted(variants.values(), key=lambda numbers: (-len(numbers), numbers[0]))
    everyone = sorted(n for numbers in ordered for n in numbers)
    first = everyone[0]
    described = [{"text": getattr(segments[numbers[0] - 1], side), "segments": numbers,
                  "lines": [segments[n - 1].line for n in numbers]} for numbers in ordered]
    other = "target" if side == "source" else "source"
    return check.finding(first, message.format(count=len(ordered), segments=", ".join(map(str, everyone))),
                         related=everyone[1:],
                         data={other: getattr(segments[first - 1], other), "variants": described})


@register
class InconsistentTarget(Check):
    id = "inconsistent-target"
    severity = "warning"
    description = "The same source (ignoring script, width, spaces and punctuation) translated in different ways."

    def run(self, segments: Sequence[Segment], context: CheckContext) -> Iterator[Finding]:
        keep = lambda segment: han_count(segment.source) >= MIN_HAN  # noqa: E731
        for _, variants in _groups(segments, lambda s: source_key(s.source), lambda s: target_key(s.target), keep):
            yield _finding(self, segments, variants, "target",
                           "the same source is translated {count} different ways (segments {segments})")


@register
class InconsistentSource(Check):
    id = "inconsistent-source"
    severity = "info"
    description = "The same translation standing for different sources."

    def run(self, segments: Sequence[Segment], context: CheckContext) -> Iterator[Finding]:
        keep = lambda segment: len(_WORDS.findall(segment.target)) >= MIN_WORDS  # noqa: E731
        for _, variants in _groups(segments, lambda s: target_key(s.target), lambda s: source_key(s.source), keep):
            yield _finding(self, segments, variants, "source",
                           "the same translation stands for {count} different sources (segments {segments})")
