"""The comparison engine: normalise, segment, vectorise, align, classify, diff.

Public API::

    from policydiff.compare import AlignConfig, compare_documents
    report = compare_documents(target_doc, [reference_doc], AlignConfig())
"""

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
