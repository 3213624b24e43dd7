"""How glossary results look to a person: rich tables on the terminal, an HTML page."""
from __future__ import annotations

import html
import os
from collections import Counter
from typing import Sequence

from rich.table import Table
from rich.text import Text

from glossary.formats import atomic_file

from .terminal import console
from glossary.model import Entry, Status
from glossary.termbase import Glossary, Hit, Occurrence

STATUS_STYLE = {
    Status.PREFERRED: "bold green",
    Status.ADMITTED: "green",
    Status.DEPRECATED: "yellow",
    Status.FORBIDDEN: "bold red",
}


def print_hits(glossary: Glossary, hits: Sequence[Hit]) -> None:
    """Lookup results: one block per entry, the matched form and its status first."""
    out = console()
    for hit in hits:
        entry = hit.entry
        head = Text()
        head.append(entry.zh, style="bold")
        head.append(f"  {glossary.pinyin_of(entry)}  ", style="cyan")
        head.append(entry.en, style="bold green")
        out.print(head)
        if hit.form not in (entry.zh, entry.en):
            line = Text(f"  matched {hit.form!r} ({hit.language}, ")
            line.append(str(hit.status), style=STATUS_STYLE[hit.status])
            line.append(")")
            out.print(line)
        facts = [
            ("Traditional", glossary.traditional_of(entry)),
            ("Chinese variants", ", ".join(entry.zh_variants)),
            ("also", "; ".join(entry.en_admitted)),
            ("deprecated", "; ".join(entry.en_deprecated)),
            ("forbidden", "; ".join(entry.en_forbidden)),
            ("type", " / ".join(x for x in (entry.type, entry.field) if x)),
            ("note", entry.note),
            ("source", entry.source),
        ]
        for label, value in facts:
            if value:
                line = Text(f"  {label}: ", style="dim")
                line.append(value)  # user text: never read as rich markup
                out.print(line)
        out.print()


def print_entries(glossary: Glossary, entries: Sequence[Entry]) -> None:
    table = Table("zh", "pinyin", "en", "type", show_lines=False)
    for entry in entries:
        table.add_row(entry.zh, glossary.pinyin_of(entry), entry.en, entry.type)
    console().print(table)


def marked_text(text: str, found: Sequence[Occurrence]) -> Text:
    """The text with every occurrence styled by its status."""
    out = Text()
    at = 0
    for occurrence in found:
        out.append(text[at:occurrence.start])
        out.append(occurrence.text, style="reverse " + STATUS_STYLE[occurrence.status])
        at = occurrence.end
    out.append(text[at:])
    return out


def print_scan(glossary: Glossary, text: str, found: Sequence[Occurrence], name: str) -> None:
    """The text with terms marked, then a table of hits and a one-line summary."""
    out = console()
    out.print(marked_text(text.rstrip("\n"), found))
    out.print()
    table = Table("#", "at", "term", "English", "pinyin", "status", title=f"Glossary terms in {name}")
    for number, occurrence in enumerate(found, 1):
        entry = occurrence.entry
        term = occurrence.text if occurrence.text == entry.zh else f"{occurrence.text} ({entry.zh})"
        table.add_row(str(number), f"{occurrence.start}–{occurrence.end}", term, entry.en,
                      glossary.pinyin_of(entry),
                      Text(str(occurrence.status), style=STATUS_STYLE[occurrence.status]))
    out.print(table)
    distinct = len({o.entry.zh for o in found})
    out.print(f"{len(found)} occurrences of {distinct} terms in {len(text):,} characters.")


_CSS = """
body{font-family:system-ui,"Noto Sans CJK SC","PingFang SC",sans-serif;max-width:60rem;margin:2rem auto;
line-height:1.9;color:#222;padding:0 1rem}
mark{padding:0 .1em;border-radius:.2em;background:#d7f5dd} mark.admitted{background:#e6f7e9}
mark.deprecated{background:#fff1c2} mark.forbidden{background:#ffd0d0}
mark[title]{cursor:help} table{border-collapse:collapse;width:100%;line-height:1.4}
td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
.text{white-space:pre-wrap;font-size:1.1rem} .py{color:#246} small{color:#666}
"""


def scan_html(name: str, text: str, found: Sequence[Occurrence], glossary: Glossary) -> str:
    """A self-contained HTML page: the text with terms marked (hover for English), then a table."""
    parts, at = [], 0
    for o in found:
        parts.append(html.escape(text[at:o.start]))
        tip = f"{o.entry.en} · {glossary.pinyin_of(o.entry)}"
        parts.append(f'<mark class="{o.status}" title="{html.escape(tip)}">{html.escape(o.text)}</mark>')
        at = o.end
    parts.append(html.escape(text[at:]))
    counts = Counter(o.entry.zh for o in found)
    rows = []
    seen = set()
    for o in found:
        if o.entry.zh in seen:
            continue
        seen.add(o.entry.zh)
        e = o.entry
        rows.append(
            "<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in (
                e.zh, glossary.pinyin_of(e), e.en, "; ".join(e.en_admitted), str(counts[e.zh]), e.note))
            + "</tr>")
    title = f"Glossary terms in {os.path.basename(name)}"
    return (
        f'<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{_CSS}</style></head><body><h1>{html.escape(title)}</h1>"
        f"<p><small>{len(found)} occurrences of {len(counts)} terms in {len(text):,} characters. "
        "Hover a marked term for its approved English.</small></p>"
        f'<div class="text" lang="zh">{"".join(parts)}</div><h2>Terms</h2>'
        '<table><tr><th>Chinese</th><th>Pinyin</th><th>English</th><th>Also</th><th>Times</th>'
        f'<th>Note</th></tr>{"".join(rows)}</table></body></html>\n'
    )


def write_html(path: str, name: str, text: str, found: Sequence[Occurrence], glossary: Glossary) -> None:
    with atomic_file(path) as out:
        out.write(scan_html(name, text, found, glossary))
