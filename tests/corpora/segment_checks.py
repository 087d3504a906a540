"""Checks every segmented document must pass: a well-formed tree whose nodes hold every non-blank character once."""

from __future__ import annotations

from policydiff.corpora.model import Document, Node


def check_tree(doc: Document) -> None:
    """Spans inside the text, children nested in their parent and in reading order without overlap, and every
    character with analysable text (not blank, not a masked digest marker) inside a node below the root."""
    root = doc.outline
    n = len(doc.text)
    assert root.start == 0 and root.end == n

    def visit(node: Node) -> None:
        assert 0 <= node.start <= node.end <= n, (node.kind, node.path, node.start, node.end)
        last = node.start
        for child in node.children:
            assert node.start <= child.start <= child.end <= node.end, (node.path, child.path)
            assert child.start >= last, ("overlap", node.path, child.path)
            last = child.end
            visit(child)
        for unit in node.units:
            assert node.start <= unit.start <= unit.end <= node.end, (node.path, unit)

    visit(root)
    covered = bytearray(n)
    for child in root.children:
        covered[child.start : child.end] = b"\x01" * (child.end - child.start)
    lost = [i for i in range(n) if not covered[i] and not doc.analysis_text[i].isspace()]
    assert not lost, f"text outside every node: {[doc.text[i] for i in lost[:20]]!r} at {lost[:5]}"
    for p in doc.clauses:
        assert 0 <= p.start <= p.end <= n
