"""Hypothesis strategies for term entries, shared by the format round-trip tests."""
from hypothesis import strategies as st

from glossary.model import Entry


def entries(text: st.SearchStrategy[str], item: st.SearchStrategy[str] | None = None):
    """Entries whose every field is drawn from ``text`` (list items from ``item``).

    Surrounding whitespace is not significant in any format, so values are stripped.
    """
    nonblank = text.filter(lambda s: s.strip())
    value = text.map(str.strip)
    items = st.lists(item if item is not None else nonblank, max_size=3)

    @st.composite
    def entry(draw) -> Entry:
        return Entry(
            zh=draw(nonblank), en=draw(nonblank), zh_traditional=draw(value),
            zh_variants=draw(items), en_admitted=draw(items), en_deprecated=draw(items),
            en_forbidden=draw(items), pinyin=draw(value), type=draw(value), field=draw(value),
            note=draw(value), source=draw(value),
        )

    return entry()
