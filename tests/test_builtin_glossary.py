"""The bundled governance glossary: complete, consistent, and what the seed stories need."""
import dataclasses
import re
import unicodedata

import pytest

from glossary.model import TERM_TYPES
from glossary.pinyin import number_tone, syllables
from glossary.termbase import Glossary, builtin_path
from glossary.tsv import read_csv

FIELDS = {"politics", "party", "government", "economy", "finance", "law", "diplomacy", "society",
          "environment", "military", "administration"}


@pytest.fixture(scope="module")
def entries():
    return read_csv(builtin_path())


@pytest.fixture(scope="module")
def glossary():
    return Glossary.load()


def test_it_has_at_least_300_concepts_each_with_type_field_pinyin_and_source(entries):
    assert len(entries) >= 300
    for entry in entries:
        assert entry.type in TERM_TYPES, entry.zh
        assert entry.field in FIELDS, entry.zh
        assert entry.pinyin and entry.source, entry.zh


def test_no_chinese_form_stands_for_two_concepts(entries):
    seen = {}
    for entry in entries:
        for form in [entry.zh, *entry.zh_variants]:
            assert seen.setdefault(form, entry.zh) == entry.zh, f"{form} in {seen[form]} and {entry.zh}"


def test_no_english_rendering_is_both_accepted_and_rejected(entries):
    for entry in entries:
        assert not set(entry.accepted) & set(entry.en_deprecated + entry.en_forbidden), entry.zh


_V = "aeiouüāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_SYLLABLE = re.compile(
    rf"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?[{_V}]+(?:ng(?![{_V}])|n(?![{_V}])|r(?![{_V}]))?")


def _syllables_of(pinyin: str) -> list[str]:
    """Lower-case syllables of written pinyin: "Xī'ān Shì" → ["xī", "ān", "shì"]."""
    words = re.split(r"[\s'\-]+", unicodedata.normalize("NFC", pinyin.lower()))
    return [s for w in words for s in _SYLLABLE.findall(w)]


def test_pinyin_is_written_in_standard_orthography(entries):
    for entry in entries:
        assert unicodedata.is_normalized("NFC", entry.pinyin), entry.zh
        assert not re.search(r"[0-9]", entry.pinyin) or re.search(r"[0-9]", entry.zh), entry.zh
        for word in re.split(r"[\s\-]+", entry.pinyin.lower()):
            # inside a word, a syllable starting with a, o or e follows an apostrophe
            for match in _SYLLABLE.finditer(word):
                if match.start() > 0 and match.group()[0] in "aāáǎàoōóǒòeēéěè":
                    assert word[match.start() - 1] == "'", (entry.zh, entry.pinyin)


#: Hand-written readings that differ from the generator, each reviewed: the data is right.
REVIEWED_READINGS = {
    "总书记": "书记 written shūjì as in every other title with 书记",
    "乡长": "长 of a head of office is zhǎng; the generator reads cháng",
    "曹妃甸区": "the place name reads diàn",
    "四个全面": "citation tone gè",
    "老虎苍蝇一起打": "苍蝇 has a neutral second syllable, cāngying",
}


def test_pinyin_has_one_syllable_per_character_and_agrees_with_our_reading(entries):
    disagreements = set()
    for entry in entries:
        han = [c for c in entry.zh if "\u4e00" <= c <= "\u9fff"]
        written = [number_tone(s) for s in _syllables_of(entry.pinyin)]
        assert len(written) == len(han), (entry.zh, entry.pinyin, written)
        ours = [number_tone(s).lower() for s in syllables("".join(han))]
        if written != ours:
            disagreements.add(entry.zh)
    assert disagreements == set(REVIEWED_READINGS)


@pytest.mark.parametrize("zh, en", [
    ("驻京办事处", "liaison office in Beijing"),
    ("两会", "Two Sessions"),
    ("中央经济工作会议", "Central Economic Work Conference"),
    ("中共中央组织部", "Organization Department of the CPC Central Committee"),
    ("地级市", "prefecture-level city"),
    ("国家发展和改革委员会", "National Development and Reform Commission"),
])
def test_the_governance_terms_of_the_seed_stories_are_there(glossary, zh, en):
    assert glossary.get(zh).en == en


@pytest.mark.parametrize("variant, zh", [
    ("驻京办", "驻京办事处"), ("中组部", "中共中央组织部"), ("发改委", "国家发展和改革委员会"),
])
def test_abbreviations_lead_to_their_full_form(glossary, variant, zh):
    assert glossary.lookup(variant)[0].entry.zh == zh


@pytest.mark.parametrize("query", ["lianghui", "liang3hui4", "Liǎnghuì", "Two Sessions"])
def test_two_sessions_by_pinyin_and_english(glossary, query):
    assert glossary.lookup(query)[0].entry.zh == "两会"


def test_the_bundled_glossary_round_trips_through_tbx(entries, tmp_path):
    from glossary.tbx import read_tbx, write_tbx

    write_tbx(entries, tmp_path / "g.tbx")
    back = read_tbx(tmp_path / "g.tbx")
    assert [e.id for e in back] == [f"c{i}" for i in range(1, len(entries) + 1)]  # ids are assigned
    assert [dataclasses.replace(e, id="") for e in back] == entries
