"""term-mismatch: a glossary term in the source, none of its accepted renderings in the target.

What it reports, once per term (glossary entry) and segment, with the term's
occurrences in the source as spans and the accepted renderings in ``data``:

* the source holds the term — Simplified, Traditional, full- or half-width, any
  of its Chinese forms — found as ``tm glossary scan`` finds it (leftmost-longest:
  a term inside a longer term, 办事处 in 驻京办事处, is not a term of its own; two-
  and three-character terms must be whole words, no 市长 in 城市长期);
* and the target holds none of the entry's accepted renderings (preferred or
  admitted; whole words, case-insensitive, singular or plural, up to two words
  between its words: "central and local governments" renders 中央政府).

What it deliberately does not report, because it would cry wolf:

* a count shortfall: 两会 twice in the source and "Two Sessions" once in the
  target is fine; English avoids repetition ("the sessions", "they");
* a short term whose rendering is part of a longer term's rendering in the
  target (组织部 and 中共中央组织部 in one source, only "Organization Department of
  the CPC Central Committee" in the target) — one rendering covers both;
* an empty target, or one without a Latin letter (the untranslated check says so);
* a term rendered with one of its deprecated or forbidden renderings, when the
  forbidden-term check runs too: that check reports it, naming the rendering.

Severity: warning for names — organisations, meetings, places, documents,
titles, plans, and entries without a type (your own glossary) —, where the
approved English is not a matter of style; info for concepts, policies and
slogans, which a good translation may paraphrase.
"""
from __future__ import annotations

import re
from typing import Iterable

from tm.bilingual import Segment
from tm.checks import CheckContext, Finding, SegmentCheck, Span, register
from tm.checks.renderings import term_uses

#: Term types a translation may paraphrase: their findings are only info.
PARAPHRASABLE = frozenset({"concept", "policy", "slogan"})
_LATIN = re.compile(r"[A-Za-z]")


@register
class TermMismatch(SegmentCheck):
    id = "term-mismatch"
    severity = "warning"
    description = "A glossary term in the source without any of its accepted English renderings in the target."

    def check_segment(self, number: int, segment: Segment, context: CheckContext) -> Iterable[Finding]:
        if not _LATIN.search(segment.target) or segment.target == segment.source:
            return
        for use in term_uses(context, segment):
            if use.accepted or (use.misused and "forbidden-term" in context.selected):
                continue
            entry = use.entry
            forms = list(dict.fromkeys(o.text for o in use.occurrences))
            expected = entry.accepted
            shown = " or ".join(repr(e) for e in expected)
            term = forms[0] if forms[0] == entry.zh else f"{forms[0]} ({entry.zh})"
            yield self.finding(
                number, f"{term} is not rendered as {shown}",
                severity="info" if entry.type in PARAPHRASABLE else self.severity,
                spans=[Span("source", o.start, o.end, o.text) for o in use.occurrences],
                data={"term": entry.zh, "forms": forms, "expected": expected,
                      "occurrences": len(use.occurrences),
                      "found": [m.text for m in use.misused]})
