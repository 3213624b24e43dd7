"""Aligning document pairs: one pair (``tm align``) or two folders of them (``tm align-batch``).

Reading (encoding detection, bad input as :class:`FormatError`), splitting, aligning,
and writing the result as ``.align`` (the gold format), TSV, JSON, TMX or TM units. A batch
aligns its pairs in this process, in a process pool or on a Dask cluster (:mod:`aligned.cluster`),
through one code path for resume, outputs and the report.
"""
from __future__ import annotations

import contextlib
import functools
import json
import os
import queue
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Sequence

from glossary.errors import FormatError
from glossary.formats import atomic_file, read_bytes
from glossary.normalize import han_count
from glossary.textfile import decode_text

from .split import flatten, presplit as presplit_text, split_document

TEXT_FORMATS = ("align", "tsv", "json")  # the formats written here; tm adds TMX
DEFAULT_THRESHOLD = 0.5
_BOM = b"\xef\xbb\xbf"


# ---------------------------------------------------------------- reading

def read_document(path, lang: str, encoding: str | None = None) -> str:
    """The text of a document file, line ends normalised to LF.

    ``encoding=None`` detects: UTF-8 (with or without a BOM); for Chinese, else GB18030 or
    Big5, whichever decodes strictly and gives the more Han characters. An empty file, a
    binary file or undecodable text is a :class:`FormatError` naming the file.
    """
    name = os.fspath(path)
    data = read_bytes(name)
    if data.startswith(_BOM):
        data = data[len(_BOM):]
    if not data.strip():
        raise FormatError(name, None, "empty file")
    if b"\x00" in data:
        raise FormatError(name, None, "binary file, not text")
    if encoding is not None:
        text = decode_text(name, data, encoding)
    else:
        text = _detect(name, data, lang)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise FormatError(name, None, "empty file")
    return text


