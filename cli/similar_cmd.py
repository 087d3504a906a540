"""`policydiff similar --out FILE`: every provision's most similar provisions in other documents (text reuse)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from policydiff.cli.options import CorpusOpt
from policydiff.cli.output import stdout_console


def similar(
    documents: Annotated[
        list[str] | None, typer.Argument(help="Documents (ids or files); default: every document in the corpora.")
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Where the table goes: FILE.parquet or FILE.csv.")] = ...,  # type: ignore[assignment]
    corpus: CorpusOpt = None,
    top: Annotated[int, typer.Option("--top", help="Similar provisions kept per provision.")] = 5,
    min_score: Annotated[float, typer.Option("--min", help="Lowest similarity kept (cosine, 0..1).")] = 0.5,
    workers: Annotated[
        int | None, typer.Option("--workers", min=0, help="Local worker processes (default: one per CPU).")
    ] = None,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="A Dask scheduler, tcp://HOST:PORT.")] = None,
) -> None:
    """For every provision, its --top most similar provisions in other documents (score ≥ --min), with both
    documents' dates so the earlier one can be read as the source."""
    from policydiff.compare.similar import similar as find_similar
    from policydiff.compare.tables import write_frame
    from policydiff.corpora import Catalogue
    from policydiff.corpora.errors import ConfigError, InputError

    if out.suffix not in (".parquet", ".csv"):
        raise ConfigError(f"--out must end in .parquet or .csv, not {out.name!r}")
    if out.is_dir():
        raise InputError(out, "is a folder; --out needs a file name")
    catalogue = Catalogue.default(corpus or ())
    docs = [catalogue.load(ref) for ref in (documents or catalogue.ids)]
    table = find_similar(docs, top=top, min_score=min_score, workers=workers, scheduler=scheduler)
    write_frame(table, out)
    stdout_console().print(
        f"{len(table)} similar pairs among {len(docs)} documents → {out}", markup=False, soft_wrap=True
    )
