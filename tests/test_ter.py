"""tm.ter is sacrebleu's TER, number for number, on real sentences and on adversarial ones."""
import random
from pathlib import Path

from hypothesis import given, settings, strategies as st
from rapidfuzz.distance import Levenshtein
from sacrebleu.metrics import lib_ter

from tm import ter

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "en"


def sentences() -> list[list[str]]:
    out = []
    for path in sorted(EXAMPLES.glob("*.txt")):
        for paragraph in path.read_text(encoding="utf-8").splitlines():
            out += [s.lower().split() + ["."] for s in paragraph.split(". ") if s.strip()]
    return out


KINDS = ("drop", "swap", "move", "noise", "shuffle", "other", "longer", "same")


def variant(words: list[str], rng: random.Random, pool: list[list[str]], kinds=KINDS) -> list[str]:
    words = list(words)
    kind = rng.choice(kinds)
    if len(words) < 3 or kind == "same":
        return words
    if kind == "drop":
        del words[rng.randrange(len(words))]
    elif kind == "swap":
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    elif kind == "move":  # a block moved elsewhere: what TER's shifts are for
        i = rng.randrange(len(words))
        block = words[i:i + rng.randrange(1, 8)]
        del words[i:i + len(block)]
        at = rng.randrange(len(words) + 1)
        words[at:at] = block
    elif kind == "noise":  # many edits: distances past the fast path
        for _ in range(rng.randrange(5, 20)):
            words[rng.randrange(len(words))] = rng.choice(["the", "of", "a", "office", "plan"])
    elif kind == "shuffle":
        rng.shuffle(words)
    elif kind == "other":
        words = list(rng.choice(pool))
    else:
        words = words + rng.choice(pool) + words[:4]
    return words


def same(hyp, ref):
    assert ter.translation_edit_rate(hyp, ref) == lib_ter.translation_edit_rate(hyp, ref), (hyp, ref)


def test_the_same_edits_as_sacrebleu_on_edited_sentences():
    pool = sentences()
    rng = random.Random(11)
    for ref in pool:
        for _ in range(3):
            same(variant(ref, rng, pool), ref)


def test_the_same_edits_on_long_segments_where_the_beam_binds():
    pool = sentences()
    rng = random.Random(10)
    bound = 0
    for _ in range(4):
        ref = [w for _ in range(4) for w in rng.choice(pool)]  # 80+ words
        hyp = variant(ref, rng, pool, ("drop", "swap", "move"))  # sacrebleu is slow on many edits
        at = rng.randrange(len(hyp))  # a long new stretch: the best alignment runs far off the diagonal
        hyp = hyp[:at] + [f"new{k}" for k in range(rng.randrange(30, 60))] + hyp[at:]
        same(hyp, ref)
        ids: dict[str, int] = {}
        r, h = [ids.setdefault(w, len(ids)) for w in ref], [ids.setdefault(w, len(ids)) for w in hyp]
        bound += ter._beam_matrix(h, r)[-1][-1] > Levenshtein.distance(h, r)
    assert bound >= 1  # the beam did cut off the best alignment


def test_empty_sides():
    same([], ["a", "b"])
    same(["a", "b"], [])
    same([], [])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from("abcd"), max_size=14), st.lists(st.sampled_from("abcd"), max_size=14))
def test_the_same_edits_on_tiny_vocabularies_full_of_ties(hyp, ref):
    same(hyp, ref)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from("abcdefg"), min_size=30, max_size=70),
       st.lists(st.sampled_from("abcdefg"), min_size=30, max_size=70))
def test_the_same_beam_distance_and_trace_far_past_the_fast_path(hyp, ref):
    ids = {w: i for i, w in enumerate("abcdefg")}
    expected_distance, expected_trace = lib_ter.BeamEditDistance(ref)(hyp)
    assert ter._distance_and_trace([ids[w] for w in hyp], [ids[w] for w in ref]) == (
        expected_distance, expected_trace)
