"""`policydiff rules list`: the rule files a run uses, bundled first, then any `--rules DIR`."""

from __future__ import annotations

import typer

from policydiff.cli.options import RulesOpt
from policydiff.cli.output import print_lines, stdout_console, stdout_is_terminal

rules_app = typer.Typer(
    help="Show the keyword rules (lexicons, topics, targets, places, directives).", no_args_is_help=True
)


@rules_app.command(
    "list", epilog="Examples:\n\n  policydiff rules list\n\n  policydiff rules list --rules my-rules/ | cut -f2,4"
)
def list_rules(rules: RulesOpt = None) -> None:
    """List every rule file: where it comes from, what it holds, how many entries, its sha256."""
    from rich.table import Table

    from policydiff.rules.ruleset import load_rules

    ruleset = load_rules(rules or ())
    if not stdout_is_terminal():  # a pipe: tab-separated lines, nothing wrapped or cut
        rows = [("source", "file", "holds", "entries", "sha256")]
        rows += [(f.source, f.name, f.kind, str(f.entries), f.sha256) for f in ruleset.rule_files]
        print_lines(["\t".join(r) for r in rows])
        return
    table = Table(title=f"policydiff rules  (fingerprint {ruleset.fingerprint})", title_justify="left")
    for column in ("source", "file", "holds", "entries", "sha256"):
        table.add_column(column, overflow="fold")
    for f in ruleset.rule_files:
        table.add_row(f.source, f.name, f.kind, str(f.entries), f.sha256[:12])
    stdout_console().print(table)
