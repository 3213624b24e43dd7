"""punctuation: Chinese (full-width) punctuation in the English, unpaired brackets or quotes, doubled spaces.

* **Full-width punctuation** (，。：；！？（）【】《》「」、 and every other
  full-width form: ％, ＡＢＣ, １２３, the ideographic space): warning, one finding
  per segment with a span for each character and the half-width replacement in
  ``data``. Not reported next to a Han character: that is Chinese left in the
  target, which the untranslated check reports. Curly quotes “ ” ‘ ’ are
  English typography, not Chinese punctuation: never reported as such.
* **Unpaired brackets and double quotes** — ``( ) [ ] { }``, ``“ ”``, straight
  ``"`` (an odd one out) — warning, a span each. Not reported when the source has
  the same kind of bracket or quote unpaired too, nor for the ``1)``/``a)`` of an
  enumeration, nor for a quotation that runs over several segments: a quote
  left open in one segment and closed in a later one (within
  :data:`QUOTATION_REACH` segments, with no other lonely quote between) is a
  pair. Single quotes are not checked: ``'`` and ``’`` are apostrophes too.
* **Doubled spaces** inside the English: info, a span each.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterable, Iterator, Sequence

from glossary.normalize import is_han
from tm.bilingual import Segment
from tm.checks import Check, CheckContext, Finding, Span, register

_FULL_WIDTH = re.compile("[\u3000-\u3003\u3008-\u3011\u3014-\u301f\uff01-\uff65\ufe10-\ufe19\ufe30-\ufe4f]")
_REPLACEMENTS = {"。": ".", "、": ",", "《": '"', "》": '"', "「": '"', "」": '"', "『": '"', "』": '"',
                 "【": "[", "】": "]", "〔": "(", "〕": ")", "〈": "<", "〉": ">", "\u3000": " ", "｡": ".",
                 "｢": '"', "｣": '"', "､": ",", "･": "·"}
_DOUBLE_SPACE = re.compile(r"(?<=\S) {2,}(?=\S)")
QUOTATION_REACH = 10  # segments a quotation may run over
_ENUMERATION = re.compile(r"(?:^|\s)[A-Za-z0-9]{1,3}$")

# Bracket kinds: the target's opener/closer, and the source characters that are the same kind.
_BRACKETS = {"(": (")", "(（"), "[": ("]", "[【〔"), "{": ("}", "{｛")}
_CLOSERS = {closer: opener for opener, (closer, _) in _BRACKETS.items()}
_SOURCE_CLOSERS = {"(": ")）", "[": "]】〕", "{": "}｝"}


def replacement(char: str) -> str:
    """The half-width character to use instead of a full-width one."""
    return _REPLACEMENTS.get(char) or unicodedata.normalize("NFKC", char)


def _unpaired_brackets(text: str) -> list[tuple[int, str]]:
    """(offset, opener kind) of every bracket without its partner, in order."""
    stack: list[tuple[int, str]] = []
    lonely: list[tuple[int, str]] = []
    for i, char in enumerate(text):
        if char in _BRACKETS:
            stack.append((i, char))
        elif char in _CLOSERS:
            kind = _CLOSERS[char]
            if stack and stack[-1][1] == kind:
                stack.pop()
            elif kind == "(" and _ENUMERATION.search(text[:i]) and not any(k == "(" for _, k in stack):
                continue  # "1) …", "a) …"
            else:
                lonely.append((i, kind))
    return sorted(lonely + stack)


def _source_unpaired(source: str) -> set[str]:
    """Bracket kinds and ``"`` if the source has one of that kind without its partner."""
    kinds = set()
    for kind, (_, openers) in _BRACKETS.items():
        opened = sum(source.count(c) for c in openers)
        closed = sum(source.count(c) for c in _SOURCE_CLOSERS[kind])
        if opened != closed:
            kinds.add(kind)
    if source.count("“") != source.count("”") or source.count('"') % 2 or \
            source.count("「") != source.count("」"):
        kinds.add('"')
    return kinds


