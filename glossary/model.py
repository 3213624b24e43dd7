"""The term model: one :class:`Entry` is one concept.

An entry holds every form of the concept in both languages, each with a
status, and the concept-level facts a translator needs (pinyin, type, subject
field, note, and where the English rendering comes from). The fields map onto
TBX-Basic data categories:

=================  =====================================================
field              TBX-Basic
=================  =====================================================
zh, zh_variants    ``<langSec xml:lang="zh">`` terms (preferred/admitted)
zh_traditional     a ``zh-Hant`` term (preferred)
en                 ``<langSec xml:lang="en">`` term, preferredTerm-admn-sts
en_admitted        admittedTerm-admn-sts
en_deprecated      supersededTerm-admn-sts
en_forbidden       deprecatedTerm-admn-sts
pinyin             ``<termNote type="pronunciation">`` on the zh term
type               ``<note>type: organisation</note>`` on the concept
field              ``<descrip type="subjectField">``
note               ``<descrip type="definition">`` / ``<note>``
source             ``<admin type="source">`` on the English term
=================  =====================================================
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field as dc_field
from typing import Iterator


class Status(str, enum.Enum):
    """How a form of a term may be used in a translation."""

    PREFERRED = "preferred"
    ADMITTED = "admitted"
    DEPRECATED = "deprecated"
    FORBIDDEN = "forbidden"

    def __str__(self) -> str:  # so that f-strings and JSON show "preferred"
        return self.value


#: Term types of the governance domain (the ``type`` field).
TERM_TYPES = (
    "organisation",  # a Party or state body, a company, an institution
    "meeting",  # congresses, plenary sessions, conferences
    "plan",  # five-year plans, programmes, regional strategies
    "title",  # official posts and ranks
    "policy",  # recurring policy terms and measures
    "place",  # administrative units and named places
    "slogan",  # formulas and political slogans
    "concept",  # other domain vocabulary
    "document",  # laws, reports, white papers
)


@dataclass
class Entry:
    """One concept of the term base.

    ``zh`` is the Simplified Chinese headword and ``en`` the preferred English
    rendering; both are required. Lists never hold the headword itself.
    ``zh_traditional`` is the Traditional form ("" means: derive with OpenCC).
    ``pinyin`` is in GB/T 16159 orthography ("" means: generate on demand).
    """

    zh: str
    en: str
    zh_traditional: str = ""
    zh_variants: list[str] = dc_field(default_factory=list)
    en_admitted: list[str] = dc_field(default_factory=list)
    en_deprecated: list[str] = dc_field(default_factory=list)
    en_forbidden: list[str] = dc_field(default_factory=list)
    pinyin: str = ""
    type: str = ""
    field: str = ""
    note: str = ""
    source: str = ""
    id: str = ""

    def __post_init__(self) -> None:
        self.zh = self.zh.strip()
        self.en = self.en.strip()
        if not self.zh or not self.en:
            raise ValueError("a term entry needs both a Chinese term and an English rendering")
        for name in ("zh_variants", "en_admitted", "en_deprecated", "en_forbidden"):
            head = self.zh if name == "zh_variants" else self.en
            values = [v.strip() for v in getattr(self, name) if v and v.strip()]
            setattr(self, name, [v for v in dict.fromkeys(values) if v != head])

    def chinese_forms(self) -> Iterator[tuple[str, Status]]:
        """Every Chinese form with its status: headword, Traditional form, variants."""
        yield self.zh, Status.PREFERRED
        if self.zh_traditional and self.zh_traditional != self.zh:
            yield self.zh_traditional, Status.PREFERRED
        for variant in self.zh_variants:
            yield variant, Status.ADMITTED

    def english_forms(self) -> Iterator[tuple[str, Status]]:
        """Every English rendering with its status, preferred first."""
        yield self.en, Status.PREFERRED
        for value in self.en_admitted:
            yield value, Status.ADMITTED
        for value in self.en_deprecated:
            yield value, Status.DEPRECATED
        for value in self.en_forbidden:
            yield value, Status.FORBIDDEN

    @property
    def accepted(self) -> list[str]:
        """English renderings a translation may use: preferred, then admitted."""
        return [self.en, *self.en_admitted]

    def merge(self, other: "Entry") -> None:
        """Fold ``other`` (same concept, e.g. a second TSV line) into this entry."""
        def extend(values: list[str], more: list[str], *exclude: str) -> None:
            for value in more:
                if value not in values and value not in exclude:
                    values.append(value)

        extend(self.zh_variants, other.zh_variants, self.zh)
        extend(self.en_admitted, [other.en, *other.en_admitted], self.en)
        extend(self.en_deprecated, other.en_deprecated, self.en)
        extend(self.en_forbidden, other.en_forbidden, self.en)
        for name in ("zh_traditional", "pinyin", "type", "field", "source", "id"):
            if not getattr(self, name):
                setattr(self, name, getattr(other, name))
        if other.note and other.note not in self.note:
            self.note = f"{self.note}; {other.note}" if self.note else other.note

    def to_dict(self) -> dict:
        """A JSON-ready dict; ``alternatives`` are the admitted English renderings."""
        return {
            "zh": self.zh,
            "zh_traditional": self.zh_traditional,
            "zh_variants": list(self.zh_variants),
            "en": self.en,
            "alternatives": list(self.en_admitted),
            "deprecated": list(self.en_deprecated),
            "forbidden": list(self.en_forbidden),
            "pinyin": self.pinyin,
            "type": self.type,
            "field": self.field,
            "note": self.note,
            "source": self.source,
        }
