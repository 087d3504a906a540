"""`policydiff code DOC…`: policy-instrument codes for every sentence, or `--evaluate HAND.csv` agreement."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from policydiff.cli.inputs import open_documents
from policydiff.cli.options import CorpusOpt, NoCacheOpt, OutputOpt, open_cache
from policydiff.cli.output import stdout_console, write_output

CodebookOpt = Annotated[
    Path | None,
    typer.Option(
        "--codebook",
        help="A codebook TOML file of your own (default: the bundled Rothwell–Zegveld scheme).",
        show_default=False,
    ),
]
EvaluateOpt = Annotated[
    Path | None,
    typer.Option(
        "--evaluate",
        help="A hand-coded sample (CSV: document, text and/or path, type, subtype): report agreement with it.",
        show_default=False,
    ),
]
SecondCoderOpt = Annotated[
    Path | None,
    typer.Option(
        "--second-coder",
        help="With --evaluate: a second coder's coding of the same sentences; adds policydiff's agreement with "
        "it and the agreement between the two coders (inter-coder reliability).",
        show_default=False,
    ),
]
CodeFormatOpt = Annotated[str, typer.Option("--format", "-f", help="Output format: terminal, json, csv or xlsx.")]


def code(
    documents: Annotated[
        list[str] | None,
        typer.Argument(help="Documents to code (ids or file paths); with --evaluate, default: those it names."),
    ] = None,
    codebook: CodebookOpt = None,
    fmt: CodeFormatOpt = "terminal",
    output: OutputOpt = None,
    evaluate: EvaluateOpt = None,
    second_coder: SecondCoderOpt = None,
    corpus: CorpusOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Code every sentence of each document by policy instrument (供给型 / 环境型 / 需求型 …) and score its strength."""
    from policydiff.compare.api import code as code_api
    from policydiff.compare.export.coding import CODING_EXPORTERS
    from policydiff.corpora.errors import ConfigError
    from policydiff.rules.codebook import load_codebook

    formats = ("terminal", "json") if evaluate else ("terminal", *sorted(CODING_EXPORTERS))
    if fmt not in formats:
        raise ConfigError(
            f"unknown format {fmt!r} for code{' --evaluate' if evaluate else ''}; known: {', '.join(formats)}"
        )
    if fmt == "terminal" and output is not None:
        raise ConfigError("--output needs a file format (--format json, csv or xlsx)")
    if second_coder is not None and evaluate is None:
        raise ConfigError("--second-coder needs --evaluate (the first coder's sample)")
    book = load_codebook(codebook)
    hand = second = None
    if evaluate is not None:
        from policydiff.compare.reliability import read_hand_coding

        hand = read_hand_coding(evaluate, book)
        second = read_hand_coding(second_coder, book) if second_coder is not None else None
        named = [h.document for h in (*hand, *(second or ()))]
        documents = documents or list(dict.fromkeys(named))
    if not documents:
        raise ConfigError("name at least one document to code (an id or a file path)")
    report = code_api(*open_documents(documents, corpus), codebook=book, cache=open_cache(no_cache)).report
    if hand is not None and evaluate is not None:
        from policydiff.compare.reliability import evaluate_coding

        reliability = evaluate_coding(report, hand, str(evaluate))
        if second is None or second_coder is None:
            if fmt == "json":
                write_output(_json(reliability.to_dict()), output)
                return
            from policydiff.cli.code_view import agreement_view

            stdout_console().print(agreement_view(reliability))
            return
        from policydiff.compare.intercoder import CODER_AGREEMENT_SCHEMA, coder_agreement

        with_second = evaluate_coding(report, second, str(second_coder))
        between = coder_agreement(hand, second, str(evaluate), str(second_coder))
        if fmt == "json":
            data = {
                "schema": CODER_AGREEMENT_SCHEMA,
                "policydiff_vs_first": reliability.to_dict(),
                "policydiff_vs_second": with_second.to_dict(),
                "between_coders": between.to_dict(),
            }
            write_output(_json(data), output)
            return
        from policydiff.cli.code_view import agreement_view, coder_agreement_view

        console = stdout_console()
        console.print(agreement_view(reliability))
        console.print(agreement_view(with_second))
        console.print(coder_agreement_view(between))
        return
    if fmt == "terminal":
        from policydiff.cli.code_view import coding_view

        console = stdout_console()
        for doc in report.documents:
            console.print(coding_view(doc))
        if len(report.documents) > 1:
            from policydiff.cli.code_view import mix_view
            from policydiff.compare.coding import instrument_mix

            digests = frozenset(d.info.id for d in report.documents if d.info.kind == "digest")
            console.print(mix_view(instrument_mix(report.documents), report.documents[0].info.id, digests))
        return
    write_output(CODING_EXPORTERS[fmt](report), output)


def _json(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
