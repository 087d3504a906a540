"""Reading the documents a command names (ids or file paths), with their segmentation warnings on stderr."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from policydiff.cli.output import stderr_console
from policydiff.compare.run import has_words
from policydiff.corpora.model import Document


def open_documents(refs: Sequence[str], corpus: Sequence[Path] | None) -> list[Document]:
    from policydiff.corpora import Catalogue

    catalogue = Catalogue.default(corpus or ())
    docs = [catalogue.load(ref) for ref in refs]
    err = stderr_console()
    for doc in docs:
        warnings = list(doc.warnings)
        if not has_words(doc):
            warnings.append(f"{doc.info.id}: no words to compare (only punctuation, numbering or blank space)")
        for warning in warnings:
            err.print(f"policydiff: warning: {warning}", style="yellow", markup=False, soft_wrap=True)
    return docs


def linked_references(target: str, corpus: Sequence[Path] | None) -> list[str]:
    """The ids of the documents TARGET implements, said on stderr in one line (a compare given no reference)."""
    from policydiff.corpora import Catalogue
    from policydiff.corpora.links import linked_references as find

    ids = [e.id for e in find(Catalogue.default(corpus or ()), target)]
    stderr_console().print(
        f"policydiff: comparing {target} with {', '.join(ids)}, the document it implements",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    return ids
