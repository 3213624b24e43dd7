"""Scoring a translation: sacrebleu's BLEU, chrF++ and TER, and the two terminology metrics.

:func:`score_segments` takes the segments (Chinese source, English hypothesis),
their term lists (:mod:`tm.terms`) and, optionally, one :class:`Reference`
per segment: from a reference file, or from the translation memory
(:func:`tm_references`: the best exact or fuzzy match at or above a minimum).
A segment without a reference is left out of BLEU, chrF++ and TER and its
terms are scored without the reference filter.

BLEU (13a, exponential smoothing), chrF++ (character order 6, word order 2)
and TER are sacrebleu's own, corpus-level and per segment (sentence BLEU with
``effective_order``), identical to ``sacrebleu``'s ``corpus_score`` and
``sentence_score``: each segment's statistics, the lists sacrebleu keeps,
are computed once (by :mod:`tm.segment_stats`, sacrebleu's tokenizers and
algorithms made faster) and scored by sacrebleu, alone and summed. All three
are in percent (0–100; TER can exceed 100); the terminology scores are
fractions (0–1).
"""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Sequence

from sacrebleu.metrics import BLEU, CHRF, TER

from .bilingual import Segment
from .segment_stats import bleu_statistics_batch, chrf_statistics_batch, ter_statistics
from .terms import ExactMatchAccuracy, Term, TermResult, TermScore, TermSuccessRate

#: Segments per batch handed to sacrebleu (and to a worker process).
CHUNK = 2_000
TEXT_METRICS = ("bleu", "chrf", "ter")


def _metrics() -> dict[str, tuple]:
    """name → (corpus metric, sentence metric): the same statistics, scored two ways."""
    chrf, ter = CHRF(word_order=2), TER()
    return {"bleu": (BLEU(), BLEU(effective_order=True)), "chrf": (chrf, chrf), "ter": (ter, ter)}


@dataclass(frozen=True)
class Reference:
    """A reference translation of one segment: from a file (``origin`` "file") or the TM
    ("tm", with the match ``score`` in percent, its ``band`` and the unit's ``tm_id``)."""

    text: str
    origin: str = "file"
    score: float | None = None
    band: str | None = None
    tm_id: int | None = None

    def to_dict(self) -> dict:
        return {"text": self.text, "origin": self.origin, "match": self.score, "band": self.band,
                "tm_id": self.tm_id}


def file_references(lines: Sequence[str]) -> list[Reference | None]:
    """One reference per line; a blank line means no reference for that segment (None), as a TM miss."""
    return [Reference(line.strip()) if line.strip() else None for line in lines]


def tm_references(memory, sources: Sequence[str], minimum: float = 75,
                  progress: Callable[[int], None] | None = None) -> list[Reference | None]:
    """Per source, the target of its best TM match at ``minimum`` percent or more (exact or
    fuzzy, as :meth:`tm.store.TranslationMemory.lookup` ranks them), or None."""
    from .unit import readable

    out: list[Reference | None] = []
    for done, source in enumerate(sources, 1):
        matches = memory.lookup(source, minimum=minimum, limit=1) if source.strip() else []
        best = matches[0] if matches else None
        out.append(Reference(readable(best.target).strip(), "tm", best.score, best.band, best.id)
                   if best else None)
        if progress and done % 200 == 0:
            progress(done)
    if progress:
        progress(len(out))
    return out


# ---------------------------------------------------------------- sacrebleu

def _chunk_stats(hypotheses: list[str], references: list[str]) -> dict[str, list]:
    """sacrebleu's per-segment statistics of one chunk, for each text metric
    (computed by :mod:`tm.segment_stats`: the same lists, faster)."""
    metrics = _metrics()
    ter = metrics["ter"][0]
    return {"bleu": bleu_statistics_batch(metrics["bleu"][0], hypotheses, references),
            "chrf": chrf_statistics_batch(metrics["chrf"][0], hypotheses, references),
            "ter": [ter_statistics(ter, h, r) for h, r in zip(hypotheses, references)]}


