"""`policydiff study REFERENCE [TARGET…] --out DIR`: one reference against many targets, as a dataset."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

import typer

from policydiff.cli.options import CorpusOpt, RulesOpt
from policydiff.cli.output import stderr_console, stdout_console

# Exit status of a study that finished but could not compare some pairs (listed in pairs.parquet).
SOME_PAIRS_FAILED = 3


class _Progress:
    """Pairs done / total, rate and time left, on stderr when it is a terminal."""

    def __init__(self) -> None:
        self.console = stderr_console()
        self.bar: Any = None
        self.task: Any = None
        self.started = time.perf_counter()
        self.first = 0

    def __call__(self, done: int, total: int, reused: int) -> None:
        if not self.console.is_terminal:
            return
        if self.bar is None:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(
                TextColumn("comparing"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]}"),
                TimeRemainingColumn(),
                console=self.console,
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task("pairs", total=total, rate="")
            self.first = done
            self.started = time.perf_counter()
        elapsed = time.perf_counter() - self.started
        rate = (done - self.first) / elapsed if elapsed > 0 and done > self.first else 0.0
        self.bar.update(self.task, completed=done, rate=f"{rate:.1f} pairs/s" if rate else "")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def study(
    reference: Annotated[str, typer.Argument(help="The document every target is held against (id or file).")],
    targets: Annotated[
        list[str] | None, typer.Argument(help="Targets (ids or files); default: the documents implementing it.")
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder the dataset is written to (created if missing).")] = ...,  # type: ignore[assignment]
    corpus: CorpusOpt = None,
    all_below: Annotated[
        bool, typer.Option("--all", help="Every document of a lower level than the reference, linked or not.")
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=0, help="Local worker processes (default: one per CPU; 0: this process)."),
    ] = None,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="An existing Dask scheduler, tcp://HOST:PORT.")
    ] = None,
    fresh: Annotated[bool, typer.Option("--fresh", help="Compare every pair again, ignoring finished ones.")] = False,
    rules: RulesOpt = None,
) -> None:
    """Compare every TARGET with REFERENCE in parallel and write verdicts, documents, pairs, provisions and the
    documents' policy-instrument codings (instruments, instrument_mix) as Parquet and CSV, study.json and a
    summary (md, html) to --out. A rerun skips the pairs already done.
    Exit status 3: the study finished but some pairs failed (see pairs.parquet)."""
    from policydiff.compare.api import study as study_api

    progress = _Progress()
    try:
        result = study_api(
            reference,
            *(targets or ()),
            corpus=corpus or (),
            all_below=all_below,
            out=out,
            workers=workers,
            scheduler=scheduler,
            fresh=fresh,
            rules=rules or (),
            progress=progress,
        )
    finally:
        progress.close()
    run = result.record["run"]
    stdout_console().print(
        f"{run['pairs']} pairs: {run['computed']} compared, {run['reused']} reused, {run['failed']} failed "
        f"({run['pool']}, {run['seconds_total']:.1f} s) → {out}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    if result.failed:
        raise typer.Exit(SOME_PAIRS_FAILED)
