"""Terminology metrics: did a translation use the required English for each Chinese term?

Terms come per segment, as :class:`Term` lists: from the glossary
(:func:`glossary_term_lists`: every entry ``Glossary.scan`` finds, its
accepted renderings expected) or from a file (:func:`read_term_lists`: one
JSON value per line, ``{"源术语": ["rendering", …]}`` as in the WMT 2025
terminology task or ``[{"zh": …, "en": …}, …]`` as in WMT 2023).

Two metrics, each a small class with one interface, like sacrebleu's:
``segments(sources, hypotheses, term_lists, references=None)`` gives one list
of :class:`TermResult` per segment; ``score(per_segment)`` turns them into a
:class:`TermScore` (a fraction, 0–1, never percent); ``corpus_score`` does
both; ``get_signature(references)`` is the string that makes a score reproducible.

* :class:`TermSuccessRate`: per segment and term, ``min(found / expected, 1)``,
  averaged over the segment–term pairs scored.
* :class:`ExactMatchAccuracy`: matched source occurrences / source occurrences.

Both score a term only where its source form occurs in the source and, when a
reference is given, where some accepted rendering occurs in the reference (a
term list extracted from a reference translation is not always what the
reference says, so a term the reference itself lacks is not held against a
hypothesis).
"""
from __future__ import annotations

import functools
import json
import os
import re
import sys
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import ClassVar, Iterable, Sequence

from glossary.english import singular
from glossary.errors import FormatError
from glossary.matcher import match_keys
from glossary.normalize import match_key

Span = tuple[int, int]

METHODS = ("default", "wmt25")


def _version() -> str:
    try:
        return version("zhen-tm")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "unknown"


# ---------------------------------------------------------------- term lists

@dataclass(frozen=True)
class Term:
    """One source term and the English renderings that count as correct for it.

    ``zh`` is the term as given (the headword, for a glossary entry); ``forms``
    are further Chinese forms of it (Traditional, variants); ``en`` the accepted
    renderings, as given (the ``wmt25`` method sees them unstripped, as the
    official scorer does).
    """

    zh: str
    en: tuple[str, ...]
    forms: tuple[str, ...] = ()

    def chinese(self) -> tuple[str, ...]:
        """Every Chinese form: ``zh`` first, then ``forms``."""
        return (self.zh, *self.forms)


def parse_term_line(value) -> list[Term]:
    """The terms of one line, from its parsed JSON value.

    ``{"zh": ["en", …]}`` (a single string stands for a list of one) or
    ``[{"zh": …, "en": …}, …]``, whose entries with the same ``zh`` are merged
    into one term (renderings in order, duplicates dropped); ``{}``, ``[]`` and
    ``null`` mean none. Raises :class:`ValueError` with a message for anything else.
    """
    if value is None:
        return []
    if isinstance(value, dict):
        terms = []
        for zh, en in value.items():
            renderings = [en] if isinstance(en, str) else en
            if not isinstance(renderings, list) or not all(isinstance(r, str) for r in renderings):
                raise ValueError(f"the renderings of {zh!r} must be a string or a list of strings")
            terms.append(Term(zh, tuple(renderings)))
        return terms
    if isinstance(value, list):
        merged: dict[str, list[str]] = {}
        for item in value:
            if not (isinstance(item, dict) and isinstance(item.get("zh"), str) and isinstance(item.get("en"), str)):
                raise ValueError('each item of a list must be an object with string "zh" and "en"')
            renderings = merged.setdefault(item["zh"], [])
            if item["en"] not in renderings:
                renderings.append(item["en"])
        return [Term(zh, tuple(en)) for zh, en in merged.items()]
    raise ValueError('expected {"源术语": ["rendering", …]} or [{"zh": …, "en": …}, …]')