class TextStatistics:
    """sacrebleu's per-segment statistics of hypotheses against references, started at once:
    in ``jobs`` worker processes (chunks of :data:`CHUNK` segments) while the caller does
    other work, or here when :meth:`scores` is called. Use as a context manager."""

    def __init__(self, hypotheses: Sequence[str], references: Sequence[str], jobs: int = 1):
        if len(hypotheses) != len(references):
            raise ValueError("one reference per hypothesis")
        self.count = len(hypotheses)
        self.chunks = [(list(hypotheses[i:i + CHUNK]), list(references[i:i + CHUNK]))
                       for i in range(0, len(hypotheses), CHUNK)]
        self.pool = (ProcessPoolExecutor(max_workers=min(jobs, len(self.chunks)))
                     if jobs > 1 and len(self.chunks) > 1 else None)
        self.futures = [self.pool.submit(_chunk_stats, h, r) for h, r in self.chunks] if self.pool else None

    def __enter__(self) -> "TextStatistics":
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def scores(self, progress: Callable[[int], None] | None = None) -> tuple[dict, list[dict[str, float]]]:
        """See :func:`text_scores`."""
        metrics = _metrics()
        if not self.count:
            return {}, []
        stats: dict[str, list] = {name: [] for name in metrics}
        parts = (f.result() for f in self.futures) if self.futures else (_chunk_stats(h, r) for h, r in self.chunks)
        done = 0
        for part in parts:
            for name in metrics:
                stats[name].extend(part[name])
            done += len(part["bleu"])
            if progress:
                progress(done)
        corpus = {name: corpus_metric._aggregate_and_compute(stats[name])
                  for name, (corpus_metric, _) in metrics.items()}
        per_segment: list[dict[str, float]] = [{} for _ in range(self.count)]
        for name, (_, sentence_metric) in metrics.items():
            for row, segment_stats in zip(per_segment, stats[name]):
                row[name] = sentence_metric._compute_score_from_stats(segment_stats).score
        return corpus, per_segment


def text_scores(hypotheses: Sequence[str], references: Sequence[str], jobs: int = 1,
                progress: Callable[[int], None] | None = None) -> tuple[dict, list[dict[str, float]]]:
    """sacrebleu's corpus scores ``{"bleu": BLEUScore, "chrf": CHRFScore, "ter": TERScore}``
    and per segment ``{"bleu": …, "chrf": …, "ter": …}`` (floats, percent), the same
    numbers as ``corpus_score(hypotheses, [references])`` and ``sentence_score(h, [r])``.

    ``jobs`` > 1 computes the statistics of chunks in that many processes.
    """
    with TextStatistics(hypotheses, references, jobs) as statistics:
        return statistics.scores(progress)


def signatures() -> dict[str, str]:
    """sacrebleu's signatures of the corpus metrics (and of sentence BLEU)."""
    metrics = _metrics()
    for pair in metrics.values():
        for metric in pair:
            metric.num_refs = 1  # what sacrebleu records once it has scored against one reference stream
    out = {name: str(corpus.get_signature()) for name, (corpus, _) in metrics.items()}
    out["sentence_bleu"] = str(metrics["bleu"][1].get_signature())
    return out


# ---------------------------------------------------------------- the result

@dataclass
class SegmentScore:
    """One segment's scores: ``bleu``, ``chrf``, ``ter`` in percent (None without a
    reference), ``terms`` as the success rate saw them, ``exact`` as exact-match accuracy did."""

    number: int
    segment: Segment
    reference: Reference | None
    bleu: float | None = None
    chrf: float | None = None
    ter: float | None = None
    terms: list[TermResult] = field(default_factory=list)
    exact: list[TermResult] = field(default_factory=list)

    @property
    def term_success_rate(self) -> float | None:
        """This segment's success rate: mean of its scored terms' values (None without any)."""
        values = [r.value for r in self.terms if r.scored]
        return sum(values) / len(values) if values else None

    @property
    def found(self) -> list[TermResult]:
        """Scored terms rendered as often as they occur in the source."""
        return [r for r in self.terms if r.scored and r.found >= r.expected]

    @property
    def missed(self) -> list[TermResult]:
        """Scored terms rendered fewer times than they occur (often not at all)."""
        return [r for r in self.terms if r.scored and r.found < r.expected]

    def to_dict(self) -> dict:
        hyp = self.segment.target
        exact = {r.term.zh: r for r in self.exact}
        return {
            "number": self.number, "line": self.segment.line, "source": self.segment.source,
            "hypothesis": hyp, "reference": self.reference.to_dict() if self.reference else None,
            "bleu": self.bleu, "chrf": self.chrf, "ter": self.ter,
            "term_success_rate": self.term_success_rate,
            "terms_found": [{"zh": r.term.zh, "source_count": r.expected, "found": r.found,
                             "renderings": [hyp[s:e] for s, e in r.target_spans],
                             "exact": exact[r.term.zh].found if r.term.zh in exact else 0}
                            for r in self.found],
            "terms_missed": [{"zh": r.term.zh, "source_count": r.expected, "found": r.found,
                              "expected": list(r.term.en),
                              "renderings": [hyp[s:e] for s, e in r.target_spans]}
                             for r in self.missed],
            "terms_not_in_reference": [r.term.zh for r in self.terms if r.expected and not r.scored],
        }


