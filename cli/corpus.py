"""`policydiff corpus …`: list, show, add, fetch, remove and validate the documents a run can compare."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from policydiff.cli.options import CorpusOpt, OutputOpt
from policydiff.cli.output import stdout_console, write_output

corpus_app = typer.Typer(help="List, show and manage the documents policydiff can compare.", no_args_is_help=True)


ListFormatOpt = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        help="terminal (a table; plain tab-separated lines when output is not a terminal), plain, json or csv.",
    ),
]


@corpus_app.command("list")
def list_documents(fmt: ListFormatOpt = "terminal", output: OutputOpt = None, corpus: CorpusOpt = None) -> None:
    """List every document: id, title, level, region, date, type, policy strength (政策力度, 1–5), kind (full or
    digest), what it implements, where it comes from, and its other versions (json, csv)."""
    from policydiff.cli.corpus_list_view import FORMATS, RENDERERS, corpus_table, safe_rows
    from policydiff.compare.api import corpus as corpus_api
    from policydiff.corpora.errors import ConfigError

    if fmt not in FORMATS:
        raise ConfigError(f"unknown format {fmt!r}; known formats: {', '.join(FORMATS)}")
    rows = safe_rows(corpus_api(corpus).rows())
    console = stdout_console()
    if fmt == "terminal" and output is None and console.is_terminal:
        console.print(corpus_table(rows, console.width))
        return
    write_output(RENDERERS["plain" if fmt == "terminal" else fmt](rows), output)


@corpus_app.command("show")
def show_document(
    doc: Annotated[str, typer.Argument(help="A corpus id or a file path.")],
    corpus: CorpusOpt = None,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="terminal (the tree) or json (data card and outline).")
    ] = "terminal",
) -> None:
    """Print a document's structure: chapters, sections, provisions with their headings, item and sentence
    counts, the wrapper, history and sign-off. --format json prints the data card and the whole outline."""
    from policydiff.corpora import Catalogue
    from policydiff.corpora.errors import ConfigError

    if output_format not in ("terminal", "json"):
        raise ConfigError(f"--format must be terminal or json for corpus show, got {output_format!r}")
    document = Catalogue.default(corpus or ()).load(doc)
    if output_format == "json":
        import json

        from policydiff.cli.output import write_output
        from policydiff.corpora.outline import document_data

        data = json.dumps(document_data(document), ensure_ascii=False, indent=2) + "\n"
        write_output(data.encode("utf-8"), None)
        return
    from policydiff.cli.corpus_view import document_footer, document_tree

    console = stdout_console()
    if not console.is_terminal:
        from rich.console import Console

        # Piped or redirected: one line per node, never wrapped, so paths and headings stay whole for grep.
        console = Console(highlight=False, soft_wrap=True, width=100_000)
    console.print(document_tree(document))
    console.print(document_footer(document))


IdOpt = Annotated[str, typer.Option("--id", help="Document id (default: from the file name or URL).")]
TitleOpt = Annotated[str, typer.Option("--title", help="Title (default: from the file's metadata).")]
IssuerOpt = Annotated[
    list[str] | None,
    typer.Option("--issuer", help="Issuing body, e.g. 湖南省人民政府 (repeatable).", show_default=False),
]
LevelOpt = Annotated[
    str, typer.Option("--level", help="central, provincial, prefectural, county or other (default: from 发文机关).")
]
RegionOpt = Annotated[str, typer.Option("--region", help="Region, e.g. 湖南 (default: from 发文机关).")]
DateOpt = Annotated[str, typer.Option("--date", help="Date issued (成文日期), YYYY-MM-DD, YYYY-MM or YYYY.")]
SourceUrlOpt = Annotated[str, typer.Option("--source-url", help="Where the document was published.")]


def _fields(doc_id: str, title: str, issuer: list[str] | None, level: str, region: str, date: str, url: str):  # type: ignore[no-untyped-def]
    from policydiff.corpora.manage import NewDocument

    return NewDocument(doc_id, title, tuple(issuer or ()), level, region, date, url)


def _say(line: str, err: bool = False) -> None:
    # Titles and paths are data: no rich markup ("[2024]"), no wrapping that would split a path.
    from policydiff.cli.output import stderr_console
    from policydiff.cli.safe import printable

    console = stderr_console() if err else stdout_console()
    console.print(printable(line), markup=False, highlight=False, soft_wrap=True, style="yellow" if err else None)


def _report_added(result) -> None:  # type: ignore[no-untyped-def]
    e, doc = result.entry, result.document
    _say(f"added {e.id} to {result.corpus}" + (" (a new corpus)" if result.created else ""))
    _say(f"  {e.title}")
    facts = ", ".join(f for f in (e.level, e.region, e.date, "、".join(e.issuer)) if f)
    files = f"file {e.file}" + (f", original {e.original}" if e.original else "")
    _say(f"  {facts}; {len(doc.sections)} sections, {len(doc.clauses)} clauses; {files}")
    if e.doc_type or e.implements or e.history:
        history = "; ".join(f"{h.date} {h.event}" for h in e.history)
        details = [
            f"type {e.doc_type}" if e.doc_type else "",
            f"implements {'、'.join(e.implements)}" if e.implements else "",
        ]
        _say("  " + ", ".join(d for d in [*details, f"history {history}" if history else ""] if d))
    if result.id_derived:
        source = "file name" if result.id_from_name else "region, title and year"
        _say(f"  id chosen from the {source}; --id sets another")
    for warning in doc.warnings:
        _say(f"policydiff: warning: {warning}", err=True)


@corpus_app.command("add")
def add(
    file: Annotated[Path, typer.Argument(help="The document: .html, .md, .txt, .docx or .pdf.")],
    doc_id: IdOpt = "",
    title: TitleOpt = "",
    issuer: IssuerOpt = None,
    level: LevelOpt = "",
    region: RegionOpt = "",
    date: DateOpt = "",
    source_url: SourceUrlOpt = "",
    corpus: CorpusOpt = None,
) -> None:
    """Copy FILE into your corpus and catalogue it (title, issuer, date … read from the file where it says).

    The corpus is --corpus DIR (made if missing), else the first POLICYDIFF_CORPUS folder, else your user
    corpus. Title and level are required: from the file, or --title / --level.
    """
    from policydiff.corpora.manage import add_document

    fields = _fields(doc_id, title, issuer, level, region, date, source_url)
    _report_added(add_document(file, fields, corpus or ()))


@corpus_app.command("fetch")
def fetch(
    url: Annotated[str, typer.Argument(help="An http:// or https:// address of a policy page, PDF or DOCX.")],
    doc_id: IdOpt = "",
    title: TitleOpt = "",
    issuer: IssuerOpt = None,
    level: LevelOpt = "",
    region: RegionOpt = "",
    date: DateOpt = "",
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait for the server.", min=0.1)] = 20.0,
    corpus: CorpusOpt = None,
) -> None:
    """Download URL into your corpus: the original bytes, the extracted text, the URL and retrieval time."""
    from policydiff.corpora.fetch import fetch_document

    fields = _fields(doc_id, title, issuer, level, region, date, "")
    _report_added(fetch_document(url, fields, corpus or (), timeout=timeout))


@corpus_app.command("remove")
def remove(
    doc: Annotated[str, typer.Argument(help="The id of a document in one of your corpora.")],
    keep_files: Annotated[bool, typer.Option("--keep-files", help="Leave the document's files in the folder.")] = False,
    corpus: CorpusOpt = None,
) -> None:
    """Take a document out of its corpus (catalogue entry and files). The bundled corpus cannot be changed."""
    from policydiff.corpora.manage import remove_document

    entry = remove_document(doc, corpus or (), keep_files=keep_files)
    _say(f"removed {entry.id} from {entry.corpus}")


@corpus_app.command("validate")
def validate(
    corpus: CorpusOpt = None,
    repair: Annotated[
        bool,
        typer.Option(
            "--repair", help="First remove what interrupted adds left behind (orphaned files, temporary files)."
        ),
    ] = False,
) -> None:
    """Check every catalogue entry: file present and inside its corpus folder, sha256 matches, the text segments
    into clauses, dates and levels valid; and every corpus folder: no orphaned or temporary files. Lists all
    problems; exit status 2 when there is any."""
    from policydiff.corpora.errors import CorpusError
    from policydiff.corpora.manage import validate_corpora

    report = validate_corpora(corpus or (), repair=repair)
    for line in report.repaired:
        _say(line)
    for problem in report.problems:
        _say(f"{problem.where}: {problem.message}")
    if not report.ok:
        raise CorpusError(report.summary)
    _say(report.summary)
