"""Scoring and checking speed: 100,000 segment pairs through `tm score` and `tm check`'s library path.

Builds, at run time and in memory only, N synthetic but realistic segment
pairs by recombining the sentence pairs of ../shared/data/term-dev (WMT 2023
zh→en, with its term lists) and the project's examples/: a segment is one
source sentence or two consecutive ones, its reference the English of the
same, its hypothesis that English edited as a translator or an MT system
would differ (a word dropped, one replaced, two neighbours swapped, a term
rendered in another case). Then it measures, in one run:

- terms: the glossary's term lists for every source (``glossary_term_lists``,
  what ``tm score`` does without ``--terms``);
- score: ``score_segments`` with the WMT term lists and a reference per
  segment: BLEU, chrF++, TER (sacrebleu's statistics, in ``--jobs`` processes),
  the term success rate and exact-match accuracy, per segment and corpus;
- checks: ``tm.checks.run_checks`` with every registered check.

and prints wall time, segments per second and CPU seconds (this process and
its workers) for each and for the whole. Run:
``python benchmarks/score_check.py [N] [--jobs J]``.
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
TARGET_SECONDS = 60


def sentence_pairs() -> tuple[list[tuple[str, str, str]], str]:
    """(zh, en, terms JSON line) triples to recombine, and where they came from."""
    pairs = []
    term_dev = SHARED / "term-dev"
    if term_dev.is_dir():
        zh = (term_dev / "zhen.zh").read_text(encoding="utf-8").split("\n")
        en = (term_dev / "zhen.en").read_text(encoding="utf-8").split("\n")
        terms = (term_dev / "zhen.term.proper").read_text(encoding="utf-8").split("\n")
        pairs += [(z, e, t) for z, e, t in zip(zh, en, terms) if z.strip() and e.strip()]
    for path in sorted((ROOT / "examples" / "zh").glob("*.txt")):
        zh = [p for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]
        en = [p for p in (ROOT / "examples" / "en" / path.name).read_text(encoding="utf-8").split("\n") if p.strip()]
        pairs += [(z, e, "[]") for z, e in zip(zh, en)]
    where = "term-dev (WMT 2023) and examples/" if term_dev.is_dir() else "examples/ only (no ../shared/data)"
    return pairs, where


def edited(english: str, rng: random.Random) -> str:
    words = english.split()
    if len(words) < 4:
        return english
    edits = rng.choice(["drop", "replace", "swap", "case", "none", "drop+swap"])
    if "drop" in edits:
        del words[rng.randrange(len(words))]
    if edits == "replace":
        words[rng.randrange(len(words))] = rng.choice(["the", "office", "government", "plan", "said"])
    if "swap" in edits:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    if edits == "case":
        i = rng.randrange(len(words))
        words[i] = words[i].upper()
    return " ".join(words)


def build(n: int, seed: int = 1):
    from tm.bilingual import Segment
    from tm.score import Reference
    from tm.terms import parse_term_line
    import json

    pairs, where = sentence_pairs()
    rng = random.Random(seed)
    segments, references, term_lists = [], [], []
    for number in range(1, n + 1):
        i = rng.randrange(len(pairs))
        chosen = pairs[i:i + 2] if rng.random() < 0.25 and i + 1 < len(pairs) else pairs[i:i + 1]
        zh = "".join(p[0] for p in chosen)
        en = " ".join(p[1] for p in chosen)
        terms = [t for p in chosen for t in parse_term_line(json.loads(p[2]) if p[2].strip() else [])]
        segments.append(Segment(zh, edited(en, rng), number))
        references.append(Reference(en))
        term_lists.append(terms)
    return segments, references, term_lists, where


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=None,
                        help="processes for sacrebleu and for the checks (default: one per CPU)")
    args = parser.parse_args()

    from glossary.termbase import Glossary
    from tm.checks import CheckContext, registry, run_checks
    from tm.score import default_jobs, score_segments
    from tm.terms import glossary_term_lists

    jobs = args.jobs or default_jobs()
    t0 = time.perf_counter()
    segments, references, term_lists, where = build(args.n)
    print(f"{len(segments):,} segment pairs from {where}, built in {time.perf_counter() - t0:.1f} s "
          f"(not counted); {jobs} process(es) for sacrebleu and for the checks")
    glossary = Glossary.load()

    timings: dict[str, tuple[float, float]] = {}

    def timed(name, work):
        wall, cpu = time.perf_counter(), _cpu()
        value = work()
        timings[name] = (time.perf_counter() - wall, _cpu() - cpu)
        return value

    found = timed("terms", lambda: glossary_term_lists(glossary, [s.source for s in segments]))
    result = timed("score", lambda: score_segments(segments, term_lists, references, jobs=jobs))
    checks = list(registry())
    # The checks load the glossary themselves: in --jobs processes, each its own.
    findings = timed("checks", lambda: run_checks(segments, context=CheckContext(), jobs=jobs))

    n = len(segments)
    notes = {
        "terms": f"{sum(map(len, found)):,} glossary terms found",
        "score": (f"BLEU {result.bleu.score:.2f}, chrF++ {result.chrf.score:.2f}, TER {result.ter.score:.2f}, "
                  f"term success {result.term_success_rate.score:.3f}, "
                  f"exact match {result.term_exact_match_accuracy.score:.3f}"),
        "checks": f"{len(checks)} checks: {', '.join(checks)}; {len(findings):,} findings",
    }
    print(f"{'':8}{'wall':>8}  {'segments/s':>10}  {'CPU':>7}")
    for name, (wall, cpu) in timings.items():
        print(f"{name:8}{wall:7.1f}s  {n / wall:10,.0f}  {cpu:6.1f}s  ({notes[name]})")
    wall = sum(w for w, _ in timings.values())
    cpu = sum(c for _, c in timings.values())
    verdict = "within" if wall < TARGET_SECONDS else "OVER"
    print(f"{'total':8}{wall:7.1f}s  {n / wall:10,.0f}  {cpu:6.1f}s  ({verdict} the {TARGET_SECONDS} s target; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs: other work slows the wall times)")
    return 0


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the scoring workers)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


if __name__ == "__main__":
    sys.exit(main())