def _detect(name: str, data: bytes, lang: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if lang.lower().startswith("zh"):
        best: tuple[int, str] | None = None
        for candidate in ("gb18030", "big5"):
            try:
                text = data.decode(candidate)
            except UnicodeDecodeError:
                continue
            han = han_count(text)
            if best is None or han > best[0]:  # ties go to the first (GB18030)
                best = (han, text)
        if best is not None:
            return best[1]
    raise FormatError(name, None, "not UTF-8, GB18030 or Big5 text; give --encoding")


# ---------------------------------------------------------------- one pair

@dataclass
class AlignedPair:
    """The sentences of both sides and the beads (aligned.align.Bead) over them."""

    zh: list[str]
    en: list[str]
    beads: list = field(default_factory=list)
    zh_path: str = ""
    en_path: str = ""


def _sentences(text: str, lang: str, presplit: bool) -> list[list[str]]:
    return presplit_text(text) if presplit else split_document(text, lang)


def align_pair(zh_path, en_path, aligner, presplit: bool = False, encoding: str | None = None,
               en_encoding: str | None = None) -> AlignedPair:
    """Read, split and align one document pair.

    Paragraph breaks are hard boundaries when both sides have as many (``align_paragraphs``);
    with ``presplit`` each line is a sentence and the sentences are aligned as one run.
    ``encoding`` is the Chinese file's encoding (None: detect); ``en_encoding`` the English one's.
    """
    zh_text = read_document(zh_path, "zh", encoding)
    en_text = read_document(en_path, "en", en_encoding)
    return align_texts(zh_text, en_text, aligner, presplit, os.fspath(zh_path), os.fspath(en_path))


def align_texts(zh_text: str, en_text: str, aligner, presplit: bool = False, zh_path: str = "",
                en_path: str = "") -> AlignedPair:
    """Split and align the texts of one document pair, as :func:`align_pair` does with its files.

    ``zh_path`` and ``en_path`` only name the documents in the result.
    """
    zh_paragraphs = _sentences(zh_text, "zh", presplit)
    en_paragraphs = _sentences(en_text, "en", presplit)
    zh, _ = flatten(zh_paragraphs)
    en, _ = flatten(en_paragraphs)
    if presplit:
        beads = aligner.align(zh, en)
    else:
        beads = aligner.align_paragraphs(zh_paragraphs, en_paragraphs)
    return AlignedPair(zh, en, list(beads), zh_path, en_path)


# ---------------------------------------------------------------- writers

def _ids(ids: Sequence[int]) -> str:
    return "[" + ",".join(map(str, ids)) + "]"


def _one_line(text: str) -> str:
    return re.sub(r"[\t\r\n]+", " ", text)


def bead_texts(pair: AlignedPair, bead) -> tuple[str, str]:
    """The Chinese sentences of a bead joined without a space, the English with one."""
    return ("".join(pair.zh[i] for i in bead.src), " ".join(pair.en[j] for j in bead.tgt))


def to_align(pair: AlignedPair) -> str:
    """The gold ``.align`` format: ``[3]:[4,5]`` per bead, 0-based sentence ids."""
    from .evaluate import Bead, format_beads

    return format_beads(Bead(tuple(b.src), tuple(b.tgt)) for b in pair.beads)


def to_tsv(pair: AlignedPair) -> str:
    """``zh<TAB>en`` per bead with both sides; null beads are left out."""
    lines = []
    for bead in pair.beads:
        if bead.src and bead.tgt:
            zh, en = bead_texts(pair, bead)
            lines.append(f"{_one_line(zh)}\t{_one_line(en)}\n")
    return "".join(lines)


def to_json(pair: AlignedPair) -> str:
    """Beads with ids, texts and confidence, and the sentences left unaligned."""
    beads = []
    for bead in pair.beads:
        zh, en = bead_texts(pair, bead)
        beads.append({"zh_ids": list(bead.src), "en_ids": list(bead.tgt), "zh": zh, "en": en,
                      "confidence": round(float(bead.confidence), 4)})
    unaligned = {
        "zh": [{"id": i, "text": pair.zh[i]} for b in pair.beads if not b.tgt for i in b.src],
        "en": [{"id": j, "text": pair.en[j]} for b in pair.beads if not b.src for j in b.tgt],
    }
    value = {"zh_file": pair.zh_path, "en_file": pair.en_path,
             "zh_sentences": len(pair.zh), "en_sentences": len(pair.en),
             "beads": beads, "unaligned": unaligned}
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def segments(pair: AlignedPair) -> list[tuple[int, str, str, float]]:
    """``(bead index, Chinese, English, confidence)`` for every bead with both sides, in order."""
    return [(position, *bead_texts(pair, bead), float(bead.confidence))
            for position, bead in enumerate(pair.beads) if bead.src and bead.tgt]


def render(pair: AlignedPair, fmt: str) -> str:
    """The text of ``pair`` in a text format (align, tsv or json)."""
    return {"align": to_align, "tsv": to_tsv, "json": to_json}[fmt](pair)


def write_pair(pair: AlignedPair, path, fmt: str, doc_id: str = "") -> None:
    """Write ``pair`` to ``path`` atomically in a text format (align, tsv or json)."""
    with atomic_file(path) as out:
        out.write(render(pair, fmt))


@dataclass(frozen=True)
class ReviewItem:
    """A bead a person should check: null (one side empty) or under the confidence threshold."""

    doc: str
    src: tuple[int, ...]
    tgt: tuple[int, ...]
    confidence: float
    zh: str
    en: str

    @property
    def reason(self) -> str:
        if not self.tgt:
            return "Chinese not translated?"
        if not self.src:
            return "English added?"
        return "low confidence"

    @property
    def bead(self) -> str:
        """The bead as the gold files write it: ``[15]:[]``."""
        return f"{_ids(self.src)}:{_ids(self.tgt)}"

    def to_tsv(self) -> str:
        """``doc<TAB>[ids]:[ids]<TAB>confidence<TAB>zh<TAB>en`` and a newline."""
        return (f"{self.doc}\t{self.bead}\t{self.confidence:.3f}\t"
                f"{_one_line(self.zh)}\t{_one_line(self.en)}\n")

    def to_dict(self) -> dict:
        return {"doc": self.doc, "zh_ids": list(self.src), "en_ids": list(self.tgt),
                "confidence": round(self.confidence, 4), "reason": self.reason, "zh": self.zh, "en": self.en}


def review_items(pair: AlignedPair, doc: str, threshold: float = DEFAULT_THRESHOLD) -> list[ReviewItem]:
    """The null beads of ``pair`` and those with a confidence under ``threshold``, in order."""
    return [ReviewItem(doc, tuple(bead.src), tuple(bead.tgt), float(bead.confidence), *bead_texts(pair, bead))
            for bead in pair.beads
            if not (bead.src and bead.tgt and bead.confidence >= threshold)]


@dataclass(frozen=True)
class PairSummary:
    """What was aligned in one document pair: sentence and bead counts, beads by type, mean confidence."""

    doc: str
    zh_sentences: int
    en_sentences: int
    beads: int
    types: dict[str, int]  # "1-1": 40, "1-2": 5, "1-0": 1 …, most frequent first
    mean_confidence: float  # over beads with both sides, 0–1
    review: int

    @classmethod
    def of(cls, pair: AlignedPair, doc: str, review: int) -> "PairSummary":
        types = Counter(f"{len(b.src)}-{len(b.tgt)}" for b in pair.beads)
        linked = [float(b.confidence) for b in pair.beads if b.src and b.tgt]
        return cls(doc, len(pair.zh), len(pair.en), len(pair.beads), dict(types.most_common()),
                   sum(linked) / len(linked) if linked else 0.0, review)

    def to_dict(self) -> dict:
        return {"doc": self.doc, "zh_sentences": self.zh_sentences, "en_sentences": self.en_sentences,
                "beads": self.beads, "types": dict(self.types),
                "mean_confidence": round(self.mean_confidence, 4), "review": self.review}


# ---------------------------------------------------------------- batch

@dataclass
class BatchReport:
    """What a batch did: names aligned and skipped, files on one side only, failed pairs."""

    aligned: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    zh_only: list[str] = field(default_factory=list)
    en_only: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    pairs: list[PairSummary] = field(default_factory=list)  # one per pair aligned in this run
    review_items: list[ReviewItem] = field(default_factory=list)
    units_added: int = 0

    @property
    def review(self) -> int:
        """How many beads need a person's check."""
        return len(self.review_items)

    @property
    def one_sided(self) -> list[str]:
        return sorted(self.zh_only + self.en_only)

    def to_dict(self) -> dict:
        return {"aligned": self.aligned, "skipped": self.skipped, "zh_only": self.zh_only,
                "en_only": self.en_only, "failed": [{"name": n, "error": m} for n, m in self.failed],
                "pairs": [p.to_dict() for p in self.pairs],
                "review": [item.to_dict() for item in self.review_items], "units_added": self.units_added}


def _stem(path) -> str:
    return os.path.splitext(os.path.basename(os.fspath(path)))[0]


def _files(folder) -> dict[str, str]:
    found = {}
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.name.startswith(".") or not entry.is_file():
            continue
        found[entry.name] = entry.path
    return found


def output_path(out_dir, name: str, fmt: str) -> str:
    """``OUT_DIR/NAME.align`` (or .tsv/.tmx/.json), NAME the file name without its extension."""
    return os.path.join(os.fspath(out_dir), f"{_stem(name)}.{fmt}")


def _size(path) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _message(error: BaseException) -> str:
    if isinstance(error, FormatError):
        return str(error)
    return f"{type(error).__name__}: {error}"


# ---------------------------------------------------------------- where pairs are aligned
#
# The lead process reads every document and hands its texts to an executor as a PairJob; the
# executor aligns it where it likes (here, in a process pool, on a Dask cluster: aligned.cluster)
# and gives back the pair, or the error's message, as each completes. Everything else (which
# pairs to do, resume, outputs, the TM sink, the report) happens once, in align_batch.

@dataclass(frozen=True)
class PairJob:
    """One document pair to align, with its texts: all a worker needs, wherever it runs."""

    index: int  # position in the batch, which orders the report
    name: str  # the file name both folders share
    zh_text: str
    en_text: str
    presplit: bool
    zh_path: str
    en_path: str


Outcome = tuple[PairJob, "AlignedPair | None", "str | None"]  # the job, its pair or its error message

_PROCESS_LOCK = threading.Lock()


@functools.lru_cache(maxsize=1)
def _build_aligner():
    from .align import Aligner

    return Aligner()


def process_aligner():
    """The Aligner of this process, built on first use and kept: a pool worker or a Dask worker
    loads the model (and the lexicon) once, not once per pair. Safe from several threads."""
    with _PROCESS_LOCK:
        return _build_aligner()


def align_job(job: PairJob, aligner=None) -> tuple[AlignedPair | None, str | None]:
    """``(pair, None)``, or ``(None, message)`` when ``job`` cannot be aligned: the error travels
    back as text. ``aligner`` defaults to :func:`process_aligner`."""
    try:
        aligner = process_aligner() if aligner is None else aligner
        pair = align_texts(job.zh_text, job.en_text, aligner, job.presplit, job.zh_path, job.en_path)
    except Exception as error:  # recorded; the batch carries on
        return None, _message(error)
    return pair, None


def stream(jobs: Iterable[PairJob], submit: Callable, window: int) -> Iterator[Outcome]:
    """Run ``jobs`` through futures, at most ``window`` in flight, and yield each as it completes.

    ``submit(job)`` returns a future of :func:`align_job`'s result: a ``concurrent.futures``
    or a ``distributed`` one (anything with ``add_done_callback`` and ``result``). A job whose
    submission or future fails (its worker process died, it was cancelled) yields its error:
    no job is lost. Jobs are drawn from ``jobs`` only as room frees up, so the texts of a large
    batch are never all in memory. Futures still pending when the caller stops are cancelled.
    """
    pending: dict = {}
    completed: queue.SimpleQueue = queue.SimpleQueue()  # futures, as their callbacks put them
    jobs = iter(jobs)
    more = True
    try:
        while True:
            while more and len(pending) < window:
                job = next(jobs, None)
                if job is None:
                    more = False
                    break
                try:
                    future = submit(job)
                except Exception as error:  # a broken pool, a closed client
                    yield job, None, _message(error)
                    continue
                pending[future] = job
                future.add_done_callback(completed.put)
            if not pending:
                return
            future = completed.get()
            job = pending.pop(future)
            try:
                pair, error = future.result()
            except Exception as failure:  # the worker died, the task was cancelled…
                pair, error = None, _message(failure)
            yield job, pair, error
    finally:
        for future in pending:
            future.cancel()


class InProcess:
    """Aligns in this process, one pair after the other, with ``aligner`` (default: a new Aligner,
    built when the first job comes)."""

    parallel = False

    def __init__(self, aligner=None):
        self.aligner = aligner

    def run(self, jobs: Iterable[PairJob]) -> Iterator[Outcome]:
        for job in jobs:
            if self.aligner is None:
                from .align import Aligner

                self.aligner = Aligner()
            yield (job, *align_job(job, self.aligner))


_BLAS_THREADS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """``os.environ`` with ``values`` where not set already, for the processes started inside."""
    added = {key: value for key, value in values.items() if key not in os.environ}
    os.environ.update(added)
    try:
        yield
    finally:
        for key in added:
            os.environ.pop(key, None)


def _load_aligner() -> None:
    process_aligner()


class ProcessPool:
    """Aligns in ``processes`` fresh (spawned) processes, each with its own Aligner
    (:func:`process_aligner`), loaded as the pool starts. The processes share the cores: each
    gets ``cores // processes`` BLAS threads (OMP/OPENBLAS/MKL_NUM_THREADS, unless set), as
    a Dask nanny gives its workers one; two processes of two BLAS threads on two cores are
    slower than one. A process that dies breaks the pool: its pair and the ones not yet done
    are reported as failed (and done on the next, resuming, run)."""

    parallel = True

    def __init__(self, processes: int):
        self.processes = processes

    def run(self, jobs: Iterable[PairJob]) -> Iterator[Outcome]:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"))
        try:
            threads = str(max(1, (os.cpu_count() or 1) // self.processes))
            with _environment(dict.fromkeys(_BLAS_THREADS, threads)):
                for _ in range(self.processes):  # each submit to a pool with no idle process starts one
                    pool.submit(_load_aligner)
            yield from stream(jobs, lambda job: pool.submit(align_job, job), 2 * self.processes)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _executor(aligner, jobs: int, cluster, pairs: int):
    if cluster is not None:
        from .cluster import Dask

        return Dask(cluster)
    if jobs > 1 and pairs > 1:
        return ProcessPool(min(jobs, pairs))
    return InProcess(aligner)


def align_batch(zh_dir, en_dir, out_dir, fmt: str = "align", aligner=None, presplit: bool = False,
                force: bool = False, review_path=None, threshold: float = DEFAULT_THRESHOLD,
                progress: Callable[[int], None] | None = None, jobs: int = 1,
                encoding: str | None = None, write: Callable | None = None,
                sink: Callable[[AlignedPair, str], int] | None = None, cluster=None) -> BatchReport:
    """Align every pair of same-named files of ``zh_dir`` and ``en_dir`` into ``out_dir``.

    A file on one side only is reported; a pair whose output exists is skipped unless
    ``force`` (so an interrupted batch resumes); a pair that cannot be read or aligned is
    recorded in ``failed`` and the batch carries on. ``review_path`` receives the null beads
    and those under ``threshold`` of the pairs aligned in this run. ``write(pair, path, fmt,
    doc)`` writes one output (default: :func:`write_pair`, the text formats); ``sink(pair,
    doc)``, if given, stores each pair elsewhere (the ``tm`` package adds it to a translation
    memory, one transaction per pair) before its output is written and returns how many
    units it added. ``progress(done)`` is called as pairs complete.

    Where the pairs are aligned: in this process with ``aligner`` (default: a new Aligner);
    with ``jobs`` > 1, in that many processes, one Aligner each; with ``cluster`` (a Dask
    scheduler address such as ``"tcp://host:8786"``, or a ``distributed.Client``), on the
    workers of that cluster, one Aligner per worker process (:mod:`aligned.cluster`; the
    workers need this package installed). ``cluster`` and ``jobs`` > 1 together are a
    ValueError: the cluster's workers set the parallelism. Whichever runs them, this process
    reads the documents and sends their texts, the workers send back the aligned pairs, and
    this process writes the outputs, calls ``sink`` and builds the report: ``out_dir``, the
    review file and the TM are local to this process (workers on other machines need not see
    its files), and resume works the same everywhere. Pairs are finished as they complete, in
    any order (in parallel, the largest Chinese files go first); the report lists them in the
    order of the file names, as a one-process run does. A worker that dies mid-pair has its
    pair run again (Dask) or reported as failed (a process pool), never silently dropped. An
    unreachable cluster is an :class:`aligned.cluster.ClusterError` before anything is read.
    """
    if write is None and fmt not in TEXT_FORMATS:
        raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(TEXT_FORMATS)})")
    if cluster is not None and jobs > 1:
        raise ValueError("give jobs or cluster, not both: the cluster's workers set the parallelism")
    write = write or write_pair
    zh_files, en_files = _files(zh_dir), _files(en_dir)
    report = BatchReport(zh_only=[n for n in zh_files if n not in en_files],
                         en_only=[n for n in en_files if n not in zh_files])
    os.makedirs(out_dir, exist_ok=True)
    todo = []
    for name in (n for n in zh_files if n in en_files):
        if not force and os.path.exists(output_path(out_dir, name, fmt)):
            report.skipped.append(name)
        else:
            todo.append(name)
    done = len(report.skipped)
    if progress:
        progress(done)
    # index in todo → (name, summary, review items) of a pair aligned, or (name, None, error)
    finished: dict[int, tuple] = {}

    def finish(index: int, name: str, pair: AlignedPair | None, error: str | None) -> None:
        nonlocal done
        done += 1
        try:
            if error is not None:
                finished[index] = (name, None, error)
                return
            doc = _stem(name)
            if sink is not None:
                report.units_added += sink(pair, doc)
            write(pair, output_path(out_dir, name, fmt), fmt, doc)
            items = review_items(pair, doc, threshold)
            finished[index] = (name, PairSummary.of(pair, doc, len(items)), items)
        except Exception as failure:  # a TM or output error for this pair: recorded, carry on
            finished[index] = (name, None, _message(failure))
        finally:
            if progress:
                progress(done)

    def readable() -> Iterator[PairJob]:  # read as the executor asks; unreadable pairs fail here
        order = range(len(todo))
        if executor.parallel:  # largest first, so that the last pairs to run are short ones
            order = sorted(order, key=lambda index: -_size(zh_files[todo[index]]))
        for index in order:
            name = todo[index]
            try:
                zh_text = read_document(zh_files[name], "zh", encoding)
                en_text = read_document(en_files[name], "en")
            except Exception as error:
                finish(index, name, None, _message(error))
                continue
            yield PairJob(index, name, zh_text, en_text, presplit, zh_files[name], en_files[name])

    executor = _executor(aligner, jobs, cluster, len(todo)) if todo else None  # connects to a cluster
    try:
        if executor is not None:
            with contextlib.closing(executor.run(readable())) as outcomes:
                for job, pair, error in outcomes:
                    finish(job.index, job.name, pair, error)
    finally:  # an interrupted batch still reports, and leaves the review of, what it aligned
        for index in sorted(finished):
            name, summary, detail = finished[index]
            if summary is None:
                report.failed.append((name, detail))
            else:
                report.aligned.append(name)
                report.pairs.append(summary)
                report.review_items.extend(detail)
        if review_path is not None:
            with atomic_file(review_path) as out:
                out.write("".join(item.to_tsv() for item in report.review_items))
    return report
