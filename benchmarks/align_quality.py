"""Alignment quality and speed on ../shared/data/align-dev, against a length-only baseline.

For each corpus (default: all three), every document pair is aligned from its
pre-split sentences (Chinese first; aca and mag are English → Chinese, so the
sides are swapped and the beads swapped back), then scored with
:func:`aligned.evaluate.evaluate` exactly as Bertalign's evaluation counts.
The baseline is the same dynamic programme with only the length model and the
bead-type weights (Gale-Church's information), in the same run.

Run: ``python benchmarks/align_quality.py [mac-dev,aca,mag]``.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from aligned.align import WEIGHTS, Aligner, FEATURES
from aligned.evaluate import Bead, evaluate, read_beads

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "align-dev"


def length_only() -> np.ndarray:
    weights = WEIGHTS.copy()
    for name in ("similarity", "margin", "lexical"):
        weights[FEATURES.index(name)] = 0.0
    weights[FEATURES.index("length")] = 1.0
    return weights


def run(corpus: str, aligner: Aligner) -> tuple[dict, float, int, int]:
    gold, predicted, zh_count, en_count = [], [], 0, 0
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
    return evaluate(gold, predicted), time.perf_counter() - start, zh_count, en_count


def main(corpora: list[str]) -> None:
    if not DEV.is_dir():
        sys.exit(f"{DEV} is not here: nothing to measure")
    ours, baseline = Aligner(), Aligner(weights=length_only())
    ours.align(["预热。"], ["Warm-up."])  # load the model before timing
    for corpus in corpora:
        for name, aligner in (("ours", ours), ("length only", baseline)):
            scores, took, zh, en = run(corpus, aligner)
            strict, lax = scores["strict"], scores["lax"]
            print(f"{corpus:8} {name:12} strict P {strict.precision:.3f} R {strict.recall:.3f} "
                  f"F1 {strict.f1:.3f} | lax F1 {lax.f1:.3f} | {zh:,} zh + {en:,} en sentences in {took:.0f} s")


if __name__ == "__main__":
    main(sys.argv[1].split(",") if len(sys.argv) > 1 else ["mac-dev", "aca", "mag"])
