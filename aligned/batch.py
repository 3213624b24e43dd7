"""Aligning document pairs: one pair (``tm align``) or two folders of them (``tm align-batch``).

Reading (encoding detection, bad input as :class:`FormatError`), splitting, aligning,
and writing the result as ``.align`` (the gold format), TSV, JSON, TMX or TM units.
"""
from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Sequence

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
    zh_paragraphs = _sentences(read_document(zh_path, "zh", encoding), "zh", presplit)
    en_paragraphs = _sentences(read_document(en_path, "en", en_encoding), "en", presplit)
    zh, _ = flatten(zh_paragraphs)
    en, _ = flatten(en_paragraphs)
    if presplit:
        beads = aligner.align(zh, en)
    else:
        beads = aligner.align_paragraphs(zh_paragraphs, en_paragraphs)
    return AlignedPair(zh, en, list(beads), os.fspath(zh_path), os.fspath(en_path))


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


def _message(error: BaseException) -> str:
    if isinstance(error, FormatError):
        return str(error)
    return f"{type(error).__name__}: {error}"


# One aligner per worker process (the model loads once per process).
_WORKER_ALIGNER = None


def _init_worker() -> None:
    global _WORKER_ALIGNER
    from .align import Aligner

    _WORKER_ALIGNER = Aligner()


def _work(job):
    name, zh_path, en_path, presplit, encoding = job
    try:
        return name, align_pair(zh_path, en_path, _WORKER_ALIGNER, presplit, encoding), None
    except Exception as error:  # recorded; the batch carries on
        return name, None, _message(error)


def align_batch(zh_dir, en_dir, out_dir, fmt: str = "align", aligner=None, presplit: bool = False,
                force: bool = False, review_path=None, threshold: float = DEFAULT_THRESHOLD,
                progress: Callable[[int], None] | None = None, jobs: int = 1,
                encoding: str | None = None, write: Callable | None = None,
                sink: Callable[[AlignedPair, str], int] | None = None) -> BatchReport:
    """Align every pair of same-named files of ``zh_dir`` and ``en_dir`` into ``out_dir``.

    A file on one side only is reported; a pair whose output exists is skipped unless
    ``force`` (so an interrupted batch resumes); a pair that cannot be read or aligned is
    recorded in ``failed`` and the batch carries on. ``review_path`` receives the null beads
    and those under ``threshold`` of the pairs aligned in this run. ``write(pair, path, fmt,
    doc)`` writes one output (default: :func:`write_pair`, the text formats); ``sink(pair,
    doc)``, if given, stores each pair elsewhere (the ``tm`` package adds it to a translation
    memory, one transaction per pair) before its output is written and returns how many
    units it added. ``jobs`` > 1 aligns in that many processes, one Aligner each.
    """
    if write is None and fmt not in TEXT_FORMATS:
        raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(TEXT_FORMATS)})")
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
            todo.append((name, zh_files[name], en_files[name], presplit, encoding))
    done = len(report.skipped)
    if progress:
        progress(done)

    def finish(name: str, pair: AlignedPair | None, error: str | None) -> None:
        nonlocal done
        done += 1
        try:
            if error is not None:
                report.failed.append((name, error))
                return
            doc = _stem(name)
            if sink is not None:
                report.units_added += sink(pair, doc)
            write(pair, output_path(out_dir, name, fmt), fmt, doc)
            items = review_items(pair, doc, threshold)
            report.review_items.extend(items)
            report.pairs.append(PairSummary.of(pair, doc, len(items)))
            report.aligned.append(name)
        except Exception as failure:  # a TM or output error for this pair: recorded, carry on
            report.failed.append((name, _message(failure)))
        finally:
            if progress:
                progress(done)

    try:
        if jobs > 1 and len(todo) > 1:
            import multiprocessing

            context = multiprocessing.get_context("spawn")
            with context.Pool(min(jobs, len(todo)), initializer=_init_worker) as pool:
                for result in pool.imap(_work, todo):
                    finish(*result)
        else:
            if todo and aligner is None:
                from .align import Aligner

                aligner = Aligner()
            for name, zh_path, en_path, split_flag, enc in todo:
                try:
                    pair = align_pair(zh_path, en_path, aligner, split_flag, enc)
                except Exception as error:  # recorded; the batch carries on
                    finish(name, None, _message(error))
                    continue
                finish(name, pair, None)
    finally:  # an interrupted batch still leaves the review of what it aligned
        if review_path is not None:
            with atomic_file(review_path) as out:
                out.write("".join(item.to_tsv() for item in report.review_items))
    return report