@dataclass
class ScoreResult:
    """Corpus scores, their signatures, counts, and every segment's :class:`SegmentScore`."""

    method: str
    references: str  # "file", "tm" or "none"
    bleu: object | None  # sacrebleu's score objects (``.score`` in percent)
    chrf: object | None
    ter: object | None
    term_success_rate: TermScore
    term_exact_match_accuracy: TermScore
    signatures: dict[str, str]
    segments: list[SegmentScore]
    minimum: float | None = None

    @property
    def counts(self) -> dict[str, int]:
        scored = sum(1 for s in self.segments if s.reference is not None)
        return {
            "segments": len(self.segments),
            "with_reference": scored,
            "without_reference": len(self.segments) - scored,
            "segments_with_terms": sum(1 for s in self.segments if any(r.scored for r in s.terms)),
            "term_pairs": self.term_success_rate.denominator,
            "term_occurrences": self.term_exact_match_accuracy.denominator,
            "term_occurrences_matched": int(self.term_exact_match_accuracy.numerator),
        }

    def to_dict(self) -> dict:
        def value(score):
            return score.score if score is not None else None

        return {
            "bleu": value(self.bleu), "chrf": value(self.chrf), "ter": value(self.ter),
            "term_success_rate": self.term_success_rate.score,
            "term_exact_match_accuracy": self.term_exact_match_accuracy.score,
            "method": self.method, "references": self.references, "minimum": self.minimum,
            "counts": self.counts,
            "details": {name: str(score) for name, score in
                        (("bleu", self.bleu), ("chrf", self.chrf), ("ter", self.ter)) if score is not None}
            | {"term_success_rate": str(self.term_success_rate),
               "term_exact_match_accuracy": str(self.term_exact_match_accuracy)},
            "term_scores": {"term_success_rate": self.term_success_rate.to_dict(),
                            "term_exact_match_accuracy": self.term_exact_match_accuracy.to_dict()},
            "signature": self.signatures,
            "segments": [s.to_dict() for s in self.segments],
        }


def score_segments(segments: Sequence[Segment], term_lists: Sequence[Sequence[Term]],
                   references: Sequence[Reference | None] | None = None, method: str = "default",
                   jobs: int = 1, progress: Callable[[int], None] | None = None,
                   minimum: float | None = None) -> ScoreResult:
    """Score ``segments`` (``target`` is the hypothesis): see the module docstring.

    ``term_lists[i]`` are the terms of segment ``i``; ``references[i]`` its reference
    or None; ``method`` is the success rate's (``default`` or ``wmt25``); ``minimum``
    is only recorded (the TM minimum the references were found with).
    """
    if len(term_lists) != len(segments) or (references is not None and len(references) != len(segments)):
        raise ValueError("one term list (and one reference or None) per segment")
    refs = list(references) if references is not None else [None] * len(segments)
    sources = [s.source for s in segments]
    hypotheses = [s.target for s in segments]
    ref_texts = [r.text if r is not None else None for r in refs]
    given = references is not None and any(r is not None for r in refs)
    success, exact = TermSuccessRate(method), ExactMatchAccuracy()
    with_ref = [k for k, ref in enumerate(refs) if ref is not None]
    # The text metrics start first (in worker processes when jobs > 1) and the terms are
    # scored meanwhile.
    with TextStatistics([hypotheses[k] for k in with_ref], [refs[k].text for k in with_ref], jobs) as text:
        tsr = success.segments(sources, hypotheses, term_lists, ref_texts if given else None)
        ema = exact.segments(sources, hypotheses, term_lists, ref_texts if given else None)
        corpus, per_segment = text.scores(progress)
    results = [SegmentScore(number, segment, ref, terms=t, exact=e)
               for number, (segment, ref, t, e) in enumerate(zip(segments, refs, tsr, ema), 1)]
    for result, row in zip((results[k] for k in with_ref), per_segment):
        result.bleu, result.chrf, result.ter = row["bleu"], row["chrf"], row["ter"]
    origins = {r.origin for r in refs if r is not None}
    return ScoreResult(
        method=method, references=origins.pop() if len(origins) == 1 else ("mixed" if origins else "none"),
        bleu=corpus.get("bleu"), chrf=corpus.get("chrf"), ter=corpus.get("ter"),
        term_success_rate=success.score(tsr, given), term_exact_match_accuracy=exact.score(ema, given),
        signatures={**signatures(), "term_success_rate": success.get_signature(given),
                    "term_exact_match_accuracy": exact.get_signature(given)},
        segments=results, minimum=minimum)


def default_jobs() -> int:
    """Worker processes for sacrebleu's statistics: the CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)