def read_term_lists(path: str | os.PathLike, encoding: str = "utf-8") -> list[list[Term]]:
    """One list of :class:`Term` per line of a JSON-lines file (blank line: no terms);
    ``-`` reads standard input. Errors are :class:`FormatError` naming the file and line.
    """
    from glossary.textfile import read_text

    lines = read_text(os.fspath(path), encoding).split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    out = []
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\r")
        if not line.strip():
            out.append([])
            continue
        try:
            out.append(parse_term_line(json.loads(line)))
        except json.JSONDecodeError as error:
            raise FormatError(path, number, f"not JSON ({error.msg} at column {error.colno})") from None
        except ValueError as error:
            raise FormatError(path, number, str(error)) from None
    return out


def glossary_term_lists(glossary, sources: Sequence[str], min_length: int = 2,
                        words: bool = True) -> list[list[Term]]:
    """Per source, the glossary entries ``glossary.scan(source, min_length, words)`` finds in it
    (each once, in order of first occurrence), expecting the entry's accepted renderings
    (preferred, then admitted).

    The sources are scanned as one text; with ``words``, only the sources where a
    term of two or three characters was found are scanned again with jieba (the
    longer terms need no word boundaries), which is what makes 100,000 segments quick.
    """
    found = _scan_by_source(glossary, sources, min_length, False)
    if words:
        short = [k for k, occurrences in enumerate(found) if any(o.end - o.start < 4 for o in occurrences)]
        for k, occurrences in zip(short, _scan_by_source(glossary, [sources[k] for k in short], min_length, True)):
            found[k] = occurrences
    cache: dict[str, Term] = {}
    out = []
    for occurrences in found:
        terms: dict[str, Term] = {}
        for occurrence in occurrences:
            entry = occurrence.entry
            if entry.zh not in terms:
                if entry.zh not in cache:
                    forms = tuple(form for form, _ in entry.chinese_forms() if form != entry.zh)
                    cache[entry.zh] = Term(entry.zh, tuple(entry.accepted), forms)
                terms[entry.zh] = cache[entry.zh]
        out.append(list(terms.values()))
    return out


def _scan_by_source(glossary, sources: Sequence[str], min_length: int, words: bool) -> list[list]:
    """``glossary.scan`` of each source, done as one scan of the sources joined by newlines."""
    starts, at = [], 0
    for source in sources:
        starts.append(at)
        at += len(source) + 1
    text = "\n".join(source.replace("\n", " ") for source in sources)
    found: list[list] = [[] for _ in sources]
    index = 0
    for occurrence in glossary.scan(text, min_length, words=words):
        while index + 1 < len(starts) and starts[index + 1] <= occurrence.start:
            index += 1
        found[index].append(occurrence)
    return found


# ---------------------------------------------------------------- English patterns

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_BEFORE = r"(?<![^\W_])"
_AFTER = r"(?![^\W_])"


def _separator(text: str, tolerant: bool) -> str:
    """A regex for what stands between two words of a rendering."""
    marks = "".join(text.split())
    if not marks or (tolerant and set(marks) <= {"-"}):
        return r"[\s\-]+" if tolerant else r"\s+"
    return r"\s*" + r"\s*".join("['’]" if c in "'’" else re.escape(c) for c in marks) + r"\s*"


def _word(word: str, tolerant: bool) -> str:
    if "'" in word or "’" in word:
        return "['’]".join(re.escape(part) for part in re.split(r"['’]", word))
    if not tolerant or not word.isalpha():
        return re.escape(word)
    base = singular(word.lower())
    if base.endswith("y") and len(base) > 3:
        return re.escape(base[:-1]) + "(?:y|ies)"
    if len(base) >= 3:
        return re.escape(base) + "(?:s|es)?"
    return re.escape(base)


