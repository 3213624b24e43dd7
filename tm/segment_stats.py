"""Per-segment statistics of sacrebleu's BLEU, chrF++ and TER: sacrebleu's own, computed faster.

Each function returns, for one hypothesis and one reference, the list that
sacrebleu's ``Metric._extract_corpus_statistics`` holds for that segment, so
that ``metric._compute_score_from_stats`` (one segment) and
``metric._aggregate_and_compute`` (all of them) give sacrebleu's
``sentence_score`` and ``corpus_score``, number for number:

* BLEU: ``[hyp_len, ref_len, correct_1..4, total_1..4]`` over sacrebleu's 13a
  tokens (its own tokenizer);
* chrF++: ``[hyp, ref, match]`` for character orders 1–6 and word orders 1–2
  (sacrebleu's punctuation splitting), a hypothesis count of 0 where the
  reference has no n-gram of that order, as sacrebleu has it;
* TER: ``[edits, reference length]`` on sacrebleu's tercom tokens, the edits
  from :func:`tm.ter.translation_edit_rate`.

What is faster: n-grams are built and intersected by C-level ``map``, ``zip``
and set operations instead of Python loops (clipped matches are
``Σ min(hyp count, ref count)`` over the n-grams the two share: the size of a
set intersection where one side repeats nothing); 13a's first rule (spaces
around symbols) is a translation table instead of a regex with a template;
TER as :mod:`tm.ter` says. ``tests/test_score.py`` holds them to sacrebleu's numbers.
"""
from __future__ import annotations

import functools
import itertools
import operator
import re
from collections import Counter

from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a
from sacrebleu.tokenizers.tokenizer_re import TokenizerRegexp

from .ter import translation_edit_rate


def _clipped(hyp: list, ref: list) -> int:
    """Σ min(hyp count, ref count) over the n-grams both lists have.

    Where one side repeats no n-gram (most n-grams of a sentence), that is the
    size of the two sets' intersection; otherwise the counts are compared.
    """
    hyp_set, ref_set = set(hyp), set(ref)
    if len(hyp_set) == len(hyp) or len(ref_set) == len(ref):
        return len(hyp_set & ref_set)
    hyp_counts, ref_counts = Counter(hyp), Counter(ref)
    common = hyp_set & ref_set
    return sum(map(min, map(hyp_counts.__getitem__, common), map(ref_counts.__getitem__, common)))


def _word_ngrams(tokens: list, n: int) -> list:
    return list(zip(*(tokens[k:] for k in range(n)))) if n > 1 else [(t,) for t in tokens]


# sacrebleu's 13a tokenizer. Its first rule puts spaces around each character of one class,
# one character at a time: a translation table does the same (the class holds the space
# itself, which gains nothing from spaces around it: the later rules see the same neighbours
# and whitespace is collapsed at the end). The other three replace a
# two-character match by the two characters with spaces: sacrebleu's own patterns split the
# line at the same matches, and the pieces are joined again with the spaces, without a
# template expanded per match.
_POST = TokenizerRegexp()
_FIRST_RULE = str.maketrans({chr(c): f" {chr(c)} " for c in range(128)
                             if _POST._re[0][0].fullmatch(chr(c)) and c != 0x20})  # spaces around a space: no change
_PAIR_RULES = tuple((pattern, {r"\1 \2 ": "{} {} ".format, r" \1 \2": " {} {}".format}[replacement])
                    for pattern, replacement in _POST._re[1:])


@functools.lru_cache(maxsize=2 ** 16)
def tokenize_13a(line: str) -> str:
    """``Tokenizer13a()(line)``, exactly (``tests/test_score.py`` compares them)."""
    line = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ")
    if "&" in line:
        line = line.replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    line = f" {line} ".translate(_FIRST_RULE)
    for pattern, replacement in _PAIR_RULES:
        parts = pattern.split(line)
        if len(parts) > 1:
            texts = parts[0::3]
            line = "".join(itertools.chain.from_iterable(
                zip(texts, map(replacement, parts[1::3], parts[2::3])))) + texts[-1]
    return " ".join(line.split())


def _bleu_tokens(metric: BLEU, text: str) -> list[str]:
    if type(metric.tokenizer) is Tokenizer13a:
        return tokenize_13a((text.lower() if metric.lowercase else text).rstrip()).split()
    return metric._preprocess_segment(text).split()


def bleu_statistics(metric: BLEU, hypothesis: str, reference: str) -> list[int]:
    """sacrebleu's BLEU statistics of one segment with one reference (``metric``'s tokenizer and order)."""
    hyp, ref = _bleu_tokens(metric, hypothesis), _bleu_tokens(metric, reference)
    correct, total = [], []
    for n in range(1, metric.max_ngram_order + 1):
        correct.append(_clipped(_word_ngrams(hyp, n), _word_ngrams(ref, n)))
        total.append(max(len(hyp) - n + 1, 0))
    return [len(hyp), len(ref)] + correct + total


