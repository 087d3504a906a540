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
    from policydiff.compare.api import similar as similar_api
    from policydiff.corpora import Catalogue

    table = similar_api(
        *(documents or ()), corpus=corpus or (), top=top, min_score=min_score, workers=workers, scheduler=scheduler,
        out=out,
    )  # fmt: skip
    count = len(documents) if documents else len(Catalogue.default(corpus or ()).ids)
    stdout_console().print(f"{len(table)} similar pairs among {count} documents → {out}", markup=False, soft_wrap=True)