@functools.lru_cache(maxsize=65536)
def rendering_pattern(rendering: str, tolerant: bool = True) -> re.Pattern | None:
    """A case-insensitive regex finding ``rendering`` in English as whole words, or None
    for a rendering with nothing to find.

    ``tolerant`` (the default method): each word in its singular or plural form
    ("liaison offices" satisfies "liaison office", "policies" "policy") and
    hyphens or any whitespace between words. Otherwise only case and the amount
    of whitespace may differ. Either way ' and ’ are the same, punctuation
    inside the rendering ("U.S. Congress") must be there, and punctuation at its
    ends ("Co.,") is not required.
    """
    tokens = list(_TOKEN.finditer(rendering))
    if not tokens:
        text = rendering.strip()
        return re.compile(re.escape(text), re.IGNORECASE) if text else None
    parts = [_word(tokens[0].group(), tolerant)]
    for before, token in zip(tokens, tokens[1:]):
        parts.append(_separator(rendering[before.end():token.start()], tolerant))
        parts.append(_word(token.group(), tolerant))
    return re.compile(_BEFORE + "".join(parts) + _AFTER, re.IGNORECASE)


# ---------------------------------------------------------------- results

@dataclass
class TermResult:
    """One term of one segment as a metric saw it.

    ``expected``: occurrences of the term in the source (the metric's denominator);
    ``found``: occurrences credited in the hypothesis (for exact-match accuracy, at
    most ``expected``); ``in_reference``: whether some accepted rendering occurs in
    the reference (None without a reference). Spans are character offsets into the
    source and the hypothesis as given.
    """

    term: Term
    expected: int
    found: int
    in_reference: bool | None = None
    source_spans: list[Span] = field(default_factory=list)
    target_spans: list[Span] = field(default_factory=list)

    @property
    def scored(self) -> bool:
        """Counted by the metric: in the source and, given a reference, in it too."""
        return self.expected > 0 and self.in_reference is not False

    @property
    def value(self) -> float | None:
        """``min(found / expected, 1)`` for a scored term, else None."""
        return min(1.0 * self.found / self.expected, 1.0) if self.scored else None


@dataclass(frozen=True)
class TermScore:
    """A terminology score: ``score`` = ``numerator / denominator``, a fraction 0–1
    (None when nothing was scored), with the ``signature`` of the metric that made it."""

    name: str
    score: float | None
    numerator: float
    denominator: int
    unit: str
    signature: str

    def __str__(self) -> str:
        value = "n/a" if self.score is None else f"{self.score:.4f}"
        return f"{self.name} = {value} ({self.numerator:g}/{self.denominator} {self.unit})"

    def to_dict(self) -> dict:
        return {"score": self.score, "numerator": self.numerator, "denominator": self.denominator,
                "unit": self.unit, "signature": self.signature}


# ---------------------------------------------------------------- matching

@functools.lru_cache(maxsize=65536)
def _form_key(form: str) -> str:
    return match_key(form.strip())


@functools.lru_cache(maxsize=65536)
def _term_keys(term: Term) -> tuple[str, ...]:
    return tuple(dict.fromkeys(key for key in map(_form_key, term.chinese()) if key))


def _leftmost_longest(candidates: list[tuple[int, int, int]], count: int) -> list[list[Span]]:
    """Spans per item from ``(start, -length, item)`` candidates: leftmost-longest without
    overlap; a span chosen is credited to every item that has exactly that span."""
    candidates.sort()
    spans: list[list[Span]] = [[] for _ in range(count)]
    reach, chosen = 0, None
    for start, negative, item in candidates:
        span = (start, start - negative)
        if start >= reach:
            chosen, reach = span, span[1]
            spans[item].append(span)
        elif span == chosen and (not spans[item] or spans[item][-1] != span):
            spans[item].append(span)
    return spans


def _outermost(candidates: list[tuple[int, int, int]], count: int) -> list[list[Span]]:
    """Spans per item from ``(start, -length, item)`` candidates: a span inside a longer
    candidate is dropped (a nested rendering does not count again), spans that merely
    overlap are kept, and each item keeps its leftmost spans that do not overlap each other."""
    spans = [(start, start - negative, item) for start, negative, item in candidates]
    kept = [(start, end, item) for start, end, item in spans
            if not any(s <= start and end <= e and e - s > end - start for s, e, _ in spans)]
    out: list[list[Span]] = [[] for _ in range(count)]
    for start, end, item in sorted(kept):
        if not out[item] or out[item][-1][1] <= start:
            out[item].append((start, end))
    return out


