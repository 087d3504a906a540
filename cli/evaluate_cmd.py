"""`policydiff evaluate GOLD…`: score the engine (and the plain TF-IDF baseline) against gold alignments."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from policydiff.cli.options import CorpusOpt, NoCacheOpt, RulesOpt, open_cache
from policydiff.cli.output import stdout_console


def evaluate(
    gold: Annotated[list[Path], typer.Argument(help="Gold alignment files (TOML), e.g. tests/gold/*.toml.")],
    corpus: CorpusOpt = None,
    rules: RulesOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Compare each gold file's documents and print precision, recall and F1 for clause pairs and per label."""
    from rich.table import Table

    from policydiff.compare.evaluate import evaluate as run_evaluation
    from policydiff.compare.result import LABELS
    from policydiff.corpora import Catalogue
    from policydiff.rules.ruleset import load_rules

    catalogue = Catalogue.default(corpus or ())
    ruleset = load_rules(rules or ())
    cache = open_cache(no_cache)
    console = stdout_console()
    for path in gold:
        ev = run_evaluation(path, catalogue.load, rules=ruleset, cache=cache)
        table = Table(title=f"{path.name}: {ev.target_id} against {ev.reference_id}", title_justify="left")
        for column in ("", "precision", "recall", "F1", "TP", "FP", "FN"):
            table.add_column(column, justify="left" if not column else "right")
        for card in (ev.system, ev.baseline):
            rows = [("clause pairs", card.pairs), ("verdicts", card.verdicts)]
            rows += [(f"  {label}", card.labels[label]) for label in LABELS]
            for name, s in rows:
                empty = not (s.true_positives + s.false_positives + s.false_negatives)
                cells = ["—"] * 3 if empty else [f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}"]
                counts = [str(s.true_positives), str(s.false_positives), str(s.false_negatives)]
                table.add_row(f"{card.name} {name}" if not name.startswith(" ") else name, *cells, *counts)
            table.add_section()
        console.print(table)
        for error in ev.system.errors:
            console.print(f"  policydiff {error}")
