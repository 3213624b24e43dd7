"""Documents per second of ``align-batch``: one process, a pool of two (``--jobs 2``) and a Dask
LocalCluster of two worker processes (``--cluster``), measured in the same run.

Data: the eight pre-split document pairs of ../shared/data/align-dev (mac-dev zh→en; aca and
mag en→zh, their sides swapped), linked (never copied) into a temporary folder as ZH/ and
EN/ and aligned with ``presplit``; without ../shared, the bundled examples, each under six
names (24 pairs). Every mode writes ``.align`` files; the run checks they are identical.

Each mode is timed in two parts:

* start-up: what comes before the first pair: one process builds its Aligner (model and
  lexicon) and aligns one short sentence; the pool is timed on a batch of two one-line pairs
  (spawning the processes, loading the model in each); the cluster is started and every
  worker builds its Aligner (``client.run``).
* aligning: the batch itself, outputs written; for the pool, its cold run minus the start-up
  above (an estimate: the pool cannot be kept warm between batches).

The cluster runs twice: with the workers' default environment, then with
``MALLOC_MMAP_THRESHOLD_=33554432`` in the environment the workers are started from. A Dask
nanny starts its workers with ``MALLOC_TRIM_THRESHOLD_=65536``, and setting any of glibc's
malloc thresholds turns off its dynamic mmap threshold: every array over 128 KiB is then
mapped and unmapped afresh, and this NumPy-heavy aligner is 10–40 % slower (40 % for one pair
in a plain process with the variable set). Giving the mmap threshold as well
(``MALLOC_MMAP_THRESHOLD_=33554432 dask worker …``) keeps Dask's trimming and most of the speed.

documents/s is given for the aligning part and overall (start-up included), with the
speed-up against the one-process run.

Run: ``python benchmarks/align_batch_speed.py``.
"""
from __future__ import annotations

import contextlib
import importlib.util
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from aligned.align import Aligner
from aligned.batch import align_batch

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "align-dev"
EXAMPLES = ROOT / "examples"
COPIES = 6  # names per bundled example when ../shared is absent
MMAP_THRESHOLD = 32 * 1024 * 1024  # glibc's largest dynamic mmap threshold on 64-bit


@dataclass
class Figures:
    mode: str
    startup: float
    aligning: float
    aligned: int

    @property
    def overall(self) -> float:
        return self.startup + self.aligning

    def rate(self, seconds: float) -> float:
        return self.aligned / seconds


def dataset(work: Path) -> tuple[Path, Path, bool, str]:
    """ZH/ and EN/ folders of same-named pairs, whether they are pre-split, and what they are."""
    zh_dir, en_dir = work / "zh", work / "en"
    zh_dir.mkdir()
    en_dir.mkdir()
    if DEV.is_dir():
        for corpus in ("mac-dev", "aca", "mag"):
            zh_side, en_side = ("src", "tgt") if corpus == "mac-dev" else ("tgt", "src")
            for path in sorted((DEV / corpus / "src").iterdir()):
                (zh_dir / f"{corpus}-{path.name}").symlink_to(DEV / corpus / zh_side / path.name)
                (en_dir / f"{corpus}-{path.name}").symlink_to(DEV / corpus / en_side / path.name)
        return zh_dir, en_dir, True, "align-dev (mac-dev, aca, mag), pre-split"
    for path in sorted((EXAMPLES / "zh").iterdir()):
        for copy in range(COPIES):
            (zh_dir / f"{copy}-{path.name}").symlink_to(path)
            (en_dir / f"{copy}-{path.name}").symlink_to(EXAMPLES / "en" / path.name)
    return zh_dir, en_dir, False, f"the bundled examples ×{COPIES}"


def sentences(folder: Path, presplit: bool) -> int:
    from aligned.batch import read_document
    from aligned.split import flatten, presplit as split_lines, split_document

    lang = folder.name
    split = split_lines if presplit else lambda text: split_document(text, lang)
    return sum(len(flatten(split(read_document(path, lang)))[0]) for path in folder.iterdir())


def tiny(work: Path) -> tuple[Path, Path]:
    """Two one-sentence pairs: enough to start a pool of two and load the model in each."""
    zh_dir, en_dir = work / "tiny-zh", work / "tiny-en"
    zh_dir.mkdir()
    en_dir.mkdir()
    for name, zh, en in (("a.txt", "会议今天开幕。\n", "The meeting opened today.\n"),
                         ("b.txt", "代表们讨论了预算。\n", "The delegates discussed the budget.\n")):
        (zh_dir / name).write_text(zh, "utf-8")
        (en_dir / name).write_text(en, "utf-8")
    return zh_dir, en_dir