def source_occurrences(source_key: str, terms: Sequence[Term]) -> list[list[Span]]:
    """Per term, where it occurs in a source given as :func:`glossary.normalize.match_key`
    (Simplified, width-folded, lower-cased, offsets unchanged): leftmost-longest over
    every form of every term, so a term inside a longer term found there is not counted."""
    candidates = []
    for index, term in enumerate(terms):
        for key in _term_keys(term):
            at = source_key.find(key)
            while at >= 0:
                candidates.append((at, -len(key), index))
                at = source_key.find(key, at + 1)
    return _leftmost_longest(candidates, len(terms))


@functools.lru_cache(maxsize=65536)
def _patterns(term: Term, tolerant: bool) -> tuple[re.Pattern, ...]:
    return tuple(p for p in (rendering_pattern(r, tolerant) for r in dict.fromkeys(term.en)) if p is not None)


def _in_text(patterns: Sequence[re.Pattern], text: str) -> bool:
    return any(p.search(text) for p in patterns)


def _source_keys(sources: Sequence[str]) -> list[str]:
    return match_keys(list(sources))


# ---------------------------------------------------------------- metrics

class TermMetric:
    """The interface of a terminology metric."""

    name: ClassVar[str] = ""
    unit: ClassVar[str] = ""

    def get_signature(self, references: bool) -> str:
        """The string that makes a score of this metric reproducible."""
        raise NotImplementedError

    def segments(self, sources: Sequence[str], hypotheses: Sequence[str],
                 term_lists: Sequence[Sequence[Term]],
                 references: Sequence[str | None] | None = None) -> list[list[TermResult]]:
        """One list of :class:`TermResult` per segment (the terms found in its source).

        ``references[i]`` None means segment ``i`` has no reference: its terms are
        scored as without one.
        """
        _check_lengths(sources, hypotheses, term_lists, references)
        keys = _source_keys(sources)
        refs = references if references is not None else [None] * len(sources)
        return [self.segment(source, hypothesis, terms, reference, key)
                for source, hypothesis, terms, reference, key in zip(sources, hypotheses, term_lists, refs, keys)]

    def segment(self, source: str, hypothesis: str, terms: Sequence[Term], reference: str | None = None,
                source_key: str | None = None) -> list[TermResult]:
        raise NotImplementedError

    def totals(self, results: Iterable[TermResult]) -> tuple[float, int]:
        """(numerator, denominator) of a list of results."""
        raise NotImplementedError

    def score(self, per_segment: Iterable[Iterable[TermResult]], references: bool) -> TermScore:
        """The corpus score of :meth:`segments`' output."""
        numerator, denominator = self.totals(r for results in per_segment for r in results)
        value = numerator / denominator if denominator else None
        return TermScore(self.name, value, numerator, denominator, self.unit, self.get_signature(references))

    def corpus_score(self, sources, hypotheses, term_lists, references=None) -> TermScore:
        return self.score(self.segments(sources, hypotheses, term_lists, references), references is not None)

    def sentence_score(self, source, hypothesis, terms, reference=None) -> TermScore:
        return self.score([self.segment(source, hypothesis, terms, reference)], reference is not None)


def _check_lengths(sources, hypotheses, term_lists, references) -> None:
    lengths = {len(sources), len(hypotheses), len(term_lists)}
    if references is not None:
        lengths.add(len(references))
    if len(lengths) != 1:
        raise ValueError("sources, hypotheses, term lists and references must have one item per segment")


