"""Reading the documents a command names (ids or file paths), with their segmentation warnings on stderr."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from policydiff.cli.errors import warning_line
from policydiff.cli.output import stderr_console
from policydiff.corpora.model import Document


def open_documents(refs: Sequence[str], corpus: Sequence[Path] | None) -> list[Document]:
    from policydiff.compare.api import document_warnings, load

    docs = [load(ref, corpus) for ref in refs]
    for doc in docs:
        for warning in document_warnings(doc):
            warning_line(warning)
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
