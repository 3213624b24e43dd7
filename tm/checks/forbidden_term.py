"""forbidden-term: a deprecated or forbidden English rendering in the target.

Two cases, because a rendering is deprecated or forbidden *for a concept*:

* **The term is in the source** (陕西省 in the source, "Shanxi Province" in the
  target): a forbidden rendering is an **error**, a deprecated one a
  **warning**; the finding marks the rendering in the target and the term in
  the source and names the preferred rendering. Only **info** when the target
  also renders the term as approved, as often as the source has it (国务院总理
  and 英国首相: "the Premier", "the British Prime Minister"). Not reported when
  the words are part of an accepted rendering of a term of the same source
  ("Shanxi Province" when 山西省 is in the source too; "office" inside
  "liaison office in Beijing").
* **The term is not in the source**: only *forbidden* renderings are reported,
  as **info** (the wording is wrong whatever the source, e.g. "capitol" for
  capital, but the translator may be quoting or naming something else), and
  never when some glossary entry accepts that wording ("Shanxi Province" is
  forbidden for 陕西省 and right for 山西省). Deprecated renderings of a term the
  source does not have are never reported: "Prime Minister" of another
  country is not 国务院总理.
"""
from __future__ import annotations

from typing import Iterable

from glossary.english import word_keys
from glossary.model import Status
from tm.bilingual import Segment
from tm.checks import CheckContext, Finding, SegmentCheck, Span, register
from tm.checks.renderings import inside, find_rendering, term_uses


@register
class ForbiddenTerm(SegmentCheck):
    id = "forbidden-term"
    severity = "error"
    description = "A deprecated (warning) or forbidden (error) rendering of a glossary term in the target."

    def check_segment(self, number: int, segment: Segment, context: CheckContext) -> Iterable[Finding]:
        target = segment.target
        if not target.strip():
            return
        uses = term_uses(context, segment)
        for use in uses:
            entry = use.entry
            # The term rendered as approved as often as it occurs: the other wording
            # translates something else (国务院总理 and 英国首相 → "Premier", "British Prime Minister").
            elsewhere = len(use.accepted) >= len(use.occurrences)
            for misuse in use.misused:
                forbidden = misuse.status is Status.FORBIDDEN
                message = f"{misuse.text!r} is a {misuse.status} rendering of {entry.zh}: use {entry.en!r}"
                if elsewhere:
                    message += " (the term is rendered as approved too: check this renders something else)"
                yield self.finding(
                    number, message,
                    severity="info" if elsewhere else "error" if forbidden else "warning",
                    spans=[Span("target", misuse.start, misuse.end, misuse.text),
                           *(Span("source", o.start, o.end, o.text) for o in use.occurrences)],
                    data={"term": entry.zh, "rendering": misuse.form, "status": str(misuse.status),
                          "expected": entry.accepted, "in_source": True})
        present = {use.entry.zh for use in uses}
        covered = [span for use in uses for span in use.accepted]
        words = {key.rstrip("'") for key in word_keys(target)}
        for entry, form, first in _forbidden_index(context):
            if first not in words or entry.zh in present:
                continue
            for start, end in find_rendering(form, target):
                if inside((start, end), covered):
                    continue
                text = target[start:end]
                yield self.finding(
                    number,
                    f"{text!r} is a forbidden rendering of {entry.zh} ({entry.en}), which is not in the "
                    "source: check it is meant",
                    severity="info",
                    spans=[Span("target", start, end, text)],
                    data={"term": entry.zh, "rendering": form, "status": str(Status.FORBIDDEN),
                          "expected": entry.accepted, "in_source": False})


def _forbidden_index(context: CheckContext) -> list[tuple]:
    """(entry, forbidden rendering, its first word key) for every forbidden rendering no entry accepts."""
    if "forbidden-index" not in context.cache:
        glossary = context.glossary
        accepted = {word_keys(form) for entry in glossary for form in entry.accepted}
        index = []
        for entry in glossary:
            for form in entry.en_forbidden:
                keys = word_keys(form)
                if keys and keys not in accepted:
                    index.append((entry, form, keys[0].rstrip("'")))
        context.cache["forbidden-index"] = index
    return context.cache["forbidden-index"]