class TermSuccessRate(TermMetric):
    """Term success rate, a fraction 0–1.

    For each segment and each term whose source form occurs in the source (and,
    given a reference, some accepted rendering occurs in the reference):
    ``min(occurrences of accepted renderings in the hypothesis / occurrences of
    the source term in the source, 1)``, averaged over those segment–term pairs.

    ``method="wmt25"`` is the official scorer of the WMT 2025 terminology task
    (``get_term_success_rate`` and its loop in ``ranking/metric_track2/evaluate_track2.py``
    of github.com/wmt-conference/wmt25-terminology), exactly: source, hypothesis
    and reference stripped and lower-cased; ``str.count`` of the stripped source
    term in the source, of each stripped rendering in the hypothesis, summed over
    the renderings; a term is scored if it is non-empty, a substring of the
    source and (given a reference) some unstripped rendering is a substring of
    the reference; pairs summed in order. So nested terms count as they fall
    (政府 inside 市政府 counts for both), "office" is found inside "offices"
    and "officer", and two renderings that overlap are both counted. A
    glossary term with several Chinese forms counts each form.

    ``method="default"`` improves on it: the source is matched leftmost-longest
    over all the segment's terms (:func:`source_occurrences`), in
    Simplified/width-folded/lower-cased form, so 政府 inside 市政府 is not a
    second term and 駐京辦 is 驻京办; the hypothesis is matched as whole words,
    case-insensitive, singular or plural (:func:`rendering_pattern`); a
    rendering inside a longer rendering of another scored term does not count
    ("State Council" inside "State Council Information Office"), renderings that
    merely overlap ("Young Master Zhou" and "Zhou Que") both do, and the
    occurrences counted for one term do not overlap. Empty renderings are ignored.
    """

    name = "term_success_rate"
    unit = "segment-term pairs"

    def __init__(self, method: str = "default"):
        if method not in METHODS:
            raise ValueError(f"unknown method {method!r}; known: {', '.join(METHODS)}")
        self.method = method

    def get_signature(self, references: bool) -> str:
        how = ("src:substr-lc|hyp:substr-lc" if self.method == "wmt25"
               else "src:longest-zhnorm|hyp:words-plural-longest")
        return (f"tsr|method:{self.method}|{how}|ref:{'filter' if references else 'none'}"
                f"|version:{_version()}")

    def totals(self, results: Iterable[TermResult]) -> tuple[float, int]:
        total, count = 0.0, 0
        for result in results:
            if result.scored:
                total += result.value  # in order, as the official scorer adds them
                count += 1
        return total, count

    def segment(self, source, hypothesis, terms, reference=None, source_key=None) -> list[TermResult]:
        if self.method == "wmt25":
            return _wmt25_segment(source, hypothesis, terms, reference)
        return _default_segment(source, hypothesis, terms, reference, source_key)


def _wmt25_segment(source: str, hypothesis: str, terms: Sequence[Term],
                   reference: str | None) -> list[TermResult]:
    src, hyp = source.strip().lower(), hypothesis.strip().lower()
    ref = reference.strip().lower() if reference is not None else None
    # Offsets for display only: into the text as given, where lower-casing keeps lengths.
    src_shown = source.lower() if len(source.lower()) == len(source) else None
    hyp_shown = hypothesis.lower() if len(hypothesis.lower()) == len(hypothesis) else None
    out = []
    for term in terms:
        forms = [form.strip().lower() for form in term.chinese()]
        forms = [form for form in forms if form]
        if not forms or not any(form in src for form in forms):
            continue
        in_reference = None if ref is None else any(r.lower() in ref for r in term.en)
        renderings = [r.strip().lower() for r in term.en]
        expected = sum(src.count(form) for form in forms)
        found = sum(hyp.count(r) for r in renderings)
        out.append(TermResult(term, expected, found, in_reference,
                              _find_all(src_shown, forms), _find_all(hyp_shown, renderings)))
    return out


def _find_all(text: str | None, needles: list[str]) -> list[Span]:
    spans = []
    if text is None:
        return spans
    for needle in needles:
        at = text.find(needle) if needle else -1
        while at >= 0:
            spans.append((at, at + len(needle)))
            at = text.find(needle, at + len(needle))
    return sorted(spans)


