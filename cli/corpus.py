"""`policydiff corpus …`: list, show, add, fetch, remove and validate the documents a run can compare."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from policydiff.cli.options import CorpusOpt
from policydiff.cli.output import stdout_console

corpus_app = typer.Typer(help="List, show and manage the documents policydiff can compare.", no_args_is_help=True)


@corpus_app.command("list")
def list_documents(corpus: CorpusOpt = None) -> None:
    """List every document: id, level, region, date, kind (full or digest), title, where it comes from."""
    from policydiff.cli.terminal import corpus_table
    from policydiff.corpora import Catalogue

    stdout_console().print(corpus_table(Catalogue.default(corpus or ()).entries))


@corpus_app.command("show")
def show_document(
    doc: Annotated[str, typer.Argument(help="A corpus id or a file path.")],
    corpus: CorpusOpt = None,
) -> None:
    """Print a document's structure: sections, clauses with their headings, item and sentence counts."""
    from policydiff.cli.terminal import document_footer, document_tree
    from policydiff.corpora import Catalogue

    document = Catalogue.default(corpus or ()).load(doc)
    console = stdout_console()
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

    console = stderr_console() if err else stdout_console()
    console.print(line, markup=False, highlight=False, soft_wrap=True, style="yellow" if err else None)


def _report_added(result) -> None:  # type: ignore[no-untyped-def]
    e, doc = result.entry, result.document
    _say(f"added {e.id} to {result.corpus}" + (" (a new corpus)" if result.created else ""))
    _say(f"  {e.title}")
    facts = ", ".join(f for f in (e.level, e.region, e.date, "、".join(e.issuer)) if f)
    files = f"file {e.file}" + (f", original {e.original}" if e.original else "")
    _say(f"  {facts}; {len(doc.sections)} sections, {len(doc.clauses)} clauses; {files}")
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
