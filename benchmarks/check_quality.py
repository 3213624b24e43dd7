"""`tm check` on real professional translations: false alarms on clean text, recall of injected
term and inconsistency errors, against what a spreadsheet user would do.

Clean segments (published translations, taken as correct):

* the two white papers of ``../shared/data/examples/whitepapers`` aligned with our
  aligner (:func:`aligned.batch.align_pair`), beads with both sides and a
  confidence of at least 0.5;
* the gold beads of ``../shared/data/align-dev`` (aca and mag are English → Chinese:
  swapped; the Chinese sentences of a bead joined with "", the English with " ").

Every check runs on every document; the share of segments it fires on is a
false-alarm rate *if* the published translation is right: the examples printed
let you judge.

Injected errors (seeded; each in a copy of one clean segment, one error per
segment, the rest of the document left clean; every candidate is injected in one
of two passes, so that half of the candidates stay clean in each pass):

* **term**, where the glossary (bundled) finds a term in the source and the target
  holds an accepted rendering of it (found by a plain matcher of this script, not
  by the check): every such rendering of the term is (i) replaced by another
  entry's preferred English of the same type, or by a paraphrase that drops one
  content word ("Ministry of Environment"); (ii) replaced by one of the entry's
  deprecated or forbidden renderings, where it has some; (iii) deleted.
  term-mismatch must fire on (i) and (iii) for that term, forbidden-term on (ii).
* **inconsistency**: a clean segment is copied elsewhere in its document with its
  target changed (a synonym swapped, a word dropped, clauses reordered):
  inconsistent-target must fire; with the same target and the source changed (a
  word dropped or two swapped): inconsistent-source must fire. Two harder sets: the
  copy's source also differs in punctuation, width or script (still the same
  source: inconsistent-target must fire), and *no error* — the copy differs only
  trivially (final punctuation, quote style, first-letter case, half-width
  punctuation, Traditional script): neither check should fire.

Recall counts a finding of the intended check on the injected segment (as the
finding's segment or one of its ``related``; for term checks, for that term).
"Other new" is the share of injected segments on which some other check fires
that did not fire on the clean segment. False alarms of the injected runs are
findings of the four checks on untouched segments.

Naive peers in the same run: for terms, the Chinese headword as a substring of
the source and the preferred English as a case-insensitive substring of the
target; for deprecated/forbidden renderings, any of them as a case-insensitive
substring of the target; for inconsistency, exact string comparison.

Run: ``python benchmarks/check_quality.py [--examples N] [--seed S] [--cache FILE]``
(``--cache``: keep the white-paper alignment in FILE, outside the repository,
between runs; aligning takes a minute or two).
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from glossary.normalize import han_count, to_traditional
from glossary.numerals import read_chinese, read_english
from tm.bilingual import Segment
from tm.checks import CheckContext, run_checks, select
from tm.checks.inconsistent import MIN_HAN, MIN_WORDS, source_key, target_key
from tm.checks.renderings import find_rendering

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
WHITEPAPERS = DATA / "examples" / "whitepapers"
ALIGN_DEV = DATA / "align-dev"
MIN_CONFIDENCE = 0.5
TERM_CHECKS = ("term-mismatch", "forbidden-term")
INCONSISTENCY_CHECKS = ("inconsistent-target", "inconsistent-source")
WATCHED = TERM_CHECKS + INCONSISTENCY_CHECKS

# ---------------------------------------------------------------- data


def whitepaper_documents(cache: Path | None) -> tuple[dict[str, list[Segment]], str]:
    """The two white papers aligned: {"wp/001": segments, …} and a line saying what was kept."""
    raw = None
    if cache and cache.is_file():
        raw = json.loads(cache.read_text(encoding="utf-8"))
    if raw is None:
        from aligned.align import Aligner
        from aligned.batch import align_pair, segments

        aligner, raw = Aligner(), {}
        for name in sorted(p.name for p in (WHITEPAPERS / "zh_raw").iterdir()):
            pair = align_pair(WHITEPAPERS / "zh_raw" / name, WHITEPAPERS / "en_raw" / name, aligner)
            raw[name] = {"beads": len(pair.beads), "segments": [list(s) for s in segments(pair)]}
        if cache:
            cache.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    documents, notes = {}, []
    for name, found in raw.items():
        kept = [Segment(zh, en) for _, zh, en, confidence in found["segments"] if confidence >= MIN_CONFIDENCE]
        documents[f"wp/{name}"] = kept
        notes.append(f"{name}: {found['beads']} beads, {len(found['segments'])} with both sides, "
                     f"{len(kept)} with confidence ≥ {MIN_CONFIDENCE} kept")
    return documents, "; ".join(notes)


def align_dev_documents() -> dict[str, list[Segment]]:
    """The gold beads of align-dev as segments, by document ("aca/001", …); null beads left out."""
    from aligned.evaluate import read_beads

    documents = {}
    for corpus in ("aca", "mag", "mac-dev"):
        folder = ALIGN_DEV / corpus
        if not folder.is_dir():
            continue
        for path in sorted((folder / "src").iterdir()):
            src = path.read_text(encoding="utf-8").splitlines()
            tgt = (folder / "tgt" / path.name).read_text(encoding="utf-8").splitlines()
            segments = []
            for bead in read_beads(folder / "gold" / f"{path.name}.align"):
                a, b = list(bead[0]), list(bead[1])
                if not a or not b:
                    continue
                if corpus == "mac-dev":
                    zh, en = "".join(src[i] for i in a), " ".join(tgt[i] for i in b)
                else:
                    en, zh = " ".join(src[i] for i in a), "".join(tgt[i] for i in b)
                segments.append(Segment(zh.strip(), en.strip()))
            documents[f"{corpus}/{path.name}"] = segments
    return documents


def corpus_of(doc: str) -> str:
    return "whitepapers" if doc.startswith("wp/") else doc.split("/")[0]


# ---------------------------------------------------------------- plain English matching (injection side)

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_NOTE = re.compile(r"\([^()]*\)")


def _plain_word(word: str) -> str:
    word = word.lower().replace("’", "'")
    if word.endswith("s") and len(word) > 3 and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("y") and len(word) > 3:
        core = re.escape(word[:-1]) + "(?:y|ies)"
    else:
        core = re.escape(word) + "(?:s|es)?"
    return core.replace("'", "['’]") + r"(?:['’]s?)?"


def plain_pattern(form: str) -> re.Pattern | None:
    """Whole words, any case, singular or plural, words joined by spaces or hyphens."""
    words = _WORD.findall(_NOTE.sub(" ", form)) or _WORD.findall(form)
    if not words:
        return None
    return re.compile(r"(?<![A-Za-z0-9])" + r"[\s\-\u2010\u2011]+".join(map(_plain_word, words))
                      + r"(?![A-Za-z0-9])", re.IGNORECASE)


def plain_spans(forms, text: str) -> list[tuple[int, int]]:
    """Where any of ``forms`` stands in ``text``, overlapping matches merged."""
    spans = sorted(m.span() for form in forms if (p := plain_pattern(form)) for m in p.finditer(text))
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [tuple(span) for span in merged]


def tidy(text: str) -> str:
    """Spaces after a deletion: no doubles, none before punctuation, none at the ends."""
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r" +([,.;:!?)\]])", r"\1", text)
    text = re.sub(r"([(\[]) +", r"\1", text)
    text = re.sub(r"^[\s,;:]+", "", text)
    return text.strip()


def replace_spans(text: str, spans, new: str) -> str:
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return tidy(text)


_FUNCTION = {"of", "the", "and", "for", "in", "on", "to", "a", "an", "with", "at", "by", "are", "is", "as"}

# General English synonyms (not taken from the data), both ways.
_SYNONYM_PAIRS = """important significant; major key; promote advance; increase raise; build construct;
help assist; support back; improve enhance; protect safeguard; large big; rapid fast; strengthen reinforce;
ensure guarantee; area region; country nation; began started; said stated; many numerous; whole entire;
main principal; achieve attain; global worldwide; measures steps; efforts endeavours; cooperation collaboration;
goal objective; goals objectives; very extremely; small little; quickly rapidly; house home; road street;
asked enquired; looked glanced; afraid scared; shouted yelled; happy glad; began commenced; said remarked;
method approach; methods approaches; problem issue; problems issues; shows demonstrates; use employ;
people persons; however but; often frequently; also likewise; difficult hard; first initial"""
SYNONYMS: dict[str, str] = {}
for _pair in _SYNONYM_PAIRS.replace("\n", " ").split(";"):
    _a, _b = _pair.split()
    SYNONYMS.setdefault(_a, _b)
    SYNONYMS.setdefault(_b, _a)

_FULL_TO_HALF = str.maketrans({"，": ",", "。": ".", "；": ";", "：": ":", "！": "!", "？": "?",
                               "（": "(", "）": ")", "“": '"', "”": '"'})
_FINAL = re.compile(r"[.!?。！？]+$")


def _match_case(word: str, like: str) -> str:
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


# ---------------------------------------------------------------- injections


@dataclass
class Injection:
    kind: str
    expect: str  # the check that must fire
    doc: str
    index: int  # the clean segment's index in its document
    segment: Segment
    term: str | None = None  # the glossary entry (Chinese headword) for term kinds
    insert_at: int | None = None  # duplicates: before which clean index the copy goes
    detail: str = ""
    naive_forms: tuple = ()  # for the naive term check: (headword, preferred) or misuse forms
    error: bool = True  # False: a harmless variant, no check should fire


def term_candidates(documents, glossary, context) -> list[tuple[str, int, object, list]]:
    """(doc, index, entry, spans of the entry's accepted renderings in the target) for every glossary
    entry that the scan finds in a source and whose accepted rendering the target holds."""
    found = []
    for doc, segments in documents.items():
        for index, segment in enumerate(segments):
            if not segment.target or not segment.source:
                continue
            entries = {}
            for occurrence in context.scan(segment.source):
                entries.setdefault(occurrence.entry.zh, occurrence.entry)
            for entry in entries.values():
                spans = plain_spans(entry.accepted, segment.target)
                if spans:
                    found.append((doc, index, entry, spans))
    return found


def make_term_injections(documents, glossary, context, rng) -> tuple[dict[str, list[Injection]], int, Counter]:
    """One term per candidate segment, injected three ways (separate copies): by kind, with the number
    of candidate segments and what could not be injected."""
    candidates = term_candidates(documents, glossary, context)
    by_segment: dict[tuple[str, int], list] = defaultdict(list)
    for doc, index, entry, spans in candidates:
        by_segment[(doc, index)].append((entry, spans))
    by_type: dict[str, list] = defaultdict(list)
    for entry in glossary:
        by_type[entry.type].append(entry)
    out: dict[str, list[Injection]] = defaultdict(list)
    skipped = Counter()
    for (doc, index), choices in sorted(by_segment.items()):
        segment = documents[doc][index]
        entry, spans = rng.choice(choices)
        own = [form for form, _ in entry.english_forms()]

        def clean_replacement(new_target: str) -> bool:
            return not plain_spans(entry.accepted, new_target)

        # (i) a wrong but plausible rendering: a paraphrase dropping a content word, or another entry's English.
        done = False
        words = list(re.finditer(r"[A-Za-z][A-Za-z'’\-]*", segment.target[spans[0][0]:spans[0][1]]))
        content = [w for w in words if w.group().lower() not in _FUNCTION]
        if len(spans) == 1 and len(content) >= 2 and rng.random() < 0.5:
            w = rng.choice(content)
            start = spans[0][0]
            new_target = tidy(segment.target[:start + w.start()] + segment.target[start + w.end():])
            if clean_replacement(new_target):
                out["term: paraphrase"].append(Injection(
                    "term: paraphrase", "term-mismatch", doc, index, Segment(segment.source, new_target),
                    entry.zh, detail=f"{entry.zh}: dropped {w.group()!r}", naive_forms=(entry.zh, entry.en)))
                done = True
        if not done:
            others = [e for e in by_type[entry.type] if e.zh != entry.zh
                      and not plain_spans(entry.accepted + own, e.en) and not plain_spans([e.en], " / ".join(own))]
            rng.shuffle(others)
            for other in others:
                new_target = replace_spans(segment.target, spans, other.en)
                if clean_replacement(new_target):
                    out["term: other entry"].append(Injection(
                        "term: other entry", "term-mismatch", doc, index, Segment(segment.source, new_target),
                        entry.zh, detail=f"{entry.zh}: {other.en!r} for {entry.en!r}",
                        naive_forms=(entry.zh, entry.en)))
                    break
            else:
                skipped["term (i): no replacement"] += 1
        # (ii) a deprecated or forbidden rendering of the entry.
        misuses = entry.en_deprecated + entry.en_forbidden
        if misuses:
            misuse = rng.choice(misuses)
            new_target = replace_spans(segment.target, spans, misuse)
            if clean_replacement(new_target):
                out["term: deprecated/forbidden"].append(Injection(
                    "term: deprecated/forbidden", "forbidden-term", doc, index, Segment(segment.source, new_target),
                    entry.zh, detail=f"{entry.zh}: {misuse!r}", naive_forms=(entry.zh, entry.en)))
        # (iii) the rendering deleted.
        new_target = replace_spans(segment.target, spans, "")
        if not re.search(r"[A-Za-z]", new_target):
            skipped["term (iii): nothing left"] += 1
        elif clean_replacement(new_target):
            out["term: deleted"].append(Injection(
                "term: deleted", "term-mismatch", doc, index, Segment(segment.source, new_target),
                entry.zh, detail=f"{entry.zh}: deleted", naive_forms=(entry.zh, entry.en)))
    return out, len(by_segment), skipped


def _changed_target(target: str, rng) -> tuple[str, str] | None:
    """The target with one change that makes it another translation: (text, what was done)."""
    words = list(re.finditer(r"[A-Za-z][A-Za-z'’]*", target))
    options = []
    if any(w.group().lower() in SYNONYMS for w in words):
        options.append("synonym")
    if len(words) >= 3:
        options.append("drop")
    body = _FINAL.sub("", target)
    if len([p for p in body.split(", ") if p.strip()]) >= 2:
        options.append("reorder")
    rng.shuffle(options)
    for option in options:
        if option == "synonym":
            w = rng.choice([w for w in words if w.group().lower() in SYNONYMS])
            new = target[:w.start()] + _match_case(SYNONYMS[w.group().lower()], w.group()) + target[w.end():]
            what = f"synonym {w.group()!r}"
        elif option == "drop":
            w = rng.choice(words)
            new = tidy(target[:w.start()] + target[w.end():])
            what = f"dropped {w.group()!r}"
        else:
            parts = [p for p in body.split(", ") if p.strip()]
            i = rng.randrange(len(parts) - 1)
            parts[i], parts[i + 1] = parts[i + 1], parts[i]
            new = ", ".join(parts) + target[len(body):]
            new = new[:1].upper() + new[1:]
            what = "clauses swapped"
        if target_key(new) != target_key(target) and re.search(r"[A-Za-z]", new):
            return new, what
    return None


def _changed_source(source: str, rng) -> tuple[str, str] | None:
    import jieba

    words = [w for w in jieba.lcut(source)]
    han = [i for i, w in enumerate(words) if han_count(w)]
    if len(han) < 2:
        return None
    if rng.random() < 0.5:
        i = rng.choice(han)
        new, what = "".join(words[:i] + words[i + 1:]), f"dropped {words[i]}"
    else:
        pairs = [i for i in han if i + 1 < len(words) and han_count(words[i + 1]) and words[i] != words[i + 1]]
        if not pairs:
            return None
        i = rng.choice(pairs)
        words[i], words[i + 1] = words[i + 1], words[i]
        new, what = "".join(words), f"swapped {words[i + 1]}/{words[i]}"
    return (new, what) if source_key(new) != source_key(source) and han_count(new) >= MIN_HAN else None


def _trivial_source(source: str, rng) -> tuple[str, str]:
    """The same source written differently: half-width punctuation, no final punctuation, Traditional."""
    options = ["traditional", "final"]
    if source.translate(_FULL_TO_HALF) != source:
        options.append("half-width")
    option = rng.choice(options)
    if option == "half-width":
        return source.translate(_FULL_TO_HALF), "half-width punctuation"
    if option == "final" and re.search(r"[。！？.!?]$", source):
        return re.sub(r"[。！？.!?]+$", "", source), "final punctuation dropped"
    traditional = to_traditional(source)
    if traditional != source:
        return traditional, "Traditional script"
    return source + "。" if not source.endswith("。") else source[:-1], "final punctuation changed"


def _trivial_target(target: str, rng) -> tuple[str, str]:
    """The same translation written differently: final punctuation, quote style, first-letter case."""
    options = ["final", "case"]
    if re.search("[’“”]", target):
        options.append("quotes")
    option = rng.choice(options)
    if option == "quotes":
        return target.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})), "straight quotes"
    if option == "case" and target[:1].isalpha():
        return (target[:1].lower() if target[:1].isupper() else target[:1].upper()) + target[1:], "first-letter case"
    if _FINAL.search(target):
        return _FINAL.sub("", target), "final punctuation dropped"
    return target + ".", "final full stop added"


def make_inconsistency_injections(documents, rng) -> dict[str, list[Injection]]:
    out: dict[str, list[Injection]] = defaultdict(list)
    for doc, segments in documents.items():
        sources = Counter(source_key(s.source) for s in segments)
        targets = Counter(target_key(s.target) for s in segments)
        exact_sources = Counter(s.source for s in segments)
        exact_targets = Counter(s.target for s in segments)
        for index, segment in enumerate(segments):
            if not segment.source or not segment.target or segment.source == segment.target:
                continue
            where = rng.choice([i for i in range(len(segments) + 1) if i not in (index, index + 1)] or [index])
            in_target_scope = han_count(segment.source) >= MIN_HAN and sources[source_key(segment.source)] == 1 \
                and exact_sources[segment.source] == 1
            in_source_scope = len(re.findall(r"[^\W_]+", segment.target)) >= MIN_WORDS \
                and targets[target_key(segment.target)] == 1 and exact_targets[segment.target] == 1
            kind = rng.choice(["target", "source", "hard", "none"])
            if kind == "target" and in_target_scope:
                changed = _changed_target(segment.target, rng)
                if changed:
                    out["inconsistent target"].append(Injection(
                        "inconsistent target", "inconsistent-target", doc, index,
                        Segment(segment.source, changed[0]), insert_at=where, detail=changed[1]))
            elif kind == "source" and in_source_scope:
                changed = _changed_source(segment.source, rng)
                if changed:
                    out["inconsistent source"].append(Injection(
                        "inconsistent source", "inconsistent-source", doc, index,
                        Segment(changed[0], segment.target), insert_at=where, detail=changed[1]))
            elif kind == "hard" and in_target_scope:
                changed = _changed_target(segment.target, rng)
                if changed:
                    source, how = _trivial_source(segment.source, rng)
                    out["inconsistent target, source reformatted"].append(Injection(
                        "inconsistent target, source reformatted", "inconsistent-target", doc, index,
                        Segment(source, changed[0]), insert_at=where, detail=f"{how}; {changed[1]}"))
            elif kind == "none" and in_target_scope and in_source_scope:
                if rng.random() < 0.5:
                    new, how = _trivial_target(segment.target, rng)
                    copy, expect = Segment(segment.source, new), "inconsistent-target"
                else:
                    new, how = _trivial_source(segment.source, rng)
                    copy, expect = Segment(new, segment.target), "inconsistent-source"
                out["no error: trivial variant"].append(Injection(
                    "no error: trivial variant", expect, doc, index, copy, insert_at=where, detail=how,
                    error=False))
    return out


# ---------------------------------------------------------------- naive peers


def naive_term_findings(segment: Segment, glossary) -> set[str]:
    """Headwords found as substrings of the source whose preferred English is not a substring of the target."""
    target = segment.target.lower()
    return {e.zh for e in glossary if e.zh in segment.source and e.en.lower() not in target}


def naive_banned(segment: Segment, banned: list[str]) -> bool:
    target = segment.target.lower()
    return any(form.lower() in target for form in banned)


def naive_inconsistency(segments: list[Segment]) -> dict[str, set[int]]:
    """Segments (0-based) in a group of equal sources with different targets, and of equal targets with
    different sources: exact strings."""
    out = {"inconsistent-target": set(), "inconsistent-source": set()}
    for check, key, value in (("inconsistent-target", "source", "target"), ("inconsistent-source", "target", "source")):
        groups: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        for i, s in enumerate(segments):
            if s.source and s.target:
                groups[getattr(s, key)][getattr(s, value)].append(i)
        for variants in groups.values():
            if len(variants) > 1:
                out[check].update(i for numbers in variants.values() for i in numbers)
    return out


# ---------------------------------------------------------------- running


def fired(findings) -> dict[int, list]:
    """0-based segment → findings touching it (as its segment or a related one)."""
    out: dict[int, list] = defaultdict(list)
    for f in findings:
        for n in {f.segment, *f.related}:
            out[n - 1].append(f)
    return out


@dataclass
class KindResult:
    n: int = 0
    hits: int = 0
    hits_warning: int = 0  # findings of severity warning or error
    other_new: Counter = field(default_factory=Counter)
    any_other_new: int = 0
    naive_hits: int = 0
    untouched: int = 0
    untouched_fired: Counter = field(default_factory=Counter)
    naive_untouched_fired: Counter = field(default_factory=Counter)
    misses: list = field(default_factory=list)


def run_kind(injections: list[Injection], documents, clean_checks, context, glossary, banned, rng) -> KindResult:
    result = KindResult()
    passes = [[], []]
    for injection in injections:
        passes[rng.randrange(2)].append(injection)
    for chosen in passes:
        by_doc: dict[str, list[Injection]] = defaultdict(list)
        for injection in chosen:
            by_doc[injection.doc].append(injection)
        for doc, segments in documents.items():
            todo = by_doc.get(doc, [])
            replaced = {i.index: i for i in todo if i.insert_at is None}
            inserted = defaultdict(list)
            for i in todo:
                if i.insert_at is not None:
                    inserted[i.insert_at].append(i)
            rows: list[tuple[Segment, Injection | None, int | None]] = []  # segment, injection, clean index
            for index in range(len(segments) + 1):
                for i in inserted.get(index, []):
                    rows.append((i.segment, i, None))
                if index < len(segments):
                    injection = replaced.get(index)
                    rows.append((injection.segment if injection else segments[index], injection, index))
            current = [row[0] for row in rows]
            by_segment = fired(run_checks(current, context=context))
            naive = naive_inconsistency(current)
            partners = {i.index for i in todo if i.insert_at is not None}
            for number, (segment, injection, clean_index) in enumerate(rows):
                found = by_segment.get(number, [])
                if injection is None:
                    if clean_index in partners:
                        continue
                    result.untouched += 1
                    for check in {f.check for f in found if f.check in WATCHED}:
                        result.untouched_fired[check] += 1
                    naive_checks = set()
                    if naive_term_findings(segment, glossary):
                        naive_checks.add("term-mismatch")
                    if naive_banned(segment, banned):
                        naive_checks.add("forbidden-term")
                    naive_checks |= {c for c, members in naive.items() if number in members}
                    for check in naive_checks:
                        result.naive_untouched_fired[check] += 1
                    continue
                result.n += 1
                intended = [f for f in found if f.check == injection.expect
                            and (injection.term is None or f.data.get("term") == injection.term)]
                if injection.kind.startswith("no error"):
                    intended = [f for f in found if f.check in INCONSISTENCY_CHECKS]
                if intended:
                    result.hits += 1
                    if any(f.severity in ("warning", "error") for f in intended):
                        result.hits_warning += 1
                if bool(intended) != injection.error:
                    result.misses.append((injection, segments[injection.index], found))
                before = clean_checks[(doc, injection.index)]
                new = {f.check for f in found if f not in intended} - before - {injection.expect}
                if injection.kind.startswith("no error"):
                    new -= set(INCONSISTENCY_CHECKS)
                for check in new:
                    result.other_new[check] += 1
                result.any_other_new += bool(new)
                if injection.expect == "term-mismatch":
                    result.naive_hits += injection.term in naive_term_findings(segment, glossary)
                elif injection.expect == "forbidden-term":
                    result.naive_hits += naive_banned(segment, banned)
                else:
                    result.naive_hits += number in naive[injection.expect] if injection.error else \
                        number in naive["inconsistent-target"] | naive["inconsistent-source"]
    return result


def has_number(segment: Segment) -> bool:
    return bool(read_chinese(segment.source) or read_english(segment.target))


def short(text: str, limit: int = 170) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=4, help="examples per check (clean findings, misses)")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--cache", type=Path, help="keep the white-paper alignment here (outside the repository)")
    args = parser.parse_args()
    if not WHITEPAPERS.is_dir() and not ALIGN_DEV.is_dir():
        sys.exit(f"{DATA} has neither examples/whitepapers nor align-dev: nothing to measure")
    if args.cache and Path(__file__).resolve().parents[1] in args.cache.resolve().parents:
        sys.exit("--cache must be outside the repository (the texts are not ours to copy)")
    started = time.perf_counter()
    rng = random.Random(args.seed)
    documents: dict[str, list[Segment]] = {}
    if WHITEPAPERS.is_dir():
        wp, note = whitepaper_documents(args.cache)
        documents.update(wp)
        print(f"white papers aligned ({time.perf_counter() - started:.0f} s): {note}")
    else:
        print(f"{WHITEPAPERS} is not here: white papers left out")
    if ALIGN_DEV.is_dir():
        documents.update(align_dev_documents())
    else:
        print(f"{ALIGN_DEV} is not here: align-dev left out")
    corpora = sorted({corpus_of(d) for d in documents}, key=lambda c: (c != "whitepapers", c))

    context = CheckContext()
    glossary = context.glossary
    checks = [c.id for c in select()]
    banned = sorted({form for e in glossary for form in e.en_deprecated + e.en_forbidden})

    # ------------------------------------------------ clean segments
    clean_checks: dict[tuple[str, int], set[str]] = {}
    clean_findings = []  # (doc, index, finding)
    totals: dict[str, Counter] = defaultdict(Counter)
    naive_clean: dict[str, Counter] = defaultdict(Counter)
    for doc, segments in documents.items():
        corpus = corpus_of(doc)
        by_segment = fired(run_checks(segments, context=context))
        naive = naive_inconsistency(segments)
        for index, segment in enumerate(segments):
            found = by_segment.get(index, [])
            clean_checks[(doc, index)] = {f.check for f in found}
            for f in found:
                if f.segment - 1 == index:
                    clean_findings.append((doc, index, f))
            for key in ["segments", *{f.check for f in found}]:
                totals[corpus][key] += 1
            if any(f.check == "term-mismatch" and f.severity != "info" for f in found):
                totals[corpus]["term-mismatch ≥warning"] += 1
            if any(f.check == "number-mismatch" for f in found):
                totals[corpus]["number-mismatch/numbers"] += 1
            if has_number(segment):
                totals[corpus]["with numbers"] += 1
            if context.scan(segment.source):
                totals[corpus]["with terms"] += 1
            if naive_term_findings(segment, glossary):
                naive_clean[corpus]["term-mismatch"] += 1
            if naive_banned(segment, banned):
                naive_clean[corpus]["forbidden-term"] += 1
            for check, members in naive.items():
                naive_clean[corpus][check] += index in members
            totals[corpus]["naive with terms"] += any(e.zh in segment.source for e in glossary)

    print(f"\n== clean segments: share of segments each check fires on (seed {args.seed})")
    header = f"{'check':27}" + "".join(f"{c:>14}" for c in corpora) + f"{'all':>14}"
    print(header)
    all_totals = sum(totals.values(), Counter())
    print(f"{'segments':27}" + "".join(f"{totals[c]['segments']:>14,}" for c in corpora)
          + f"{all_totals['segments']:>14,}")

    def rate(count, n):
        return f"{count / n:7.1%} {count:>5}" if n else f"{'-':>13}"

    for check in checks:
        print(f"{check:27}" + "".join(f"{rate(totals[c][check], totals[c]['segments']):>14}" for c in corpora)
              + f"{rate(all_totals[check], all_totals['segments']):>14}")
    print(f"{'  term-mismatch ≥warning':27}" + "".join(
        f"{rate(totals[c]['term-mismatch ≥warning'], totals[c]['segments']):>14}" for c in corpora)
        + f"{rate(all_totals['term-mismatch ≥warning'], all_totals['segments']):>14}")
    print(f"{'  term-mismatch/with a term':27}" + "".join(
        f"{rate(totals[c]['term-mismatch'], totals[c]['with terms']):>14}" for c in corpora)
        + f"{rate(all_totals['term-mismatch'], all_totals['with terms']):>14}")
    print(f"{'  number/with a number':27}" + "".join(
        f"{rate(totals[c]['number-mismatch/numbers'], totals[c]['with numbers']):>14}" for c in corpora)
        + f"{rate(all_totals['number-mismatch/numbers'], all_totals['with numbers']):>14}")
    naive_all = sum(naive_clean.values(), Counter())
    for check in WATCHED:
        print(f"{'naive ' + check:27}" + "".join(
            f"{rate(naive_clean[c][check], totals[c]['segments']):>14}" for c in corpora)
            + f"{rate(naive_all[check], all_totals['segments']):>14}")
    print("(segments with a glossary term in the source: "
          + ", ".join(f"{c} {totals[c]['with terms']}" for c in corpora)
          + "; with a number on either side: " + ", ".join(f"{c} {totals[c]['with numbers']}" for c in corpora) + ")")

    print(f"\n== examples of findings on clean segments (up to {args.examples} per check, seeded)")
    example_rng = random.Random(args.seed)
    for check in checks:
        mine = [item for item in clean_findings if item[2].check == check]
        if not mine:
            continue
        print(f"-- {check}: {len(mine)} findings")
        for doc, index, f in sorted(example_rng.sample(mine, min(args.examples, len(mine))),
                                    key=lambda item: (item[0], item[1])):
            segment = documents[doc][index]
            print(f"   [{doc} #{index + 1}] {f.severity}: {short(f.message, 140)}")
            print(f"      zh: {short(segment.source)}")
            print(f"      en: {short(segment.target)}")

    # ------------------------------------------------ injected errors
    term_injections, term_segments, skipped = make_term_injections(documents, glossary, context, rng)
    inconsistency_injections = make_inconsistency_injections(documents, rng)
    kinds = {**term_injections, **inconsistency_injections}
    order = ["term: other entry", "term: paraphrase", "term: deleted", "term: deprecated/forbidden",
             "inconsistent target", "inconsistent target, source reformatted", "inconsistent source",
             "no error: trivial variant"]
    print(f"\n== injected errors: {term_segments} segments with a glossary term rendered as accepted"
          + "".join(f"; {k}: {v}" for k, v in sorted(skipped.items())))
    results = {}
    for kind in order:
        injections = kinds.get(kind, [])
        if not injections:
            continue
        results[kind] = run_kind(injections, documents, clean_checks, context, glossary, banned, rng)
        by_corpus = Counter(corpus_of(i.doc) for i in injections)
        print(f"-- {kind}: {len(injections)} ({', '.join(f'{c} {n}' for c, n in sorted(by_corpus.items()))})")
        r = results[kind]
        if r.other_new:
            print("   other checks newly firing: " + ", ".join(f"{c} {n}" for c, n in r.other_new.most_common()))
        if r.misses:
            how = Counter(i.detail.split(";")[0] if i.insert_at is not None else i.kind for i, _, _ in r.misses)
            print(f"   {'missed' if injections[0].error else 'fired on'} {len(r.misses)}: "
                  + ", ".join(f"{k} {v}" for k, v in how.most_common()))
        for injection, original, found in r.misses[:args.examples]:
            print(f"   {'missed' if injection.error else 'fired'} [{injection.doc} #{injection.index + 1}] "
                  f"{injection.detail}")
            if injection.term:
                entry = glossary.get(injection.term)
                still = [injection.segment.target[s:e] for form in entry.accepted
                         for s, e in find_rendering(form, injection.segment.target, lenient=True)]
                if still:
                    print(f"      (the check still sees an accepted rendering: {still})")
            print(f"      zh: {short(injection.segment.source)}")
            print(f"      en: {short(injection.segment.target)}")
            if injection.insert_at is not None:
                print(f"      clean zh: {short(original.source)}")
                print(f"      clean en: {short(original.target)}")
            if found:
                print("      findings: " + "; ".join(f"{f.check}: {short(f.message, 90)}" for f in found))

    # ------------------------------------------------ summary
    print("\n== summary")
    print(f"{'injected error':42}{'n':>5}{'ours':>8}{'≥warn':>8}{'other new':>10}{'naive':>8}")
    for kind, r in results.items():
        if kind.startswith("no error"):
            continue
        print(f"{kind:42}{r.n:>5}{r.hits / r.n:>8.1%}{r.hits_warning / r.n:>8.1%}"
              f"{r.any_other_new / r.n:>10.1%}{r.naive_hits / r.n:>8.1%}")
    pooled = defaultdict(lambda: [0, 0, 0])
    for kind, r in results.items():
        if kind.startswith("no error"):
            continue
        group = "term" if kind.startswith("term") else "inconsistency"
        pooled[group][0] += r.n
        pooled[group][1] += r.hits
        pooled[group][2] += r.naive_hits
    for group, (n, hits, naive_hits) in pooled.items():
        verdict = "met" if hits / n >= 0.95 else "NOT met"
        print(f"{'all ' + group + ' errors':42}{n:>5}{hits / n:>8.1%}{'':>8}{'':>10}{naive_hits / n:>8.1%}"
              f"   target ≥95%: {verdict}")
    if "no error: trivial variant" in results:
        r = results["no error: trivial variant"]
        print(f"{'no error, trivial variant: fired (lower=better)':42}{r.n:>5}{r.hits / r.n:>8.1%}"
              f"{'':>8}{'':>10}{r.naive_hits / r.n:>8.1%}")
    print("\nfalse alarms on untouched segments of the injected runs (share of untouched segments):")
    untouched = sum(r.untouched for r in results.values())
    ours = sum((r.untouched_fired for r in results.values()), Counter())
    naive_counts = sum((r.naive_untouched_fired for r in results.values()), Counter())
    for check in WATCHED:
        print(f"  {check:22} ours {ours[check] / untouched:6.2%}   naive {naive_counts[check] / untouched:6.2%}")
    n_numbers = all_totals["with numbers"]
    print(f"\nnumber-mismatch on clean segments with a number: {all_totals['number-mismatch/numbers']}/{n_numbers}"
          f" = {all_totals['number-mismatch/numbers'] / max(n_numbers, 1):.2%} (target ≤2%: "
          f"{'met' if all_totals['number-mismatch/numbers'] <= 0.02 * n_numbers else 'NOT met'};"
          " recall: benchmarks/check_numbers.py)")
    print(f"took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