def _occurring(source: str, terms: Sequence[Term], reference: str | None, source_key: str | None,
               tolerant: bool) -> tuple[list[TermResult], list[list]]:
    """The terms whose source occurs in ``source`` (leftmost-longest), each as a
    :class:`TermResult` with nothing found yet, and the English patterns of each."""
    key = source_key if source_key is not None else match_key(source)
    results, patterns = [], []
    for term, spans in zip(terms, source_occurrences(key, terms)):
        term_patterns = _patterns(term, tolerant=tolerant)
        if not spans or not term_patterns:
            continue
        in_reference = None if reference is None else _in_text(term_patterns, reference)
        results.append(TermResult(term, len(spans), 0, in_reference, spans))
        patterns.append(term_patterns)
    return results, patterns


def _default_segment(source: str, hypothesis: str, terms: Sequence[Term], reference: str | None,
                     source_key: str | None) -> list[TermResult]:
    if not terms:
        return []
    results, patterns = _occurring(source, terms, reference, source_key, tolerant=True)
    candidates = []
    for index, (result, term_patterns) in enumerate(zip(results, patterns)):
        if result.scored:
            for pattern in term_patterns:
                candidates.extend((m.start(), m.start() - m.end(), index) for m in pattern.finditer(hypothesis))
    for result, spans in zip(results, _outermost(candidates, len(results))):
        result.target_spans = spans
        result.found = len(spans)
    return results


class ExactMatchAccuracy(TermMetric):
    """Exact-match term accuracy, a fraction 0–1: matched source occurrences / source occurrences.

    The WMT 2021 terminology task's exact-match accuracy (``compare_EXACT`` in
    ``evaluate_term_wmt.py`` of github.com/mahfuzibnalam/terminology_evaluation;
    the WMT 2023 task's data repository, wmt-terminology-task/data-2023,
    publishes no scorer of its own), made exact where that is greedy: each occurrence of a
    term in the source (found as by :func:`source_occurrences`) needs one
    occurrence of one of its accepted renderings in the hypothesis, matched
    case-insensitively as whole words, only case and whitespace free
    (``rendering_pattern(…, tolerant=False)``: no plurals, unlike the success
    rate); each stretch of the hypothesis serves one occurrence, and stretches
    used do not overlap. The count is the largest such assignment (the
    original takes the first free position for each term in turn, and can miss
    one). Unlike the original it has no lemma fallback: that is what the
    default success rate's plural tolerance is for.
    """

    name = "term_exact_match_accuracy"
    unit = "term occurrences"

    def get_signature(self, references: bool) -> str:
        return (f"ema|src:longest-zhnorm|hyp:words-exact-lc|assign:max|ref:{'filter' if references else 'none'}"
                f"|version:{_version()}")

    def totals(self, results: Iterable[TermResult]) -> tuple[float, int]:
        matched = occurrences = 0
        for result in results:
            if result.scored:
                matched += result.found
                occurrences += result.expected
        return matched, occurrences

    def segment(self, source, hypothesis, terms, reference=None, source_key=None) -> list[TermResult]:
        if not terms:
            return []
        results, patterns = _occurring(source, terms, reference, source_key, tolerant=False)
        scored = [i for i, result in enumerate(results) if result.scored]
        spans: dict[Span, set[int]] = {}
        for index in scored:
            for pattern in patterns[index]:
                for span in _all_matches(pattern, hypothesis):
                    spans.setdefault(span, set()).add(index)
        chosen = max_assignment(spans, {i: results[i].expected for i in scored})
        for span, index in chosen:
            results[index].target_spans.append(span)
        for result in results:
            result.target_spans.sort()
            result.found = len(result.target_spans)
        return results


def _all_matches(pattern: re.Pattern, text: str) -> list[Span]:
    """Every match of ``pattern``, overlapping ones too (one per start, the longest there)."""
    out, at = [], 0
    while (m := pattern.search(text, at)) is not None:
        if m.end() > m.start():
            out.append(m.span())
        at = m.start() + 1
    return out


