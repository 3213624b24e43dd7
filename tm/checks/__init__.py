"""Consistency checks over bilingual segments, one module per check.

Every check is a class with an ``id`` (``"number-mismatch"``), a default
``severity`` and a one-line ``description``, registered with
:func:`register`, and one method, :meth:`Check.run`, that takes the whole list
of segments (some checks compare segments with each other) and yields
:class:`Finding` objects. :class:`SegmentCheck` is the base for checks that
look at one segment at a time (and may run in several processes).

``run_checks(segments, select(only=…, skip=…))`` runs the chosen checks in the
order of :data:`CHECK_MODULES` and returns the findings sorted by segment.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, ClassVar, Iterable, Iterator, Sequence

from tm.bilingual import Segment

#: Severities, most serious first.
SEVERITIES = ("error", "warning", "info")

#: The modules that hold the checks, in report order.
CHECK_MODULES = ("term_mismatch", "forbidden_term", "inconsistent", "number_mismatch",
                 "untranslated", "punctuation")


@dataclass(frozen=True)
class Span:
    """A stretch of one side of a segment: ``text == segment.<side>[start:end]`` (character offsets)."""

    side: str  # "source" or "target"
    start: int
    end: int
    text: str

    def to_dict(self) -> dict:
        return {"side": self.side, "start": self.start, "end": self.end, "text": self.text}


@dataclass
class Finding:
    """One problem: which check, where (``segment`` is the 1-based position in the input), how bad, what.

    ``spans`` mark the text involved on either side; ``related`` lists other
    segments (1-based) that take part (the other variants of an inconsistency);
    ``data`` holds check-specific values for programs (expected renderings,
    the numbers on each side…).
    """

    check: str
    segment: int
    severity: str
    message: str
    spans: list[Span] = field(default_factory=list)
    related: list[int] = field(default_factory=list)
    data: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"check": self.check, "segment": self.segment, "severity": self.severity,
                "message": self.message, "spans": [s.to_dict() for s in self.spans],
                "related": list(self.related), "data": dict(self.data)}


class CheckContext:
    """What checks share: the glossary (loaded on first use) and per-run caches.

    ``glossary_paths`` / ``builtin`` are as for :meth:`glossary.termbase.Glossary.load`;
    a ready ``glossary`` may be passed instead.
    """

    def __init__(self, glossary=None, glossary_paths: Sequence[str] = (), builtin: bool = True):
        self._glossary = glossary
        self.glossary_paths = tuple(glossary_paths)
        self.builtin = builtin
        self.cache: dict = {}
        #: The ids of the checks of this run (set by :func:`run_checks`), so that a
        #: check can leave to another what that one reports better.
        self.selected: frozenset[str] = frozenset()

    def scan(self, text: str) -> list:
        """Glossary terms in a Chinese text, as ``tm glossary scan`` finds them by default
        (:meth:`glossary.termbase.Glossary.scan` with word boundaries); cached per text."""
        cache = self.cache.setdefault("scan", {})
        if text not in cache:
            cache[text] = self.glossary.scan(text, words=True) if text else []
        return cache[text]

    @cached_property
    def glossary(self):
        if self._glossary is not None:
            return self._glossary
        from glossary.termbase import Glossary
        return Glossary.load(self.glossary_paths, builtin=self.builtin)


class Check:
    """The interface: ``run(segments, context)`` yields findings for a list of segments."""

    id: ClassVar[str] = ""
    severity: ClassVar[str] = "warning"
    description: ClassVar[str] = ""

    def run(self, segments: Sequence[Segment], context: CheckContext) -> Iterator[Finding]:
        raise NotImplementedError

    def finding(self, segment: int, message: str, severity: str | None = None, **fields) -> Finding:
        """A :class:`Finding` of this check; ``segment`` is 1-based."""
        return Finding(self.id, segment, severity or self.severity, message, **fields)


class SegmentCheck(Check):
    """A check that looks at one segment at a time: implement :meth:`check_segment`."""

    def run(self, segments: Sequence[Segment], context: CheckContext) -> Iterator[Finding]:
        for number, segment in enumerate(segments, 1):
            yield from self.check_segment(number, segment, context)

    def check_segment(self, number: int, segment: Segment, context: CheckContext) -> Iterable[Finding]:
        raise NotImplementedError


_REGISTRY: dict[str, type[Check]] = {}


def register(cls: type[Check]) -> type[Check]:
    """Class decorator: make a check known by its ``id``."""
    if not cls.id or cls.severity not in SEVERITIES:
        raise ValueError(f"{cls.__name__}: a check needs an id and a severity in {SEVERITIES}")
    _REGISTRY[cls.id] = cls
    return cls


def registry() -> dict[str, type[Check]]:
    """Every registered check by id, in report order."""
    for module in CHECK_MODULES:
        importlib.import_module(f"{__name__}.{module}")
    return dict(_REGISTRY)


def select(only: Iterable[str] = (), skip: Iterable[str] = ()) -> list[Check]:
    """Instances of the checks named in ``only`` (all when empty) minus those in ``skip``.

    An unknown id is a :class:`ValueError` that names the known ones.
    """
    known = registry()
    only, skip = list(only), set(skip)
    unknown = [name for name in [*only, *skip] if name not in known]
    if unknown:
        raise ValueError(f"unknown check {unknown[0]!r}; known: {', '.join(known)}")
    chosen = only or list(known)
    return [known[name]() for name in known if name in chosen and name not in skip]


#: Fewer segments than this are checked in one process whatever ``jobs`` says.
PARALLEL_MINIMUM = 2000


def run_checks(segments: Sequence[Segment], checks: Sequence[Check] | None = None,
               context: CheckContext | None = None,
               progress: Callable[[int], None] | None = None, jobs: int = 1) -> list[Finding]:
    """Run ``checks`` (default: all) over ``segments``; findings sorted by segment, then check order.

    ``progress``, if given, is called with the number of checks done so far
    after each one (as :func:`tm.progress.progress_counter` expects).
    ``jobs`` > 1 runs the one-segment-at-a-time checks over slices of the segments
    in that many processes (each loads the glossary from the context's paths once)
    when there are at least :data:`PARALLEL_MINIMUM` segments and the context was
    not handed a ready glossary; the findings are the same as with ``jobs=1``.
    """
    checks = select() if checks is None else list(checks)
    context = context or CheckContext()
    context.selected = frozenset(check.id for check in checks)
    order = {check.id: rank for rank, check in enumerate(checks)}
    findings: list[Finding] = []
    parallel = [c for c in checks if isinstance(c, SegmentCheck)] \
        if jobs > 1 and len(segments) >= PARALLEL_MINIMUM and context._glossary is None else []
    if parallel:
        findings.extend(_in_processes(segments, [c.id for c in parallel], context, jobs))
    done = len(parallel)
    if progress and done:
        progress(done)
    for check in checks:
        if check in parallel:
            continue
        findings.extend(check.run(segments, context))
        done += 1
        if progress:
            progress(done)
    findings.sort(key=lambda f: (f.segment, order[f.check], f.message))
    return findings


_WORKER: dict = {}


def _start_worker(ids: list[str], paths: tuple[str, ...], builtin: bool, selected: frozenset[str]) -> None:
    context = CheckContext(glossary_paths=paths, builtin=builtin)
    context.selected = selected
    _WORKER.update(checks=select(only=ids), context=context)


def _check_slice(job: tuple[int, list[Segment]]) -> list[Finding]:
    first, part = job
    out = []
    for check in _WORKER["checks"]:
        for number, segment in enumerate(part, first):
            out.extend(check.check_segment(number, segment, _WORKER["context"]))
    return out


def _in_processes(segments: Sequence[Segment], ids: list[str], context: CheckContext, jobs: int) -> list[Finding]:
    import multiprocessing

    size = -(-len(segments) // (jobs * 4))  # four slices a process: an even finish
    slices = [(start + 1, list(segments[start:start + size])) for start in range(0, len(segments), size)]
    pool_context = multiprocessing.get_context("spawn")
    with pool_context.Pool(jobs, initializer=_start_worker,
                           initargs=(ids, context.glossary_paths, context.builtin, context.selected)) as pool:
        return [finding for part in pool.imap(_check_slice, slices) for finding in part]
