"""untranslated: an empty target, a target that copies its Chinese source, Chinese left in the English.

* **Empty target** (the source has text): error.
* **Copy of the source**: the target equals the source (ignoring white space
  at the ends) and the source holds Chinese: error. A source without Chinese
  ("2023", "GDP", a URL) may be copied as it is: not reported.
* **Han characters in the target**: each run of Han characters (with the
  spaces and ·, 、 between them) is a span. A run that stands alone in brackets
  or quotes — ``Liangjiahe (梁家河)``, ``the "xiaokang" (小康) goal`` — is the
  deliberate gloss translators of Chinese news use: info. Any other run is an
  error. One finding per segment lists every run.

Not reported: an empty source (nothing to translate), a segment empty on both
sides. Inline-code placeholders (``{1}``) are not text: a target of codes alone is empty.
"""
from __future__ import annotations

import re
from typing import Iterable

from glossary.normalize import has_han
from tm.bilingual import Segment
from tm.checks import CheckContext, Finding, SegmentCheck, Span, register

_CODES = re.compile(r"\{\d+\}")  # inline-code placeholders of tm.bilingual
_HAN_CLASS = r"\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_HAN_RUN = re.compile(f"[{_HAN_CLASS}]+(?:[\\s·・、]+[{_HAN_CLASS}]+)*")
_PAIRS = {"(": ")", "（": "）", "[": "]", "【": "】", "“": "”", '"': '"', "‘": "’", "'": "'",
          "《": "》", "「": "」", "『": "』", "〈": "〉"}


def _glossed(target: str, start: int, end: int) -> bool:
    """True if ``target[start:end]`` stands alone between a bracket or quote pair."""
    before, after = target[:start].rstrip(), target[end:].lstrip()
    return bool(before) and before[-1] in _PAIRS and after.startswith(_PAIRS[before[-1]])


@register
class Untranslated(SegmentCheck):
    id = "untranslated"
    severity = "error"
    description = "An empty target, a target that copies the Chinese source, or Chinese left in the target."

    def check_segment(self, number: int, segment: Segment, context: CheckContext) -> Iterable[Finding]:
        source, target = segment.source.strip(), segment.target.strip()
        if not _CODES.sub("", source).strip():
            return
        if not _CODES.sub("", target).strip():  # nothing but inline codes ({1}) is empty too
            yield self.finding(number, "not translated: the target is empty", data={"reason": "empty"})
            return
        if target == source:
            if has_han(source):
                yield self.finding(number, "not translated: the target is a copy of the source",
                                   spans=[Span("target", 0, len(segment.target), segment.target)],
                                   data={"reason": "copy"})
            return
        runs = [m for m in _HAN_RUN.finditer(segment.target)]
        if not runs:
            return
        glossed = [_glossed(segment.target, m.start(), m.end()) for m in runs]
        shown = ", ".join(m.group() for m in runs)
        deliberate = all(glossed)
        message = (f"Chinese kept in brackets or quotes in the target: {shown}" if deliberate
                   else f"Chinese left in the target: {shown}")
        yield self.finding(number, message, severity="info" if deliberate else "error",
                           spans=[Span("target", m.start(), m.end(), m.group()) for m in runs],
                           data={"reason": "glossed" if deliberate else "han", "han": [m.group() for m in runs]})