def _char_ngrams(text: str, order: int) -> list[list[str]]:
    """Character n-grams of orders 1..``order`` (whitespace removed, as sacrebleu does)."""
    text = "".join(text.split())
    grams = [list(text)]
    for n in range(2, order + 1):
        grams.append(list(map(operator.add, grams[-1], text[n - 1:])))
    return grams


def chrf_statistics(metric: CHRF, hypothesis: str, reference: str) -> list[int]:
    """sacrebleu's chrF statistics of one segment with one reference (``metric``'s orders)."""
    if metric.whitespace or metric.eps_smoothing:
        raise ValueError("only sacrebleu's default chrF (no whitespace, effective-order smoothing) is supported")
    hyp_text, ref_text = metric._preprocess_segment(hypothesis), metric._preprocess_segment(reference)
    hyp_grams = _char_ngrams(hyp_text, metric.char_order)
    ref_grams = _char_ngrams(ref_text, metric.char_order)
    if metric.word_order > 0:
        hyp_words, ref_words = metric._remove_punctuation(hyp_text), metric._remove_punctuation(ref_text)
        for n in range(1, metric.word_order + 1):
            hyp_grams.append([" ".join(g) for g in _word_ngrams(hyp_words, n)])
            ref_grams.append([" ".join(g) for g in _word_ngrams(ref_words, n)])
    stats: list[int] = []
    for hyp, ref in zip(hyp_grams, ref_grams):
        match = _clipped(hyp, ref) if hyp and ref else 0
        stats += [len(hyp) if ref else 0, len(ref), match]
    return stats


BATCH = 500  # segments whose n-grams are counted together


def _shared_counts(hyp_keys, ref_keys, segments: int, shift: int):
    """Per segment, Σ min(hyp count, ref count) over keys ``segment << shift | n-gram``."""
    import numpy as np

    (hyp_keys, hyp_counts), (ref_keys, ref_counts) = (np.unique(hyp_keys, return_counts=True),
                                                      np.unique(ref_keys, return_counts=True))
    where = np.searchsorted(ref_keys, hyp_keys)
    where[where >= len(ref_keys)] = 0
    shared = ref_keys[where] == hyp_keys if len(ref_keys) else np.zeros(len(hyp_keys), dtype=bool)
    return np.bincount(hyp_keys[shared] >> shift, minlength=segments,
                       weights=np.minimum(hyp_counts[shared], ref_counts[where[shared]])).astype(np.int64)


def _word_table(hyps: list[list[str]], refs: list[list[str]], order: int):
    """Per segment and n = 1..``order``: clipped matches, hypothesis n-grams and reference
    n-grams of token lists, as three ``segments × order`` integer arrays.

    Tokens become integers (the position of their first appearance in the batch); an
    n-gram's number is the rank of (its first n-1 tokens' number, its last token), so
    every n-gram is one exact integer, counted per segment by sorting.
    """
    import numpy as np

    first: dict[str, int] = {}
    numbering = itertools.count()
    sides = []
    for tokens in (hyps, refs):
        lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
        flat = list(map(first.setdefault, itertools.chain.from_iterable(tokens), numbering))
        ids = np.array(flat, dtype=np.int64)
        segment = np.repeat(np.arange(len(tokens), dtype=np.int64), lengths)
        ends = np.repeat(np.cumsum(lengths), lengths)
        sides.append([ids, segment, ends, lengths, ids])
    size = next(numbering) + 1  # every token number is below it
    matches = np.zeros((len(hyps), order), dtype=np.int64)
    totals = [np.zeros((len(hyps), order), dtype=np.int64) for _ in sides]
    shift = 32
    for n in range(1, order + 1):
        if n > 1:  # rank the (n-1)-gram numbers and the next token together: exact, dense
            split = max(len(sides[0][4]) - 1, 0)
            pairs = np.concatenate([sides[0][4][:-1] * size + sides[0][0][n - 1:],
                                    sides[1][4][:-1] * size + sides[1][0][n - 1:]])
            _, ranks = np.unique(pairs, return_inverse=True)
            sides[0][4], sides[1][4] = ranks[:split], ranks[split:]
        keys = []
        for (ids, segment, ends, lengths, grams), total in zip(sides, totals):
            valid = np.arange(len(grams)) + n <= ends[:len(grams)]
            keys.append((segment[:len(grams)][valid] << shift) | grams[valid])
            total[:, n - 1] = np.maximum(lengths - n + 1, 0)
        matches[:, n - 1] = _shared_counts(keys[0], keys[1], len(hyps), shift)
    return matches, totals[0], totals[1]


def bleu_statistics_batch(metric: BLEU, hypotheses: list[str], references: list[str]) -> list[list[int]]:
    """:func:`bleu_statistics` of many segments at once: the n-grams counted with numpy
    (:func:`_word_table`)."""
    import numpy as np

    out: list[list[int]] = []
    for at in range(0, len(hypotheses), BATCH):
        hyps = [_bleu_tokens(metric, h) for h in hypotheses[at:at + BATCH]]
        refs = [_bleu_tokens(metric, r) for r in references[at:at + BATCH]]
        matches, hyp_totals, _ = _word_table(hyps, refs, metric.max_ngram_order)
        lengths = np.array([[len(h), len(r)] for h, r in zip(hyps, refs)], dtype=np.int64).reshape(-1, 2)
        out += np.hstack([lengths, matches, hyp_totals]).tolist()
    return out