def max_assignment(spans: dict[Span, set[int]], capacity: dict[int, int]) -> list[tuple[Span, int]]:
    """The largest set of non-overlapping spans, each given to one of the items it may serve,
    no item given more spans than its capacity: ``[(span, item), …]`` in span order.

    Exact. A span that overlaps no other and serves one item is taken while the
    item has room (an exchange argument: taking it never costs another span);
    what remains splits into independent groups (spans linked by overlapping or
    by sharing an item with room left), each solved by a search over its spans
    in order, memoised on the capacities left of the items it could exhaust.
    """
    room = {item: count for item, count in capacity.items() if count > 0}
    serves = {span: sorted(i for i in items if i in room) for span, items in spans.items()}
    order = sorted(span for span in spans if serves[span])
    overlapping = [False] * len(order)
    for k, (_, end) in enumerate(order):
        m = k + 1
        while m < len(order) and order[m][0] < end:
            overlapping[k] = overlapping[m] = True
            m += 1
    out, rest = [], []
    for span, crowded in zip(order, overlapping):
        if not crowded and len(serves[span]) == 1:
            item = serves[span][0]
            if room[item]:
                room[item] -= 1
                out.append((span, item))
        else:
            rest.append(span)
    rest = [span for span in rest if any(room[i] for i in serves[span])]
    for group in _groups(rest, serves, room):
        out.extend(_search(group, serves, room))
    return sorted(out)


def _groups(order: list[Span], serves: dict[Span, list[int]], room: dict[int, int]) -> list[list[Span]]:
    """``order`` (sorted) split into groups that share neither overlaps nor items with room."""
    parent = list(range(len(order)))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def union(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    holder: dict[int, int] = {}
    for k, (_, end) in enumerate(order):
        m = k + 1
        while m < len(order) and order[m][0] < end:
            union(k, m)
            m += 1
        for item in serves[order[k]]:
            if room[item]:
                union(k, holder.setdefault(item, k))
    groups: dict[int, list[Span]] = {}
    for k, span in enumerate(order):
        groups.setdefault(find(k), []).append(span)
    return list(groups.values())


def _search(order: list[Span], serves: dict[Span, list[int]], room: dict[int, int]) -> list[tuple[Span, int]]:
    """The best assignment within one group (spans sorted); updates ``room``."""
    demand: dict[int, int] = {}
    for span in order:
        for item in serves[span]:
            if room[item]:
                demand[item] = demand.get(item, 0) + 1
    limited = sorted(item for item, wanted in demand.items() if room[item] < wanted)
    slot = {item: k for k, item in enumerate(limited)}
    choices = []  # per span: an item never exhausted here (None if none), and the limited ones
    for span in order:
        free = [i for i in serves[span] if i in demand and i not in slot]
        choices.append((free[0] if free else None, [i for i in serves[span] if i in slot]))
    following = []
    for k, (_, end) in enumerate(order):
        m = k + 1
        while m < len(order) and order[m][0] < end:
            m += 1
        following.append(m)
    memo: dict[tuple[int, tuple[int, ...]], tuple[int, int | None]] = {}

    def best(k: int, left: tuple[int, ...]) -> int:
        if k >= len(order):
            return 0
        state = (k, left)
        if state not in memo:
            value, choice = best(k + 1, left), None
            free, bounded = choices[k]
            if free is not None:
                taken = 1 + best(following[k], left)
                if taken > value:
                    value, choice = taken, free
            else:
                for item in bounded:
                    s = slot[item]
                    if left[s]:
                        taken = 1 + best(following[k], left[:s] + (left[s] - 1,) + left[s + 1:])
                        if taken > value:
                            value, choice = taken, item
            memo[state] = (value, choice)
        return memo[state][0]

    left = tuple(room[item] for item in limited)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 2 * len(order) + 200))
    try:
        best(0, left)
    finally:
        sys.setrecursionlimit(limit)
    out, k = [], 0
    while k < len(order):
        choice = memo[(k, left)][1]
        if choice is None:
            k += 1
            continue
        out.append((order[k], choice))
        room[choice] -= 1
        if choice in slot:
            s = slot[choice]
            left = left[:s] + (left[s] - 1,) + left[s + 1:]
        k = following[k]
    return out