def one_process(zh_dir: Path, en_dir: Path, presplit: bool, out: Path) -> Figures:
    start = time.perf_counter()
    aligner = Aligner()
    aligner.align(["预热。"], ["Warm-up."])
    startup = time.perf_counter() - start
    start = time.perf_counter()
    report = align_batch(zh_dir, en_dir, out, aligner=aligner, presplit=presplit)
    aligning = time.perf_counter() - start
    return Figures("one process (--jobs 1)", startup, aligning, len(report.aligned))


def pool(zh_dir: Path, en_dir: Path, presplit: bool, out: Path, work: Path) -> Figures:
    tiny_zh, tiny_en = tiny(work)
    start = time.perf_counter()
    align_batch(tiny_zh, tiny_en, work / "tiny-out", jobs=2)
    startup = time.perf_counter() - start
    start = time.perf_counter()
    report = align_batch(zh_dir, en_dir, out, presplit=presplit, jobs=2)
    overall = time.perf_counter() - start
    return Figures("two processes (--jobs 2)", startup, overall - startup, len(report.aligned))


def _load_aligner() -> None:  # runs on each Dask worker
    from aligned.batch import process_aligner

    process_aligner().align(["预热。"], ["Warm-up."])


@contextlib.contextmanager
def environment(values: dict[str, str]):
    """os.environ with ``values`` added, for the processes started inside."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def dask(zh_dir: Path, en_dir: Path, presplit: bool, out: Path, mode: str, environ: dict[str, str]) -> Figures:
    from distributed import Client, LocalCluster

    start = time.perf_counter()
    with environment(environ):  # the nannies, and so their workers, inherit it
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with cluster, Client(cluster, set_as_default=False) as client:
        started = time.perf_counter() - start
        client.run(_load_aligner)
        startup = time.perf_counter() - start
        print(f"  {mode}: cluster up in {started:.1f} s, the workers' Aligners built in {startup - started:.1f} s")
        start = time.perf_counter()
        report = align_batch(zh_dir, en_dir, out, presplit=presplit, cluster=client)
        aligning = time.perf_counter() - start
    return Figures(mode, startup, aligning, len(report.aligned))


def outputs(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="align-batch-speed-") as temporary:
        work = Path(temporary)
        zh_dir, en_dir, presplit, what = dataset(work)
        pairs = len(os.listdir(zh_dir))
        print(f"align-batch on {pairs} document pairs of {what}: {sentences(zh_dir, presplit):,} zh + "
              f"{sentences(en_dir, presplit):,} en sentences; {os.cpu_count()} cores")
        runs = [one_process(zh_dir, en_dir, presplit, work / "one"),
                pool(zh_dir, en_dir, presplit, work / "pool", work)]
        if importlib.util.find_spec("distributed") is None:
            print("dask distributed is not installed (pip install 'zhen-tm[cluster]'): no cluster figures")
        else:
            runs.append(dask(zh_dir, en_dir, presplit, work / "dask", "Dask, 2 workers (--cluster)", {}))
            runs.append(dask(zh_dir, en_dir, presplit, work / "dask-mmap", "Dask, MALLOC_MMAP_THRESHOLD_ set",
                             {"MALLOC_MMAP_THRESHOLD_": str(MMAP_THRESHOLD)}))
        base = runs[0]
        print(f"{'mode':34} {'start-up':>9} {'aligning':>9} {'docs/s aligning':>16} {'docs/s overall':>15} "
              f"{'speed-up aligning, overall':>27}")
        for run in runs:
            speedup = f"{base.aligning / run.aligning:.2f}×, {base.overall / run.overall:.2f}×"
            print(f"{run.mode:34} {run.startup:8.1f}s {run.aligning:8.1f}s {run.rate(run.aligning):16.2f} "
                  f"{run.rate(run.overall):15.2f} {speedup:>27}")
        expected = outputs(work / "one")
        same = all(outputs(work / folder) == expected
                   for folder in ("pool", "dask", "dask-mmap") if (work / folder).is_dir())
        bad = [run.mode for run in runs if run.aligned != pairs]
        print(f"outputs identical in every mode: {'yes' if same else 'NO'}" +
              (f"; pairs missing in: {', '.join(bad)}" if bad else ""))
        if not same or bad:
            sys.exit(1)


if __name__ == "__main__":
    main()
