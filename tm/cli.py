"""The ``tm`` command line: thin click commands over the library functions.

Each command reads its input, calls one function of ``glossary``, ``aligned``
or ``tm``, and prints the result for people (rich) or, with ``--json``, for
programs. A user mistake (bad file, bad encoding) is one line on stderr and
exit code 2, never a traceback.
"""
from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import sys
from typing import Sequence

import click

from glossary.errors import FormatError
from glossary.model import TERM_TYPES, Entry
from glossary.textfile import read_text

from .progress import progress_counter
from .store import DEFAULT_DB, Memory, is_postgres, open_memory

# The glossary commands import the term base (jieba, pypinyin: 150 MB, a second)
# and its reports only when they run, so that the TM commands stay light.


class _Commands(click.Group):
    """A group that turns user errors into one line and exit code 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except FormatError as error:
            click.echo(f"error: {error}", err=True)
            ctx.exit(2)
        except BrokenPipeError:  # `tm … | head`: not an error
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(0)
        except OSError as error:  # an output folder that does not exist, a full disk…
            where = f"{error.filename}: " if error.filename else ""
            click.echo(f"error: {where}{error.strerror or error}", err=True)
            ctx.exit(2)
        except sqlite3.Error as error:  # the disk filled up during an import, …
            click.echo(f"error: {error}", err=True)
            ctx.exit(2)


@click.group(cls=_Commands)
@click.version_option(package_name="zhen-tm")
def cli() -> None:
    """Chinese→English terminology and translation memory for governance and economic news."""


def main() -> None:
    cli(prog_name="tm")


# ---------------------------------------------------------------- glossary

@cli.group("glossary", cls=_Commands)
def glossary_group() -> None:
    """Look up governance terms, scan texts for them, write pinyin, keep your own glossary."""


def glossary_options(command):
    """--glossary/-g (repeatable, or $TM_GLOSSARY) and --no-builtin."""
    command = click.option(
        "--no-builtin", is_flag=True,
        help="Leave the bundled governance glossary out.")(command)
    command = click.option(
        "-g", "--glossary", "glossaries", multiple=True, envvar="TM_GLOSSARY",
        type=click.Path(dir_okay=False),
        help="A glossary of your own (TSV, CSV or TBX), on top of the bundled one. "
             "Repeatable; $TM_GLOSSARY may list several, separated by the path separator.")(command)
    return command


def _glossary_report():
    from . import glossary_report

    return glossary_report


def _tm_report():
    from . import tm_report

    return tm_report


def _load(glossaries: Sequence[str], no_builtin: bool):
    from glossary.termbase import Glossary

    paths = [p for item in glossaries for p in item.split(os.pathsep) if p]
    return Glossary.load(paths, builtin=not no_builtin)


def _print_json(value) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


@glossary_group.command("lookup")
@click.argument("query")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many entries.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of entries.")
@glossary_options
def lookup_command(query: str, limit: int | None, as_json: bool, glossaries, no_builtin) -> None:
    """Find entries by Chinese (Simplified or Traditional), English or pinyin (with or without tones).

    \b
      tm glossary lookup 驻京办
      tm glossary lookup "liaison offices"
      tm glossary lookup lianghui
    """
    glossary = _load(glossaries, no_builtin)
    hits = glossary.lookup(query, limit=limit)
    if as_json:
        _print_json([hit.to_dict(glossary) for hit in hits])
        return
    if not hits:
        click.echo(f"No glossary entry for {query!r}.", err=True)
        sys.exit(1)
    _glossary_report().print_hits(glossary, hits)


@glossary_group.command("scan")
@click.argument("file", type=click.Path(allow_dash=True))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per occurrence (JSON Lines).")
@click.option("--html", "html_path", type=click.Path(dir_okay=False),
              help="Also write a self-contained HTML report with the terms marked.")
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of FILE.")
@click.option("--min-length", type=click.IntRange(min=1), default=2, show_default=True,
              help="Ignore terms shorter than this many characters (省 would match inside 节省).")
@click.option("--words/--no-words", default=True, show_default=True,
              help="Two- and three-character terms must be whole words (no 市长 in 城市长期); "
                   "--no-words is faster on huge texts.")
@glossary_options
def scan_command(file: str, as_json: bool, html_path: str | None, encoding: str, min_length: int,
                 words: bool, glossaries, no_builtin) -> None:
    """Every glossary term in a Chinese text (FILE, or - for standard input).

    Simplified or Traditional, full- or half-width; leftmost-longest, no overlaps;
    offsets are character offsets into the text as given.
    """
    text = read_text(file, encoding)
    glossary = _load(glossaries, no_builtin)
    found = glossary.scan(text, min_length, words=words)
    if html_path:
        _glossary_report().write_html(html_path, file, text, found, glossary)
    if as_json:
        for occurrence in found:
            click.echo(json.dumps(occurrence.to_dict(glossary), ensure_ascii=False))
        return
    _glossary_report().print_scan(glossary, text, found, file)


@glossary_group.command("pinyin")
@click.argument("text", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help='Print {"text": …, "pinyin": …}.')
@glossary_options
def pinyin_command(text: tuple[str, ...], as_json: bool, glossaries, no_builtin) -> None:
    """Chinese TEXT in standard pinyin orthography (GB/T 16159); - reads standard input.

    \b
      tm glossary pinyin 西安            →  Xī'ān
      tm glossary pinyin 中国人民银行行长  →  Zhōngguó Rénmín Yínháng hángzhǎng
    """
    source = read_text("-", "utf-8") if text == ("-",) else " ".join(text)
    glossary = _load(glossaries, no_builtin)
    lines = [glossary.pinyin(line) for line in source.splitlines() or [""]]
    result = "\n".join(lines)
    if as_json:
        _print_json({"text": source, "pinyin": result})
    else:
        click.echo(result)


@glossary_group.command("list")
@click.option("--type", "term_type", type=click.Choice(TERM_TYPES), help="Only entries of this type.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of entries.")
@glossary_options
def list_command(term_type: str | None, as_json: bool, glossaries, no_builtin) -> None:
    """Every entry of the glossary (bundled and yours)."""
    glossary = _load(glossaries, no_builtin)
    entries = [e for e in glossary if not term_type or e.type == term_type]
    if as_json:
        _print_json([glossary.describe(e) for e in entries])
    else:
        _glossary_report().print_entries(glossary, entries)


@glossary_group.command("export")
@click.argument("output", type=click.Path(dir_okay=False))
@glossary_options
def export_command(output: str, glossaries, no_builtin) -> None:
    """Write the glossary to OUTPUT: .tsv (OmegaT), .csv or .tbx (TBX-Basic), by extension.

    \b
      tm glossary export governance.tbx                      the bundled glossary as TBX
      tm glossary export mine.tbx --no-builtin -g mine.tsv   convert your TSV to TBX
    """
    from glossary.formats import write_glossary

    glossary = _load(glossaries, no_builtin)
    entries = list(glossary)
    write_glossary(entries, output)
    click.echo(f"Wrote {len(entries)} entries to {output}.", err=True)


@glossary_group.command("add")
@click.argument("zh")
@click.argument("en")
@click.option("--file", "path", envvar="TM_GLOSSARY_FILE", default="glossary.tsv", show_default=True,
              type=click.Path(dir_okay=False),
              help="The glossary file to edit (TSV, CSV or TBX; created if missing). $TM_GLOSSARY_FILE.")
@click.option("--alt", "admitted", multiple=True, help="An admitted English variant (repeatable).")
@click.option("--deprecated", multiple=True, help="A deprecated English rendering (repeatable).")
@click.option("--forbidden", multiple=True, help="A forbidden English rendering (repeatable).")
@click.option("--variant", "variants", multiple=True, help="A Chinese variant or abbreviation (repeatable).")
@click.option("--pinyin", default="", help="Pinyin in standard orthography.")
@click.option("--type", "term_type", type=click.Choice(TERM_TYPES), default=None)
@click.option("--field", default="", help="Subject field, e.g. politics, economy.")
@click.option("--note", default="", help="Definition or usage note.")
@click.option("--source", default="", help="Where the English rendering comes from.")
def add_command(zh, en, path, admitted, deprecated, forbidden, variants, pinyin, term_type,
                field, note, source) -> None:
    """Add ZH → EN to a glossary file of your own (merging with an entry for the same ZH).

    \b
      tm glossary add 驻京办 "liaison office in Beijing" --alt "Beijing office" --file mine.tsv
    """
    from glossary.formats import add_to_file

    if not zh.strip() or not en.strip():
        raise click.BadParameter("the Chinese term and its English rendering may not be blank")
    entry = Entry(zh=zh, en=en, zh_variants=list(variants), en_admitted=list(admitted),
                  en_deprecated=list(deprecated), en_forbidden=list(forbidden), pinyin=pinyin,
                  type=term_type or "", field=field, note=note, source=source)
    merged = add_to_file(path, entry)
    click.echo(f"{path}: {merged.zh} → {merged.en}"
               + (f" (also: {', '.join(merged.en_admitted)})" if merged.en_admitted else ""), err=True)


# ---------------------------------------------------------------- translation memory

def db_option(command):
    """--db PATH, else $TM_DB, else ./tm.db."""
    return click.option("--db", "db_path", envvar="TM_DB", default=DEFAULT_DB, show_default=True,
                        type=click.Path(dir_okay=False),
                        help="The translation memory: an SQLite file or a postgresql:// URL; $TM_DB.")(command)


def _open(db_path: str, must_exist: bool = True) -> Memory:
    """The TM for a command: read-only for the commands that only read it."""
    return open_memory(db_path, readonly=must_exist)


@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--ordered", is_flag=True,
              help="The file is one document in order: neighbours become context (101 matches).")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@db_option
def import_command(file: str, ordered: bool, as_json: bool, db_path: str) -> None:
    """Import a TMX (1.4b, level 1 or 2) or a Chinese<TAB>English TSV file into the TM.

    One transaction: a file that turns out to be broken half-way leaves the TM as it was.
    """
    from glossary.formats import check_readable

    check_readable(file)
    created = not is_postgres(db_path) and not os.path.exists(db_path)
    try:
        with _open(db_path, must_exist=False) as memory, progress_counter(f"Importing {file}") as progress:
            stats = memory.import_file(file, ordered=ordered, progress=progress)
    except BaseException:
        if created:  # a failed first import leaves no empty TM behind
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    os.remove(db_path + suffix)
        raise
    if as_json:
        _print_json(stats.to_dict())
    else:
        click.echo(f"{file}: {stats}")


@cli.command("export")
@click.argument("file", type=click.Path(dir_okay=False))
@db_option
def export_command_tm(file: str, db_path: str) -> None:
    """Write the whole TM to FILE: .tmx (TMX 1.4b, lossless) or .tsv (text only)."""
    with _open(db_path) as memory:
        count = memory.export_file(file)
    click.echo(f"Wrote {count:,} units to {file}.", err=True)


@cli.command("lookup")
@click.argument("text", required=False)
@click.option("--file", "query_file", type=click.Path(dir_okay=False, allow_dash=True),
              help="One query per line (- for standard input); each line's predecessor is its context.")
@click.option("--min", "minimum", type=click.FloatRange(1, 100), default=75, show_default=True,
              help="Lowest match score, in percent.")
@click.option("--limit", type=click.IntRange(min=1), default=5, show_default=True, help="Matches per query.")
@click.option("--previous", help="The segment before TEXT in its document (for 101 context matches).")
@click.option("--json", "as_json", is_flag=True, help='One JSON object per query: {"query", "matches"}.')
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of the --file.")
@db_option
def lookup_command_tm(text, query_file, minimum, limit, previous, as_json, encoding, db_path) -> None:
    """Fuzzy matches for a Chinese segment, best first, with the differences marked.

    \b
      tm lookup "国家发展和改革委员会今天宣布了一项计划。"
      tm lookup --file new-article.txt --min 85 --json
    """
    if (text is None) == (query_file is None):
        raise click.UsageError("give either TEXT or --file")
    queries = ([(text, previous)] if text is not None
               else _with_previous(read_text(query_file, encoding).splitlines()))
    with _open(db_path) as memory:
        for query, before in queries:
            matches = memory.lookup(query, minimum=minimum, limit=limit, previous=before)
            if as_json:
                click.echo(json.dumps({"query": query, "matches": [m.to_dict() for m in matches]},
                                      ensure_ascii=False))
            else:
                _tm_report().print_matches(query, matches)


def _with_previous(lines: list[str]) -> list[tuple[str, str | None]]:
    out, previous = [], None
    for line in lines:
        if line.strip():
            out.append((line.strip(), previous))
            previous = line.strip()
    return out


@cli.command("concordance")
@click.argument("text")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help='A JSON list of {"source", "target", "side", "spans"}.')
@db_option
def concordance_command(text: str, limit: int, as_json: bool, db_path: str) -> None:
    """Every use of TEXT in the TM, in context: Chinese (any length) or English (whole words)."""
    with _open(db_path) as memory:
        hits = memory.concordance(text, limit=limit)
    if as_json:
        _print_json([hit.to_dict() for hit in hits])
    else:
        _tm_report().print_concordance(text, hits)


class _Size(click.ParamType):
    name = "SIZE"

    def convert(self, value, param, ctx):
        from .server import parse_size

        try:
            return parse_size(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--token", envvar="TM_TOKEN", default=None,
              help="Accept imports (POST /api/import) with 'Authorization: Bearer TOKEN'; $TM_TOKEN. "
                   "Without it the server is read-only.")
@click.option("--max-body", type=_Size(), default="64M", show_default=True,
              help="Largest request body accepted (k, M, G: binary units).")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="Another host name requests may address the server by (repeatable; '*' for any). "
                   "On a loopback address localhost, 127.0.0.1 and ::1 always are; elsewhere any name is.")
@db_option
@glossary_options
def serve_command(host: str, port: int, token: str | None, max_body: int, allowed_hosts: tuple[str, ...],
                  db_path: str, glossaries, no_builtin) -> None:
    """Serve the TM and the glossary over HTTP: a JSON API, the tmserver/amaGama route, a lookup page.

    \b
      tm serve --db tm.db                  then open http://127.0.0.1:8000/
      TM_TOKEN=… tm serve --host 0.0.0.0   imports allowed with the token

    The API is described at /docs and /openapi.json.
    """
    import uvicorn

    from .server import create_app, default_allowed_hosts, is_loopback

    if not is_loopback(host) and not token:
        click.echo(f"warning: serving on {host} without a token: anyone who can reach it can read "
                   "the whole translation memory (imports stay disabled)", err=True)
    allowed_hosts = (*default_allowed_hosts(host), *allowed_hosts)  # no DNS rebinding of a local server
    app = create_app(db_path, _load(glossaries, no_builtin), token=token, max_body=max_body,
                     allowed_hosts=allowed_hosts)
    uvicorn.run(app, host=host, port=port, log_level="info")


@cli.command("analyze")
@click.argument("file", type=click.Path(allow_dash=True))
@click.option("--min", "minimum", type=click.FloatRange(1, 100), default=50, show_default=True,
              help="Lowest fuzzy match counted, in percent.")
@click.option("--pretranslate", type=click.Path(dir_okay=False),
              help="Write source<TAB>best target<TAB>score<TAB>band for every segment.")
@click.option("--json", "as_json", is_flag=True, help="Print the counts and every segment's best match as JSON.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False),
              help="Also write a self-contained HTML report with every segment's best match.")
@click.option("--encoding", default="utf-8", show_default=True)
@db_option
def analyze_command(file: str, minimum: float, pretranslate: str | None, as_json: bool, html_path: str | None,
                    encoding: str, db_path: str) -> None:
    """How much of a new Chinese document (one segment per line) the TM already covers, by band."""
    segments = [line.strip() for line in read_text(file, encoding).splitlines() if line.strip()]
    with _open(db_path) as memory:
        from .analysis import analyze

        result = analyze(memory, segments, minimum)
    if pretranslate:
        _tm_report().write_pretranslation(pretranslate, result)
    if html_path:
        _tm_report().write_analysis_html(html_path, file, result)
    if as_json:
        _print_json(result.to_dict())
    else:
        _tm_report().print_analysis(file, result)


# ---------------------------------------------------------------- alignment evaluation

@cli.command("align-eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False))
@click.argument("pred_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--verbose", "-v", is_flag=True, help="Also score each document.")
@click.option("--json", "as_json", is_flag=True,
              help='Print {"strict", "lax", "documents", "missing"} as JSON.')
def align_eval_command(gold_dir: str, pred_dir: str, verbose: bool, as_json: bool) -> None:
    """Strict and lax precision, recall and F1 of PRED_DIR/NAME.align against GOLD_DIR/NAME.align.

    Counted as in Bertalign's published evaluation, pooled over the documents. A gold document
    without a prediction counts as predicting nothing, is listed, and makes the exit code 1.

    \b
      tm align-eval ../shared/data/align-dev/mac-dev/gold out/ --verbose
    """
    from aligned.evaluate import evaluate_dirs

    pooled, per_document, missing = evaluate_dirs(gold_dir, pred_dir)
    if as_json:
        _print_json({**{kind: s.to_dict() for kind, s in pooled.items()},
                     "documents": {name: {kind: s.to_dict() for kind, s in scores.items()}
                                   for name, scores in per_document.items()},
                     "missing": missing})
    else:
        _print_align_scores(pooled, per_document if verbose else {}, len(per_document))
    if missing:
        click.echo(f"warning: no prediction in {pred_dir} for {len(missing)} gold document(s), "
                   f"counted as predicting nothing: {', '.join(missing)}", err=True)
        sys.exit(1)


def _print_align_scores(pooled, per_document, documents: int) -> None:
    from rich.table import Table

    from .terminal import console

    table = Table("", "precision", "recall", "F1", "hits/predicted", "recalled/gold",
                  title=f"Alignment scores, pooled over {documents} document(s)")
    for kind, s in pooled.items():
        table.add_row(kind, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}",
                      f"{s.hits:,}/{s.predicted:,}", f"{s.recalled:,}/{s.gold:,}")
    console().print(table)
    if per_document:
        table = Table("document", "strict P", "strict R", "strict F1", "lax P", "lax R", "lax F1",
                      title="Per document")
        for name, scores in per_document.items():
            table.add_row(name, *(f"{getattr(scores[kind], field):.3f}" for kind in ("strict", "lax")
                                  for field in ("precision", "recall", "f1")))
        console().print(table)


# ---------------------------------------------------------------- alignment

_ALIGN_FORMATS = click.Choice(["align", "tsv", "tmx", "json"])


@cli.command("align")
@click.argument("zh", type=click.Path(dir_okay=False))
@click.argument("en", type=click.Path(dir_okay=False))
@click.option("--presplit", is_flag=True, help="Both files are already one sentence per line.")
@click.option("--format", "fmt", type=_ALIGN_FORMATS, default="align", show_default=True,
              help="align: [zh ids]:[en ids] per bead (0-based); tsv: zh<TAB>en; json; tmx (needs --output).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write here (atomically), not to stdout.")
@click.option("--into-tm", is_flag=True, help="Also add the aligned pairs to the TM (--db).")
@click.option("--encoding", default=None, help="Encoding of the Chinese file (default: detect UTF-8, GB18030, Big5).")
@db_option
def align_command(zh: str, en: str, presplit: bool, fmt: str, output: str | None, into_tm: bool,
                  encoding: str | None, db_path: str) -> None:
    """Split and align one Chinese document and its English translation.

    \b
      tm align zh/article.txt en/article.txt
      tm align zh/article.txt en/article.txt --format tsv --into-tm
      tm align zh.txt en.txt --format tmx --output article.tmx
    """
    from aligned.align import Aligner
    from aligned.batch import align_pair, render

    from .aligned_pairs import units, write_pair

    if fmt == "tmx" and not output:
        raise click.UsageError("--format tmx needs --output FILE")
    pair = align_pair(zh, en, Aligner(), presplit=presplit, encoding=encoding)
    doc = os.path.splitext(os.path.basename(zh))[0]
    if into_tm:
        with _open(db_path, must_exist=False) as memory:
            stats = memory.add(units(pair, doc))
        click.echo(f"{db_path}: {stats}", err=True)
    if output:
        write_pair(pair, output, fmt, doc)
        click.echo(f"Wrote {len(pair.beads):,} beads to {output}.", err=True)
    else:
        click.echo(render(pair, fmt), nl=False)


REVIEW_SHOWN = 10  # review beads printed on the terminal; the --review file has them all


def _print_batch(report, review_path: str | None, db_path: str | None, zh_dir: str, en_dir: str) -> None:
    """What a batch aligned (a table per document pair) and what a person should check."""
    from rich.table import Table
    from rich.text import Text

    from .terminal import console

    out = console()
    click.echo(f"{len(report.aligned):,} pair(s) aligned, {len(report.skipped):,} skipped (output exists), "
               f"{len(report.one_sided):,} file(s) on one side only, {len(report.failed):,} failed.")
    if report.pairs:
        table = Table("document", "zh", "en", "beads", "by type", "mean confidence", "to review")
        for pair in report.pairs:
            types = ", ".join(f"{kind} ×{count}" for kind, count in pair.types.items())
            table.add_row(Text(pair.doc), str(pair.zh_sentences), str(pair.en_sentences), str(pair.beads), types,
                          f"{pair.mean_confidence:.2f}", str(pair.review))
        out.print(table)
    if db_path is not None:
        click.echo(f"{report.units_added:,} unit(s) added to {db_path}.")
    if report.review_items:
        where = f" (all of them in {review_path})" if review_path else " (--review FILE writes them all)"
        click.echo(f"{report.review:,} bead(s) need review{where}:")
        table = Table("document", "bead", "confidence", "why", "Chinese", "English")
        for item in report.review_items[:REVIEW_SHOWN]:
            table.add_row(Text(item.doc), Text(item.bead), f"{item.confidence:.2f}", item.reason,
                          Text(item.zh, overflow="fold"), Text(item.en, overflow="fold"))
        out.print(table)
        if report.review > REVIEW_SHOWN:
            click.echo(f"… and {report.review - REVIEW_SHOWN:,} more.")
    elif report.pairs:
        click.echo("Nothing needs review.")
    for name in report.zh_only:
        click.echo(f"only in {zh_dir}: {name}")
    for name in report.en_only:
        click.echo(f"only in {en_dir}: {name}")
    for name, message in report.failed:
        click.echo(f"failed: {name}: {message}", err=True)


@cli.command("align-batch")
@click.argument("zh_dir", type=click.Path(exists=True, file_okay=False))
@click.argument("en_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Output folder: OUT/NAME.align (or .tsv, .tmx, .json).")
@click.option("--format", "fmt", type=_ALIGN_FORMATS, default="align", show_default=True)
@click.option("--presplit", is_flag=True, help="The files are already one sentence per line.")
@click.option("--force", is_flag=True, help="Redo pairs whose output already exists (default: skip them).")
@click.option("--review", "review_path", type=click.Path(dir_okay=False),
              help="Write doubtful beads (null, or under --threshold) here as TSV.")
@click.option("--threshold", type=click.FloatRange(0, 1), default=0.5, show_default=True,
              help="Beads with a lower confidence (the probability, 0-1, that a bead is right) go to "
                   "the --review file (on align-dev, 0.8 lists two thirds of the wrong beads).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="Align in this many processes (each loads the model once).")
@click.option("--cluster", metavar="ADDRESS", default=None,
              help="Align on the workers of this Dask scheduler (tcp://HOST:8786) instead; not with --jobs.")
@click.option("--encoding", default=None, help="Encoding of the Chinese files (default: detect).")
@click.option("--into-tm", is_flag=True, help="Also add the aligned pairs to the TM (--db), one transaction per pair.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@db_option
def align_batch_command(zh_dir, en_dir, out_dir, fmt, presplit, force, review_path, threshold, jobs,
                        cluster, encoding, into_tm, as_json, db_path) -> None:
    """Align every pair of same-named files in ZH_DIR and EN_DIR.

    Resumable: a pair whose output exists is skipped unless --force. A file on one side only
    is listed; a pair that cannot be read is listed and the batch carries on (exit code 1).

    With --cluster the pairs are aligned on a Dask cluster (pip install 'zhen-tm[cluster]';
    the workers need zhen-tm installed, not these files): this process reads the documents,
    sends their texts, and writes the outputs, the review and the TM itself.

    \b
      tm align-batch zh/ en/ --out aligned/ --review review.tsv --into-tm
      tm align-batch zh/ en/ --out aligned/ --cluster tcp://scheduler:8786
    """
    from aligned.batch import align_batch
    from aligned.cluster import ClusterError

    from .aligned_pairs import into, write_pair

    if cluster and jobs > 1:
        raise click.UsageError("--cluster and --jobs do not go together: the cluster's workers set the parallelism")
    memory = _open(db_path, must_exist=False) if into_tm else None
    try:
        with progress_counter("Aligning", unit="pairs") as progress:
            report = align_batch(zh_dir, en_dir, out_dir, fmt, None, presplit, force, review_path,
                                 threshold, progress=progress, jobs=jobs, encoding=encoding,
                                 write=write_pair, sink=into(memory) if memory is not None else None,
                                 cluster=cluster or None)
    except ClusterError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    finally:
        if memory is not None:
            memory.close()
    if as_json:
        _print_json(report.to_dict())
    else:
        _print_batch(report, review_path, db_path if into_tm else None, zh_dir, en_dir)
    if report.failed:
        sys.exit(1)


# ---------------------------------------------------------------- checks

_FAIL_RANK = {"error": ("error",), "warning": ("error", "warning"), "never": ()}


def _check_ids(values: Sequence[str]) -> list[str]:
    """``--only a --only b,c`` → ``["a", "b", "c"]``."""
    return [name.strip() for value in values for name in value.split(",") if name.strip()]


@cli.command("check")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--src", "src_path", type=click.Path(dir_okay=False),
              help="Chinese text, one segment per line (with --tgt).")
@click.option("--tgt", "tgt_path", type=click.Path(dir_okay=False),
              help="Its English translation, line by line (with --src).")
@click.option("--from-tm", is_flag=True, help="Check every unit of the translation memory (--db).")
@click.option("--only", multiple=True, metavar="IDS", help="Run only these checks (repeatable, or comma-separated).")
@click.option("--skip", multiple=True, metavar="IDS", help="Leave these checks out (repeatable, or comma-separated).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "never"]), default="error", show_default=True,
              help="Exit with 1 when a finding at or above this severity exists.")
@click.option("--json", "as_json", is_flag=True,
              help="Print a JSON list of findings (check, segment, line, severity, message, spans, related, data).")
@click.option("--html", "html_path", type=click.Path(dir_okay=False),
              help="Also write a self-contained HTML report with the findings marked in each segment.")
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of TSV and line files.")
@click.option("--list", "list_checks", is_flag=True, help="List the checks (id, severity, what they find) and exit.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=os.cpu_count() or 1,
              help="Processes for the one-segment checks on large inputs (default: one per CPU).")
@glossary_options
@db_option
def check_command(file, src_path, tgt_path, from_tm, only, skip, fail_on, as_json, html_path, encoding,
                  list_checks, jobs, glossaries, no_builtin, db_path) -> None:
    """Quality checks of a translation: terms, forbidden renderings, consistency, numbers,
    untranslated text, punctuation.

    Input: a bilingual FILE (Chinese<TAB>English TSV, TMX, XLIFF 1.2/2.0), or --src and --tgt
    line-aligned files, or --from-tm for the translation memory. Exit code 1 when findings at
    or above --fail-on exist, 2 for a bad file or option.

    \b
      tm check job.xlf
      tm check --src zh.txt --tgt en.txt --only term-mismatch,forbidden-term -g mine.tsv
      tm check memory.tmx --skip inconsistent-source --html report.html --fail-on warning
      tm check --from-tm --json
    """
    from .bilingual import memory_segments, read_parallel, read_segments
    from .checks import CheckContext, registry, run_checks, select

    if list_checks:
        known = registry()
        if as_json:
            _print_json([{"id": c.id, "severity": c.severity, "description": c.description} for c in known.values()])
        else:
            for check in known.values():
                click.echo(f"{check.id:<22} {check.severity:<8} {check.description}")
        return
    try:
        checks = select(_check_ids(only), _check_ids(skip))
    except ValueError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    given = [file is not None, bool(src_path or tgt_path), from_tm]
    if sum(given) != 1:
        raise click.UsageError("give one input: FILE, --src and --tgt, or --from-tm")
    if (src_path is None) != (tgt_path is None):
        raise click.UsageError("--src and --tgt go together")
    if file is not None:
        segments, name = read_segments(file, encoding), file
    elif src_path:
        segments, name = read_parallel(src_path, tgt_path, encoding), f"{src_path} + {tgt_path}"
    else:
        with _open(db_path) as memory:
            segments, name = memory_segments(memory), db_path
    paths = [p for item in glossaries for p in item.split(os.pathsep) if p]
    context = CheckContext(glossary_paths=paths, builtin=not no_builtin)
    with progress_counter(f"Checking {len(segments):,} segments", unit="checks") as progress:
        findings = run_checks(segments, checks, context, progress=progress if len(segments) >= 2000 else None,
                              jobs=jobs)
    report = _check_report()
    if html_path:
        report.write_html(html_path, name, findings, segments)
    if as_json:
        _print_json([report.finding_dict(f, segments) for f in findings])
        click.echo(report.summary(findings, len(segments)), err=True)
    else:
        report.print_findings(findings, segments, name)
    if any(f.severity in _FAIL_RANK[fail_on] for f in findings):
        sys.exit(1)


def _check_report():
    from . import check_report

    return check_report



# ---------------------------------------------------------------- scoring

@cli.command("score")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--src", "src_path", type=click.Path(dir_okay=False),
              help="Chinese source, one segment per line (with --hyp).")
@click.option("--hyp", "hyp_path", type=click.Path(dir_okay=False),
              help="The English translation to score, line by line (with --src).")
@click.option("--ref", "ref_path", type=click.Path(dir_okay=False),
              help="English reference, line by line. Without it the references are TM matches (--db, --min).")
@click.option("--terms", "terms_path", type=click.Path(dir_okay=False),
              help='Terms instead of the glossary: one JSON value per line, {"源术语": ["rendering", …]} '
                   '(WMT 2025) or [{"zh": …, "en": …}, …] (WMT 2023).')
@click.option("--method", type=click.Choice(["default", "wmt25"]), default="default", show_default=True,
              help="Term success rate: default (leftmost-longest, whole words, plurals, Traditional) "
                   "or wmt25 (the official WMT 2025 scorer, exactly).")
@click.option("--min", "minimum", type=click.FloatRange(1, 100), default=75, show_default=True,
              help="Lowest TM match used as a reference, in percent.")
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object: scores, counts, signatures and every segment.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False),
              help="Also write a self-contained HTML report with the terms marked in each segment.")
@click.option("--verbose", "-v", is_flag=True, help="List every segment, not only the worst ten.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes for BLEU, chrF++ and TER (default: one per CPU).")
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of the text, TSV and JSON files.")
@glossary_options
@db_option
@click.pass_context
def score_command(ctx, file, src_path, hyp_path, ref_path, terms_path, method, minimum, as_json, html_path,
                  verbose, jobs, encoding, glossaries, no_builtin, db_path) -> None:
    """Score a translation: BLEU, chrF++ and TER (sacrebleu) and how it renders the terms.

    Input: a bilingual FILE (Chinese<TAB>English TSV, TMX, XLIFF 1.2/2.0) or --src and --hyp.
    Line N of --ref and --terms goes with the segment on line N (or unit N) of the input.
    Terms come from the glossary (bundled and -g) unless --terms is given.

    \b
      tm score --src zh.txt --hyp en.txt --ref ref.txt
      tm score job.xlf --db memory.db --min 85 --html score.html
      tm score --src zhen.zh --hyp out.en --ref zhen.en --terms zhen.term.proper --method wmt25 --json
    """
    from click.core import ParameterSource

    from .bilingual import read_parallel, read_segments
    from .score import default_jobs, file_references, score_segments, tm_references
    from .terms import glossary_term_lists, read_term_lists

    if (src_path is None) != (hyp_path is None):
        raise click.UsageError("--src and --hyp go together")
    if (file is None) == (src_path is None):
        raise click.UsageError("give one input: FILE, or --src and --hyp")
    if file is not None:
        segments, name = read_segments(file, encoding), file
    else:
        segments, name = read_parallel(src_path, hyp_path, encoding), hyp_path
    sources = [s.source for s in segments]
    if terms_path:
        term_lists = _by_line(read_term_lists(terms_path, encoding), segments, terms_path, lambda terms: not terms)
    else:
        term_lists = glossary_term_lists(_load(glossaries, no_builtin), sources)
    references, tm_minimum = None, None
    if ref_path:
        lines = read_text(ref_path, encoding).split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        references = _by_line(file_references(lines), segments, ref_path, lambda ref: ref is None)
    elif os.path.exists(db_path) or ctx.get_parameter_source("db_path") is not ParameterSource.DEFAULT:
        with _open(db_path) as memory, progress_counter("Finding TM references", unit="segments") as progress:
            references, tm_minimum = tm_references(memory, sources, minimum, progress), minimum
    with progress_counter(f"Scoring {len(segments):,} segments", unit="segments") as progress:
        result = score_segments(segments, term_lists, references, method, jobs or default_jobs(), progress,
                                tm_minimum)
    if html_path:
        from . import score_report

        score_report.write_html(html_path, name, result)
    if as_json:
        _print_json(result.to_dict())
    else:
        from . import score_report

        score_report.print_score(result, verbose)


def _by_line(items: list, segments, path: str, blank) -> list:
    """``items[line - 1]`` for each segment: one item per line (or unit) of the input.

    Too few items, or items beyond the last segment for which ``blank(item)`` is
    false, are a :class:`FormatError` naming ``path``: the file belongs to another input.
    """
    last = max((s.line or 0 for s in segments), default=0)
    extra = [number for number, item in enumerate(items[last:], last + 1) if not blank(item)]
    if len(items) < last or extra:
        raise FormatError(path, extra[0] if extra else None,
                          f"{len(items):,} lines, but the input's segments run to line {last:,}: "
                          "give one line per line (or unit) of the input")
    return [items[s.line - 1] for s in segments]


if __name__ == "__main__":
    main()
