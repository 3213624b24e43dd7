"""How translation-memory results look to a person: matches, concordance lines, analysis tables."""
from __future__ import annotations

import html
import os
from typing import Sequence

from rich.table import Table
from rich.text import Text

from glossary.formats import atomic_file

from .analysis import ROWS, Analysis
from .fuzzy import FuzzyMatch, marked, pieces
from .terminal import console
from .store import ConcordanceHit
from .unit import readable

BAND_STYLE = {"101": "bold green", "100": "green", "95-99": "cyan", "85-94": "yellow",
              "75-84": "dark_orange", "50-74": "red", "repetition": "magenta", "no match": "dim"}


def marked_source(match: FuzzyMatch) -> Text:
    """The stored source with what the query lacks struck through and what it adds underlined."""
    styles = {"same": "", "stored": "strike red", "query": "underline green"}
    out = Text()
    for kind, text in pieces(match.diff, match.source):
        out.append(text, style=styles[kind])
    return out


def print_matches(query: str, matches: Sequence[FuzzyMatch]) -> None:
    out = console()
    out.print(Text(query, style="bold"))
    if not matches:
        out.print("  no match\n", style="dim")
        return
    for match in matches:
        head = Text(f"  {match.score:5.1f}% ", style=BAND_STYLE.get(match.band, ""))
        head.append(f"[{match.band}] ")
        # Struck-through and underlined text is lost when piped: mark with [-…-]{+…+} there.
        head.append(marked_source(match) if out.is_terminal else Text(marked(query, match.source)))
        out.print(head)
        out.print(Text("         " + readable(match.target)))
        changed = match.numbers
        if changed.get("query") or changed.get("match"):
            out.print(Text(f"         numbers: TM has {', '.join(changed['match']) or '–'}; "
                               f"you have {', '.join(changed['query']) or '–'}", style="yellow"))
    out.print()


def print_concordance(text: str, hits: Sequence[ConcordanceHit], width: int = 24) -> None:
    """Keyword in context: the hit centred, the other language below."""
    out = console()
    if not hits:
        out.print(f"{text!r} is not in the translation memory.", style="dim")
        return
    for hit in hits:
        side = readable(hit.source if hit.side == "zh" else hit.target)  # spans index the shown text
        start, end = hit.spans[0] if hit.spans else (0, 0)
        line = Text()
        line.append(side[max(0, start - width):start].rjust(width))
        line.append(side[start:end], style="bold reverse")
        line.append(side[end:end + width])
        out.print(line)
        other = hit.target if hit.side == "zh" else hit.source
        out.print(Text("    " + readable(other), style="dim"))
    out.print(f"{len(hits)} units.")


def print_analysis(name: str, analysis: Analysis) -> None:
    table = Table("band", "segments", "characters", "words", title=f"TM analysis of {name}")
    totals = analysis.totals()
    for row in (*ROWS, "total"):
        cell = totals[row]
        table.add_row(Text(row, style=BAND_STYLE.get(row, "bold")), f"{cell['segments']:,}",
                      f"{cell['characters']:,}", f"{cell['words']:,}")
    console().print(table)


def write_pretranslation(path: str, analysis: Analysis) -> None:
    """source<TAB>target<TAB>score<TAB>band per segment; empty target where nothing matched."""
    with atomic_file(path, newline="") as out:
        for result in analysis.segments:
            best = result.best
            target = readable(best.target) if best else ""
            score = f"{best.score:.1f}" if best else ""
            cells = (result.source, target, score, result.band)
            out.write("\t".join(c.replace("\t", " ").replace("\n", " ") for c in cells) + "\n")


_CSS = """
body{font-family:system-ui,"Noto Sans CJK SC","PingFang SC",sans-serif;max-width:70rem;margin:2rem auto;
padding:0 1rem;color:#222;line-height:1.5} table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums} del{background:#ffd0d0} ins{background:#d7f5dd;
text-decoration:none} .band{white-space:nowrap;font-weight:600} small{color:#666}
"""


def _marked_html(match: FuzzyMatch) -> str:
    """The stored source with <del> for what the new segment lacks and <ins> for what it adds."""
    tags = {"same": "{}", "stored": "<del>{}</del>", "query": "<ins>{}</ins>"}
    return "".join(tags[kind].format(html.escape(text)) for kind, text in pieces(match.diff, match.source))


def analysis_html(name: str, analysis: Analysis) -> str:
    """A self-contained page: counts per band, then every segment with its best match."""
    totals = analysis.totals()
    rows = "".join(
        f"<tr><td class=band>{html.escape(row)}</td>"
        + "".join(f"<td class=n>{totals[row][k]:,}</td>" for k in ("segments", "characters", "words"))
        + "</tr>" for row in (*ROWS, "total"))
    segments = []
    for number, result in enumerate(analysis.segments, 1):
        best = result.best
        match = (f"{_marked_html(best)}<br><small>{html.escape(readable(best.target))}</small>"
                 if best else "")
        score = f"{best.score:.1f}" if best else ""
        segments.append(f"<tr><td class=n>{number}</td><td class=band>{html.escape(result.band)}</td>"
                        f"<td class=n>{score}</td><td>{html.escape(result.source)}</td><td>{match}</td></tr>")
    title = html.escape(f"TM analysis of {os.path.basename(name)}")
    return (f'<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>{title}</title>'
            f"<style>{_CSS}</style></head><body><h1>{title}</h1>"
            "<table><tr><th>band</th><th class=n>segments</th><th class=n>characters</th><th class=n>words</th></tr>"
            f"{rows}</table><h2>Segments</h2><table><tr><th class=n>#</th><th>band</th><th class=n>score</th>"
            "<th>new segment</th><th>best match: stored source (<del>only there</del>, "
            f"<ins>only in the new segment</ins>) and its translation</th></tr>{''.join(segments)}"
            "</table></body></html>\n")


def write_analysis_html(path: str, name: str, analysis: Analysis) -> None:
    with atomic_file(path) as out:
        out.write(analysis_html(name, analysis))
