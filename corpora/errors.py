"""Errors a user can cause. The CLI turns each into one line on stderr and exit code 2; anything else is a bug."""

from __future__ import annotations


class PolicydiffError(Exception):
    """Base of every error caused by input, configuration or environment, never by a bug."""


class InputError(PolicydiffError):
    """A file cannot be read, decoded or understood. The message names the file and the reason."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class UnknownDocumentError(PolicydiffError):
    def __init__(self, doc_id: str, known: list[str]) -> None:
        self.doc_id = doc_id
        self.known = known
        shown = ", ".join(known) if known else "(none)"
        super().__init__(f"unknown document {doc_id!r}; known ids: {shown}")


class CorpusError(PolicydiffError):
    """A catalogue is invalid or an operation on a corpus cannot be done."""


class CatalogueShapeError(CorpusError):
    """A catalogue's values have the wrong type. `problems` holds every one (file:line: document: field: what)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        more = f" (and {len(problems) - 1} more; `policydiff corpus validate` lists them)" if len(problems) > 1 else ""
        super().__init__(problems[0] + more)


class ConfigError(PolicydiffError):
    """A setting, rule file or option value is invalid."""


class FetchError(PolicydiffError):
    """A download failed (network, status, type or size)."""
