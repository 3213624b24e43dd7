"""Alignment quality and speed on ../shared/data/align-dev, against a length-only baseline.

For each corpus (default: all three), every document pair is aligned from its
pre-split sentences (Chinese first; aca and mag are English → Chinese, so the
sides are swapped and the beads swapped back), then scored with
:func:`aligned.evaluate.evaluate` exactly as Bertalign's evaluation counts.
The baseline is the same dynamic programme with only the length model and the
bead-type weights (Gale-Church's information), in the same run.

Run: ``python benchmarks/align_quality.py [mac-dev,aca,mag]``.

``python benchmarks/align_quality.py --scaling`` measures how time and memory
grow with a document's length: documents of about 1, 5 and 10 times mac-dev/001
(293 Chinese sentences), made by laying the gold document pairs of all three
corpora end to end, each aligned in a fresh process (model loaded before timing) as one long
document and then document by document: if time grew faster than the length,
the long document would take longer than its parts.
"""
from __future__ import annotations

import multiprocessing
import resource
import sys
import time
from pathlib import Path

import numpy as np

from aligned.align import FEATURES, SCORES, WEIGHTS, Aligner
from aligned.evaluate import Bead, evaluate, read_beads

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "align-dev"


def length_only() -> np.ndarray:
    weights = WEIGHTS.copy()
    for name in SCORES:  # embeddings, lexicon, quotations: all off
        weights[FEATURES.index(name)] = 0.0
    weights[FEATURES.index("length")] = 1.0
    return weights


def run(corpus: str, aligner: Aligner) -> tuple[dict, float, int, int, list[tuple[float, bool]]]:
    """Scores, seconds, Chinese and English sentences, and (confidence, right?) of each 1+-1+ bead."""
    gold, predicted, zh_count, en_count, confidences = [], [], 0, 0, []
    start = time.perf_counter()
    for path in sorted((DEV / corpus / "src").iterdir()):
        src = path.read_text(encoding="utf-8").splitlines()
        tgt = (DEV / corpus / "tgt" / path.name).read_text(encoding="utf-8").splitlines()
        chinese_first = corpus == "mac-dev"
        zh, en = (src, tgt) if chinese_first else (tgt, src)
        beads = aligner.align(zh, en)
        predicted.append([Bead(b.src, b.tgt) if chinese_first else Bead(b.tgt, b.src) for b in beads])
        gold.append(read_beads(DEV / corpus / "gold" / f"{path.name}.align"))
        zh_count, en_count = zh_count + len(zh), en_count + len(en)
        right = set(gold[-1])
        confidences += [(b.confidence, bead in right) for b, bead in zip(beads, predicted[-1]) if b.src and b.tgt]
    return evaluate(gold, predicted), time.perf_counter() - start, zh_count, en_count, confidences


def review_figures(confidences: list[tuple[float, bool]], threshold: float = 0.5) -> str:
    """How the beads under ``threshold`` (align-batch's review list) compare with the rest."""
    doubtful = [right for confidence, right in confidences if confidence < threshold]
    sure = [right for confidence, right in confidences if confidence >= threshold]

    def wrong(beads: list[bool]) -> float:
        return 100 * beads.count(False) / max(1, len(beads))

    caught = doubtful.count(False)
    return (f"review (confidence < {threshold}): {len(doubtful)} beads ({100 * len(doubtful) / len(confidences):.0f}%), "
            f"{wrong(doubtful):.0f}% of them wrong, {wrong(sure):.1f}% of the rest; "
            f"{caught} of the {caught + sure.count(False)} wrong beads")


def main(corpora: list[str]) -> None:
    if not DEV.is_dir():
        sys.exit(f"{DEV} is not here: nothing to measure")
    ours, baseline = Aligner(), Aligner(weights=length_only())
    ours.align(["预热。"], ["Warm-up."])  # load the model before timing
    for corpus in corpora:
        for name, aligner in (("ours", ours), ("length only", baseline)):
            scores, took, zh, en, confidences = run(corpus, aligner)
            strict, lax = scores["strict"], scores["lax"]
            print(f"{corpus:8} {name:12} strict P {strict.precision:.3f} R {strict.recall:.3f} "
                  f"F1 {strict.f1:.3f} | lax F1 {lax.f1:.3f} | {zh:,} zh + {en:,} en sentences in {took:.0f} s")
            if aligner is ours:
                for threshold in (0.5, 0.8):
                    print(f"{'':21} {review_figures(confidences, threshold)}")


def _pairs() -> list[tuple[list[str], list[str]]]:
    """Every gold document pair of the three corpora, Chinese first."""
    pairs = []
    for corpus in ("mac-dev", "aca", "mag"):
        for path in sorted((DEV / corpus / "src").iterdir()):
            src = path.read_text(encoding="utf-8").splitlines()
            tgt = (DEV / corpus / "tgt" / path.name).read_text(encoding="utf-8").splitlines()
            pairs.append((src, tgt) if corpus == "mac-dev" else (tgt, src))
    return pairs


def _timed(size: int, queue) -> None:
    """Align whole document pairs laid end to end until the Chinese reaches ``size`` × mac-dev/001,
    then the same pairs one by one (time that grows linearly by construction)."""
    pairs = _pairs()
    unit = len(pairs[0][0])
    chosen, zh_count = [], 0
    while zh_count < unit * size:
        chosen.append(pairs[len(chosen) % len(pairs)])
        zh_count += len(chosen[-1][0])
    zh_doc = [s for zh, _ in chosen for s in zh]
    en_doc = [s for _, en in chosen for s in en]
    aligner = Aligner()
    aligner.align(["预热。"], ["Warm-up."])
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    beads = aligner.align(zh_doc, en_doc)
    took = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    for zh, en in chosen:
        aligner.align(zh, en)
    parts = time.perf_counter() - start
    queue.put((len(zh_doc), len(en_doc), len(chosen), len(beads), took, parts, before / 1024, peak / 1024))


def scaling(sizes=(1, 5, 10)) -> None:
    if not DEV.is_dir():
        sys.exit(f"{DEV} is not here: nothing to measure")
    context = multiprocessing.get_context("spawn")
    for size in sizes:
        queue = context.Queue()
        child = context.Process(target=_timed, args=(size, queue))
        child.start()
        zh, en, documents, beads, took, parts, before, peak = queue.get()
        child.join()
        print(f"{size:>2}× mac-dev/001: {zh:,} zh + {en:,} en sentences ({documents} gold documents end to end) "
              f"→ {beads:,} beads in {took:.1f} s, {zh / took:.0f} zh sentences/s; the same documents one by one: "
              f"{parts:.1f} s (one long document / its parts: {took / parts:.2f}); "
              f"peak memory {peak:.0f} MB ({peak - before:+.0f} MB while aligning)")


if __name__ == "__main__":
    if sys.argv[1:] == ["--scaling"]:
        scaling()
    else:
        main(sys.argv[1].split(",") if len(sys.argv) > 1 else ["mac-dev", "aca", "mag"])
