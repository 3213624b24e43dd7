"""How `tm check` findings look to a person: a rich table, a summary line, a self-contained HTML page."""
from __future__ import annotations

import html
import os
from collections import Counter
from typing import Sequence

from rich.table import Table
from rich.text import Text

from glossary.formats import atomic_file

from .bilingual import Segment
from .checks import SEVERITIES, Finding
from .terminal import console

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def finding_dict(finding: Finding, segments: Sequence[Segment]) -> dict:
    """A finding as JSON, with ``line``: where its segment is in the file (None if unknown)."""
    out = finding.to_dict()
    out["line"] = segments[finding.segment - 1].line if 0 < finding.segment <= len(segments) else None
    return out


def summary(findings: Sequence[Finding], segments: int) -> str:
    """One line: ``3 findings (1 error, 2 warnings) in 2 of 40 segments.``"""
    counts = Counter(f.severity for f in findings)
    parts = [f"{counts[s]} {s}{'s' if counts[s] != 1 and s != 'info' else ''}" for s in SEVERITIES if counts[s]]
    affected = len({f.segment for f in findings})
    detail = f" ({', '.join(parts)})" if parts else ""
    noun = "finding" if len(findings) == 1 else "findings"
    return f"{len(findings)} {noun}{detail} in {affected} of {segments:,} segments."


def print_findings(findings: Sequence[Finding], segments: Sequence[Segment], name: str) -> None:
    """A table of findings (segment, line, check, severity, message), then the summary line."""
    out = console()
    if findings:
        table = Table("#", "line", "check", "severity", "message", title=Text(f"Checks of {name}"))
        for finding in findings:
            line = segments[finding.segment - 1].line
            table.add_row(str(finding.segment), "" if line is None else str(line), finding.check,
                          Text(finding.severity, style=SEVERITY_STYLE[finding.severity]),
                          Text(finding.message))  # user text: never read as rich markup
        out.print(table)
    out.print(summary(findings, len(segments)))


_CSS = """
body{font-family:system-ui,"Noto Sans CJK SC","PingFang SC",sans-serif;max-width:80rem;margin:2rem auto;
padding:0 1rem;color:#222;line-height:1.5} table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums} small{color:#666}
mark{padding:0 .1em;border-radius:.2em} mark.error{background:#ffd0d0} mark.warning{background:#fff1c2}
mark.info{background:#dcecff} mark[title]{cursor:help} .seg{white-space:pre-wrap}
.sev{font-weight:600;white-space:nowrap} .sev.error{color:#b00} .sev.warning{color:#a60} .sev.info{color:#246}
ul{margin:0;padding-left:1.1rem}
"""


def marked_html(text: str, marks: Sequence[tuple[int, int, str, str]]) -> str:
    """``text`` escaped, each ``(start, end, severity, message)`` stretch in a ``<mark>``.

    Overlapping marks are split at their edges; a stretch takes the most
    serious severity among its marks and all their messages as its title.
    """
    edges = sorted({0, len(text), *(m[0] for m in marks), *(m[1] for m in marks)})
    parts = []
    for start, end in zip(edges, edges[1:]):
        piece = html.escape(text[start:end])
        over = [m for m in marks if m[0] <= start and end <= m[1] and m[0] < m[1]]
        if not over or start == end:
            parts.append(piece)
            continue
        severity = min((m[2] for m in over), key=SEVERITIES.index)
        title = html.escape("; ".join(dict.fromkeys(m[3] for m in over)))
        parts.append(f'<mark class="{severity}" title="{title}">{piece}</mark>')
    return "".join(parts)


def check_html(name: str, findings: Sequence[Finding], segments: Sequence[Segment]) -> str:
    """A self-contained page: counts by check and severity, then each segment with findings,
    its source and target with the spans marked (hover for the message)."""
    counts = Counter((f.check, f.severity) for f in findings)
    checks = list(dict.fromkeys(f.check for f in findings))
    count_rows = "".join(
        f"<tr><td>{html.escape(check)}</td>"
        + "".join(f"<td class=n>{counts[check, s] or ''}</td>" for s in SEVERITIES)
        + f"<td class=n>{sum(counts[check, s] for s in SEVERITIES)}</td></tr>" for check in checks)
    totals = "".join(f"<td class=n>{sum(counts[c, s] for c in checks)}</td>" for s in SEVERITIES)
    by_segment: dict[int, list[Finding]] = {}
    mentioned: dict[int, list[Finding]] = {}  # segments that take part in another's finding
    for finding in findings:
        by_segment.setdefault(finding.segment, []).append(finding)
        for other in finding.related:
            mentioned.setdefault(other, []).append(finding)
    rows = []
    for number in sorted(by_segment.keys() | mentioned.keys()):
        found = by_segment.get(number, [])
        segment = segments[number - 1]
        marks = {"source": [], "target": []}
        for finding in found:
            for span in finding.spans:
                marks[span.side].append((span.start, span.end, finding.severity, finding.message))
        items = "".join(
            f'<li><span class="sev {f.severity}">{f.severity}</span> <b>{html.escape(f.check)}</b>: '
            f"{html.escape(f.message)}{_related(f)}</li>" for f in found) + "".join(
            f'<li><small>see <a href="#s{f.segment}">{f.segment}</a>: {html.escape(f.check)}</small></li>'
            for f in mentioned.get(number, []))
        line = "" if segment.line is None else str(segment.line)
        rows.append(f'<tr id="s{number}"><td class=n>{number}</td><td class=n>{line}</td>'
                    f'<td class=seg lang="zh">{marked_html(segment.source, marks["source"])}</td>'
                    f'<td class=seg lang="en">{marked_html(segment.target, marks["target"])}</td>'
                    f"<td><ul>{items}</ul></td></tr>")
    title = html.escape(f"Checks of {os.path.basename(name)}")
    head = "".join(f"<th class=n>{s}</th>" for s in SEVERITIES)
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f"<style>{_CSS}</style></head><body><h1>{title}</h1>"
            f"<p><small>{html.escape(summary(findings, len(segments)))} "
            "Hover a marked stretch for its finding.</small></p>"
            f"<table><tr><th>check</th>{head}<th class=n>total</th></tr>{count_rows}"
            f"<tr><th>total</th>{totals}<th class=n>{len(findings)}</th></tr></table>"
            "<h2>Segments</h2><table><tr><th class=n>#</th><th class=n>line</th><th>source</th>"
            f"<th>target</th><th>findings</th></tr>{''.join(rows)}</table></body></html>\n")


def _related(finding: Finding) -> str:
    if not finding.related:
        return ""
    links = ", ".join(f'<a href="#s{n}">{n}</a>' for n in finding.related)
    return f" <small>(also {links})</small>"


def write_html(path: str, name: str, findings: Sequence[Finding], segments: Sequence[Segment]) -> None:
    with atomic_file(path) as out:
        out.write(check_html(name, findings, segments))
