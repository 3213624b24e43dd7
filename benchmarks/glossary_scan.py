"""Glossary scan speed: a 100,000-term glossary over at least 10 MB of Chinese text.

Builds a TSV glossary from CC-CEDICT headwords (Simplified, first English gloss),
then measures, in one run:

- load: reading that TSV into a Glossary and building the automaton;
- scan: ``Glossary.scan`` over the whole text (normalisation included);
- naive: a per-term ``str.find`` loop (every occurrence, leftmost-longest not
  even attempted) over a slice of the text, extrapolated to characters/second.

The text is the Chinese of ../shared/data (white papers and the WMT term set)
repeated to the target size when that folder exists, else sentences generated
from the glossary's own terms. Run: ``python benchmarks/glossary_scan.py [MB]``.
"""
from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

from glossary import cedict
from glossary.termbase import Glossary

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
TERMS = 100_000


def build_tsv(path: Path) -> int:
    seen = set()
    with open(path, "w", encoding="utf-8") as out:
        for entry in cedict.entries():
            zh = entry.simplified
            if zh in seen or len(zh) < 2:
                continue
            seen.add(zh)
            gloss = entry.glosses[0].replace("\t", " ") or "?"
            out.write(f"{zh}\t{gloss}\n")
            if len(seen) == TERMS:
                break
    return len(seen)


def corpus(megabytes: float) -> tuple[str, str]:
    files = sorted(SHARED.glob("examples/whitepapers/zh_raw/*")) + sorted(SHARED.glob("term-dev/*.zh"))
    if files:
        base = "\n".join(f.read_text(encoding="utf-8") for f in files)
        source = f"{len(files)} files of ../shared/data"
    else:
        rng = random.Random(7)
        words = [e.simplified for e in cedict.entries()[:200_000:7]]
        base = "。".join("".join(rng.choices(words, k=12)) for _ in range(20_000))
        source = "generated from CC-CEDICT words"
    target = int(megabytes * 1_000_000)
    text = base * (target // len(base.encode("utf-8")) + 1)
    while len(text.encode("utf-8")) > target * 1.05:
        text = text[: int(len(text) * 0.95)]
    return text, source


def main(megabytes: float = 10.0) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tsv = Path(tmp) / "cedict-100k.tsv"
        count = build_tsv(tsv)
        text, source = corpus(megabytes)
        size = len(text.encode("utf-8"))
        print(f"glossary: {count:,} CC-CEDICT headwords; text: {len(text):,} characters, "
              f"{size / 1e6:.1f} MB UTF-8 ({source}); {os.cpu_count()} cores")

        start = time.perf_counter()
        glossary = Glossary.load([tsv], builtin=False)
        loaded = time.perf_counter()
        matcher = glossary.matcher()
        built = time.perf_counter()
        print(f"load TSV {loaded - start:.2f} s + automaton {built - loaded:.2f} s "
              f"= {built - start:.2f} s ({len(matcher):,} patterns)")

        start = time.perf_counter()
        spans = matcher.spans(text)
        took = time.perf_counter() - start
        print(f"scan:  {len(spans):,} occurrences in {took:.2f} s = "
              f"{len(text) / took / 1e6:.2f} M characters/s (TermMatcher.spans: normalisation "
              f"+ automaton, offsets in the original)")
        start = time.perf_counter()
        found = glossary.scan(text)
        full = time.perf_counter() - start
        print(f"       {len(found):,} Occurrence objects in {full:.2f} s = "
              f"{len(text) / full / 1e6:.2f} M characters/s (Glossary.scan, what the CLI calls)")

        forms = [e.zh for e in glossary]
        sample = text[:20_000]
        start = time.perf_counter()
        hits = 0
        for form in forms:
            at = sample.find(form)
            while at >= 0:
                hits += 1
                at = sample.find(form, at + 1)
        naive = time.perf_counter() - start
        print(f"naive: per-term str.find over {len(sample):,} characters: {naive:.2f} s = "
              f"{len(sample) / naive / 1e6:.4f} M characters/s ({hits:,} raw hits, overlaps included)")
        print(f"speed-up of scan over naive: {(len(text) / took) / (len(sample) / naive):,.0f}x")


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 10.0)
