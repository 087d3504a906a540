"""A document as plain data: its data card and its outline (the node tree), for JSON and other exports."""

from __future__ import annotations

import dataclasses
from typing import Any

from policydiff.corpora.model import Document, Node

SCHEMA = "policydiff/document@1"


def card(doc: Document) -> dict[str, Any]:
    """The data card: `DocumentInfo` with lists for tuples and the reader's metadata as a table."""
    data = dataclasses.asdict(doc.info)
    data["issuer"] = list(doc.info.issuer)
    data["implements"] = list(doc.info.implements)
    data["extra"] = dict(doc.info.extra)
    return data


def node_data(node: Node) -> dict[str, Any]:
    return {
        "kind": node.kind,
        "label": node.label,
        "number": node.number,
        "path": node.path,
        "heading": node.heading,
        "provision": node.provision,
        "start": node.start,
        "end": node.end,
        "units": len(node.units),
        "sentences": sum(1 for u in node.units if u.kind != "heading"),
        "children": [node_data(c) for c in node.children],
    }


def document_data(doc: Document) -> dict[str, Any]:
    """Data card, structure counts and the outline, as `policydiff corpus show ID --format json` prints them."""
    return {
        "schema": SCHEMA,
        "document": card(doc),
        "style": doc.style,
        "provision_level": doc.provision_level,
        "sections": len(doc.sections),
        "provisions": len(doc.clauses),
        "coverage": doc.coverage_counts,
        "flags": list(doc.flags),
        "warnings": list(doc.warnings),
        "outline": node_data(doc.outline),
    }