def _unpaired_quotes(text: str) -> list[int]:
    """Offsets of double quotes without a partner: curly ones by nesting, straight ones by parity."""
    lonely, stack = [], []
    for i, char in enumerate(text):
        if char == "“":
            stack.append(i)
        elif char == "”":
            if stack:
                stack.pop()
            else:
                lonely.append(i)
    lonely += stack
    straight = [i for i, char in enumerate(text) if char == '"']
    if len(straight) % 2:
        lonely.append(straight[-1])
    return sorted(lonely)


def _opens(text: str, i: int) -> bool:
    """True if the double quote at ``text[i]`` opens a quotation (“, or " before a word)."""
    if text[i] == "“":
        return True
    if text[i] == "”":
        return False
    before, after = text[:i].rstrip(), text[i + 1:i + 2]
    return (not before or not text[i - 1].isalnum() and text[i - 1] not in ".,!?;:") and not after.isspace() \
        and after != ""


@register
class Punctuation(Check):
    id = "punctuation"
    severity = "warning"
    description = "Full-width punctuation in the English, unpaired brackets or quotes, doubled spaces."

    def run(self, segments: Sequence[Segment], context: CheckContext) -> Iterator[Finding]:
        """Each segment's findings, less the quotes that pair across segments."""
        found = [list(self.check_segment(n, segment, context)) for n, segment in enumerate(segments, 1)]
        left_open = None  # (segment index, its unpaired finding, the span of the quote it left open)
        for index, findings in enumerate(found):
            unpaired = next((f for f in findings if f.data.get("kind") == "unpaired"), None)
            quotes = [s for s in unpaired.spans if s.text in '"“”'] if unpaired else []
            if not quotes:
                if left_open and index - left_open[0] >= QUOTATION_REACH:
                    left_open = None
                continue
            target = segments[index].target
            if left_open and len(quotes) == 1 and not _opens(target, quotes[0].start):
                _excuse(unpaired, quotes[0])  # closes the quotation an earlier segment opened
                _excuse(left_open[1], left_open[2])
                left_open = None
            elif len(quotes) == 1 and _opens(target, quotes[0].start):
                left_open = (index, unpaired, quotes[0])
            else:
                left_open = None
        for findings in found:
            yield from (f for f in findings if f.spans or f.data.get("kind") != "unpaired")

    def check_segment(self, number: int, segment: Segment, context: CheckContext) -> Iterable[Finding]:
        target = segment.target
        if not target.strip() or target.strip() == segment.source.strip():
            return
        full = [m for m in _FULL_WIDTH.finditer(target) if not _next_to_han(target, m.start())]
        if full:
            chars = list(dict.fromkeys(m.group() for m in full))
            yield self.finding(
                number, "full-width punctuation in the English: "
                        + ", ".join(f"{c} → {replacement(c)!r}" for c in chars),
                spans=[Span("target", m.start(), m.start() + 1, m.group()) for m in full],
                data={"kind": "full-width", "characters": chars,
                      "replacements": {c: replacement(c) for c in chars}})
        excused = _source_unpaired(segment.source)
        lonely = [(i, kind) for i, kind in _unpaired_brackets(target) if kind not in excused]
        if '"' not in excused:
            lonely += [(i, '"') for i in _unpaired_quotes(target)]
        if lonely:
            lonely.sort()
            yield self.finding(
                number, "unpaired " + ", ".join(target[i] for i, _ in lonely) + " in the English",
                spans=[Span("target", i, i + 1, target[i]) for i, _ in lonely],
                data={"kind": "unpaired", "characters": [target[i] for i, _ in lonely]})
        doubled = list(_DOUBLE_SPACE.finditer(target))
        if doubled:
            yield self.finding(
                number, f"doubled space{'s' if len(doubled) > 1 else ''} in the English", severity="info",
                spans=[Span("target", m.start(), m.end(), m.group()) for m in doubled],
                data={"kind": "spaces"})


def _excuse(finding: Finding, span: Span) -> None:
    """Take ``span`` out of an unpaired finding (left with no span, the finding is dropped)."""
    finding.spans = [s for s in finding.spans if s != span]
    finding.data["characters"] = [s.text for s in finding.spans]
    finding.message = "unpaired " + ", ".join(s.text for s in finding.spans) + " in the English"


def _next_to_han(text: str, i: int) -> bool:
    return (i > 0 and is_han(text[i - 1])) or (i + 1 < len(text) and is_han(text[i + 1]))
