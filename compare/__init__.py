"""The comparison engine: normalise, segment, vectorise, align, classify, diff.

Public API::

    from policydiff.compare import AlignConfig, compare_documents
    report = compare_documents(target_doc, [reference_doc], AlignConfig())

`policydiff.compare` is also the notebook verb `policydiff.compare(target, *references, …)`: the package
is callable and calls `policydiff.compare.api.compare` (the package name and the verb are the same word, and
Python sets a subpackage as its parent's attribute, so the verb has to live on the package itself).
"""

import sys
import types
from typing import Any

from policydiff.compare import api as _api
from policydiff.compare.config import AlignConfig
from policydiff.compare.result import Comparison, Evidence, Report, Verdict
from policydiff.compare.run import compare_documents
from policydiff.corpora.errors import PolicydiffError
from policydiff.corpora.model import Clause, Document, Section, Unit

__all__ = [
    "AlignConfig",
    "Clause",
    "Comparison",
    "Document",
    "Evidence",
    "PolicydiffError",
    "Report",
    "Section",
    "Unit",
    "Verdict",
    "compare_documents",
]


class _CallablePackage(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return _api.compare(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
