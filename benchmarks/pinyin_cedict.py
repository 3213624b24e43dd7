"""Agreement of our word readings with CC-CEDICT over its multi-syllable entries.

Prints, for every multi-character all-Han CC-CEDICT headword, whether the
syllables we give (``glossary.pinyin.syllables``) equal one of CC-CEDICT's
readings for that headword (tones compared, case ignored, neutral tone = 5),
next to the same figure for plain pypinyin, then the commonest remaining
disagreements by character. Run: ``python benchmarks/pinyin_cedict.py``.
"""
from __future__ import annotations

import collections
import re
import sys
import time

from pypinyin import Style, lazy_pinyin

from glossary import cedict
from glossary.pinyin import _PYPINYIN_PHRASES, number_tone, syllables

HAN_WORD = re.compile(r"^[\u4e00-\u9fff]{2,}$")


def cedict_readings() -> dict[str, set[tuple[str, ...]]]:
    readings: dict[str, set[tuple[str, ...]]] = collections.defaultdict(set)
    for entry in cedict.entries():
        sylls = tuple(s.lower() for s in entry.syllables)
        if HAN_WORD.match(entry.simplified) and len(sylls) == len(entry.simplified):
            readings[entry.simplified].add(sylls)
    return readings


def ours(word: str) -> tuple[str, ...]:
    return tuple(number_tone(s).lower() for s in syllables(word))


def plain_pypinyin(word: str) -> tuple[str, ...]:
    return tuple(s.replace("ü", "v") for s in
                 lazy_pinyin(word, style=Style.TONE3, neutral_tone_with_five=True))


def main(top: int = 25) -> None:
    readings = cedict_readings()
    print(f"CC-CEDICT multi-syllable Han headwords: {len(readings):,}")
    for name, reader in (("pypinyin alone", plain_pypinyin), ("glossary.pinyin", ours)):
        start = time.perf_counter()
        agree = 0
        misses: collections.Counter = collections.Counter()
        examples: dict = collections.defaultdict(list)
        for word, accepted in readings.items():
            got = reader(word)
            if got in accepted:
                agree += 1
                continue
            want = min(accepted)
            for char, a, b in zip(word, got, want):
                if a != b:
                    misses[(char, a, b)] += 1
                    examples[(char, a, b)].append(word)
        took = time.perf_counter() - start
        print(f"{name:16} agreement {agree / len(readings):.2%} "
              f"({agree:,}/{len(readings):,}) in {took:.1f} s")
    # Where did each reading come from? Agreement on CC-CEDICT-supplied words is
    # by construction; the honest figures are the other two rows.
    unique = cedict.unique_readings()
    groups: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for word, accepted in readings.items():
        if word in _PYPINYIN_PHRASES:
            source = "pypinyin phrase table"
        elif word in unique:
            source = "CC-CEDICT (by construction)"
        else:
            source = "character by character"
        groups[source][0] += ours(word) in accepted
        groups[source][1] += 1
    print("\nglossary.pinyin by source of the reading:")
    for source, (agree, total) in sorted(groups.items()):
        print(f"  {source:28} {agree / total:7.2%} of {total:,}")
    print(f"\nCommonest remaining disagreements (char, ours, CC-CEDICT, count, examples):")
    for (char, a, b), count in misses.most_common(top):
        print(f"  {char} {a:>8} {b:>8} {count:5}  {' '.join(examples[(char, a, b)][:4])}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 25)