_PUNCT = "[" + "".join(re.escape(c) for c in sorted(CHRF._PUNCTS)) + "]"
# A word (two characters or more) that ends in punctuation loses it, else one that starts with it.
_EDGE = re.compile(rf"(?<!\S)(?:(\S+)({_PUNCT})|({_PUNCT})(\S+))(?!\S)")


def remove_punctuation(text: str) -> list[str]:
    """``CHRF()._remove_punctuation(text)``, exactly (tested against it), in one C-level pass:
    the split keeps the two halves of each such word as separate pieces."""
    return " ".join(filter(None, _EDGE.split(text))).split()


def chrf_statistics_batch(metric: CHRF, hypotheses: list[str], references: list[str]) -> list[list[int]]:
    """:func:`chrf_statistics` of many segments at once, the n-grams counted with numpy.

    Each character n-gram of a batch becomes one integer (its characters' ranks in
    the batch's alphabet, packed, and its segment's number above them: exact, no
    hashing); sorting these gives every n-gram's count per segment, and the counts
    that hypothesis and reference share give the clipped matches. A batch whose
    alphabet is too large to pack, or that cannot be encoded, is counted segment by
    segment. Word n-grams go through :func:`_word_table`.
    """
    import numpy as np

    if metric.whitespace or metric.eps_smoothing:
        raise ValueError("only sacrebleu's default chrF (no whitespace, effective-order smoothing) is supported")
    out: list[list[int]] = []
    for at in range(0, len(hypotheses), BATCH):
        hyps = [metric._preprocess_segment(h) for h in hypotheses[at:at + BATCH]]
        refs = [metric._preprocess_segment(r) for r in references[at:at + BATCH]]
        chars = _char_batch(hyps, refs, metric.char_order)
        if chars is None:
            out += [chrf_statistics(metric, h, r) for h, r in zip(hyps, refs)]
            continue
        table = chars
        if metric.word_order > 0:
            matches, hyp_totals, ref_totals = _word_table([remove_punctuation(h) for h in hyps],
                                                          [remove_punctuation(r) for r in refs],
                                                          metric.word_order)
            words = np.stack([np.where(ref_totals > 0, hyp_totals, 0), ref_totals, matches], axis=2)
            table = np.hstack([table, words.reshape(len(hyps), -1)])
        out += table.tolist()
    return out


def _char_batch(hyps: list[str], refs: list[str], order: int):
    """[hyp, ref, match] for character orders 1..``order``, a ``segments × 3·order`` integer
    array, or None (see above)."""
    import numpy as np

    sides = []
    try:
        for texts in (hyps, refs):
            stripped = ["".join(t.split()) for t in texts]
            lengths = np.fromiter(map(len, stripped), dtype=np.int64, count=len(stripped))
            codes = np.frombuffer("".join(stripped).encode("utf-32-le"), dtype=np.uint32)
            sides.append((codes, lengths))
    except UnicodeEncodeError:  # a lone surrogate
        return None
    alphabet, ranks = np.unique(np.concatenate([sides[0][0], sides[1][0]]), return_inverse=True)
    bits = max(1, (len(alphabet) - 1).bit_length())
    segment_bits = max(1, (len(hyps) - 1).bit_length())
    if bits * order + segment_bits > 62:
        return None
    split = len(sides[0][0])
    prepared = []
    for (codes, lengths), symbols in zip(sides, (ranks[:split], ranks[split:])):
        segment = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
        ends = np.repeat(np.cumsum(lengths), lengths)
        prepared.append([symbols.astype(np.int64), segment, ends, lengths, symbols.astype(np.int64)])
    table = np.zeros((len(hyps), 3 * order), dtype=np.int64)
    for n in range(1, order + 1):
        keys = []
        for side in prepared:
            symbols, segment, ends, lengths, packed = side
            if n > 1:
                packed = side[4] = (packed[:-1] << bits) | symbols[n - 1:]
            valid = np.arange(len(packed)) + n <= ends[:len(packed)]
            keys.append((segment[:len(packed)][valid] << (bits * n)) | packed[valid])
        matches = _shared_counts(keys[0], keys[1], len(hyps), bits * n)
        hyp_total = np.maximum(prepared[0][3] - n + 1, 0)
        ref_total = np.maximum(prepared[1][3] - n + 1, 0)
        table[:, 3 * (n - 1)] = np.where(ref_total > 0, hyp_total, 0)
        table[:, 3 * (n - 1) + 1] = ref_total
        table[:, 3 * (n - 1) + 2] = matches
    return table


def ter_statistics(metric: TER, hypothesis: str, reference: str) -> list:
    """sacrebleu's TER statistics of one segment with one reference: ``[edits, length / 1]``."""
    edits, length = translation_edit_rate(metric._preprocess_segment(hypothesis).split(),
                                          metric._preprocess_segment(reference).split())
    return [edits, length / 1]
