"""How a score looks to a person: a summary on the terminal and a self-contained HTML page.

In both, a term of the source is marked green where the hypothesis renders it
as often as it occurs and red where it does not; the renderings found in the
hypothesis are marked green, and each missed term is listed with the English
that was expected.
"""
from __future__ import annotations

import html
import os
from typing import Sequence

from rich.table import Table
from rich.text import Text

from glossary.formats import atomic_file

from .score import ScoreResult, SegmentScore
from .terminal import console
from .terms import TermResult

WORST = 10  # segments listed on the terminal without --verbose


def _number(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _fraction(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def corpus_rows(result: ScoreResult) -> list[tuple[str, str, str]]:
    """(metric, value, what it was computed over) for the summary table and the page."""
    counts = result.counts
    over = f"{counts['with_reference']:,} of {counts['segments']:,} segments with a reference"
    tsr, ema = result.term_success_rate, result.term_exact_match_accuracy
    return [
        ("BLEU", _number(result.bleu.score if result.bleu else None, 2), over),
        ("chrF++", _number(result.chrf.score if result.chrf else None, 2), over),
        ("TER", _number(result.ter.score if result.ter else None, 2), over),
        (f"term success rate ({result.method})", _fraction(tsr.score),
         f"{tsr.numerator:g} / {tsr.denominator:,} segment-term pairs"),
        ("term exact-match accuracy", _fraction(ema.score),
         f"{int(ema.numerator):,} / {ema.denominator:,} term occurrences"),
    ]


def worst(result: ScoreResult, limit: int | None = WORST) -> list[SegmentScore]:
    """Segments with a missed term or a reference, worst first: lowest term success rate,
    then lowest chrF++; ``limit`` None keeps all, in order."""
    if limit is None:
        return list(result.segments)
    candidates = [s for s in result.segments if s.missed or s.chrf is not None]

    def badness(segment: SegmentScore):
        rate = segment.term_success_rate
        return (rate if rate is not None else 2.0, segment.chrf if segment.chrf is not None else 101.0,
                segment.number)

    return sorted(candidates, key=badness)[:limit]


def _missed_text(results: Sequence[TermResult]) -> str:
    return "; ".join(f"{r.term.zh} → {' / '.join(r.term.en)} ({r.found}/{r.expected})" for r in results)


def print_score(result: ScoreResult, verbose: bool = False) -> None:
    """Corpus scores, signatures, then the worst segments (every segment with ``verbose``)."""
    out = console()
    table = Table("metric", "score", "over", title="Scores")
    for name, value, over in corpus_rows(result):
        table.add_row(name, value, over)
    out.print(table)
    if result.references == "tm":
        out.print(Text(f"References: best TM match at {result.minimum:g}% or more.", style="dim"))
    elif result.references == "none":
        out.print(Text("No reference (--ref or a TM match): BLEU, chrF++ and TER not computed; "
                       "terms scored without the reference filter.", style="dim"))
    for name, signature in result.signatures.items():
        out.print(Text(f"{name}: {signature}", style="dim"))
    shown = worst(result, None if verbose else WORST)
    if not shown:
        return
    title = "Segments" if verbose else f"Worst {len(shown)} segments"
    table = Table("#", "terms", "chrF++", "BLEU", "TER", "missed terms (expected English)", title=title)
    for segment in shown:
        table.add_row(str(segment.number), _fraction(segment.term_success_rate), _number(segment.chrf),
                      _number(segment.bleu), _number(segment.ter), Text(_missed_text(segment.missed)))
    out.print(table)


# ---------------------------------------------------------------- HTML

_CSS = """
body{font-family:system-ui,"Noto Sans CJK SC","PingFang SC",sans-serif;max-width:75rem;margin:2rem auto;
padding:0 1rem;color:#222;line-height:1.5} table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
mark.ok{background:#d7f5dd} mark.miss{background:#ffd0d0} mark.skip{background:#eee}
.missed{color:#a00} small,.sig{color:#666} .sig{font-family:ui-monospace,monospace;font-size:.85em}
"""


def marked_html(text: str, spans: Sequence[tuple[int, int, str, str]]) -> str:
    """``text`` escaped, with ``<mark class=… title=…>`` around each ``(start, end, class, title)``;
    a span overlapping one already marked is left out."""
    out, at = [], 0
    for start, end, css, title in sorted(spans):
        if start < at or end <= start:
            continue
        out.append(html.escape(text[at:start]))
        out.append(f'<mark class={css} title="{html.escape(title)}">{html.escape(text[start:end])}</mark>')
        at = end
    out.append(html.escape(text[at:]))
    return "".join(out)


def _source_marks(segment: SegmentScore) -> list[tuple[int, int, str, str]]:
    marks = []
    for r in segment.terms:
        css = "skip" if not r.scored else ("ok" if r.found >= r.expected else "miss")
        title = " / ".join(r.term.en) + ("" if r.scored else " (not in the reference)")
        marks.extend((s, e, css, title) for s, e in r.source_spans)
    return marks


def _target_marks(segment: SegmentScore) -> list[tuple[int, int, str, str]]:
    return [(s, e, "ok", r.term.zh) for r in segment.terms if r.scored for s, e in r.target_spans]


def _segment_row(segment: SegmentScore) -> str:
    missed = "".join(
        f'<div class=missed>{html.escape(r.term.zh)} → {html.escape(" / ".join(r.term.en))} '
        f"<small>({r.found} of {r.expected})</small></div>" for r in segment.missed)
    reference = ""
    if segment.reference is not None:
        ref = segment.reference
        origin = f"TM {ref.score:.1f}% ({ref.band})" if ref.origin == "tm" else "reference"
        reference = f"<br><small>{html.escape(origin)}: {html.escape(ref.text)}</small>"
    cells = "".join(f"<td class=n>{value}</td>" for value in (
        _fraction(segment.term_success_rate), _number(segment.chrf), _number(segment.bleu), _number(segment.ter)))
    return (f"<tr id=s{segment.number}><td class=n>{segment.number}</td>{cells}"
            f"<td>{marked_html(segment.segment.source, _source_marks(segment))}</td>"
            f"<td>{marked_html(segment.segment.target, _target_marks(segment))}{missed}{reference}</td></tr>")


def score_html(name: str, result: ScoreResult) -> str:
    """A self-contained page: corpus scores and signatures, then every segment."""
    title = html.escape(f"Scores of {os.path.basename(name)}")
    rows = "".join(f"<tr><td>{html.escape(metric)}</td><td class=n>{value}</td><td>{html.escape(over)}</td></tr>"
                   for metric, value, over in corpus_rows(result))
    signatures = "".join(f"<div class=sig>{html.escape(k)}: {html.escape(v)}</div>"
                         for k, v in result.signatures.items())
    segments = "".join(_segment_row(segment) for segment in result.segments)
    return (f'<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>{title}</title>'
            f"<style>{_CSS}</style></head><body><h1>{title}</h1>"
            f"<table><tr><th>metric</th><th class=n>score</th><th>over</th></tr>{rows}</table>{signatures}"
            "<h2>Segments</h2><p><mark class=ok>rendered</mark> <mark class=miss>missed</mark> "
            "<mark class=skip>not scored (not in the reference)</mark>; hover a term for the expected English.</p>"
            "<table><tr><th class=n>#</th><th class=n>terms</th><th class=n>chrF++</th><th class=n>BLEU</th>"
            "<th class=n>TER</th><th>source</th><th>hypothesis, missed terms, reference</th></tr>"
            f"{segments}</table></body></html>\n")


def write_html(path: str, name: str, result: ScoreResult) -> None:
    with atomic_file(path) as out:
        out.write(score_html(name, result))
