"""`corpus show`: a document's tree for the terminal (rich renderables; the caller's console prints them)."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from rich.tree import Tree

from policydiff.cli.safe import printable
from policydiff.corpora.model import Document, Node

# How each node kind is named in the tree when it has no label of its own.
_NAMES = {
    "wrapper": "通知",
    "history": "沿革",
    "contents": "目录",
    "preamble": "序言",
    "closing": "结语",
    "signoff": "落款",
}


def document_tree(doc: Document) -> Tree:
    info = doc.info
    root = Tree(
        Text.assemble((printable(info.id), "bold"), f"  {printable(info.title)}  ", (f"[{info.kind}]", "magenta"))
    )
    for child in doc.outline.children:
        _add(root, doc, child)
    return root


def _add(branch: Tree, doc: Document, node: Node) -> None:
    if node.provision:
        branch.add(_provision_line(doc, node))
        return
    if node.kind in ("preamble", "closing", "wrapper", "contents"):
        sentences = sum(1 for u in node.units if u.kind != "heading")
        name = _NAMES[node.kind]
        heading = f" {printable(node.heading)}" if node.heading else ""
        branch.add(Text.assemble((name, "bold"), heading, (f"  ({sentences} sentences)", "dim")))
        return
    if node.kind == "signoff":
        branch.add(Text.assemble(("落款", "bold"), "  ", printable(doc.quote(node.start, node.end))))
        return
    if node.kind == "history":
        sub = branch.add(Text("沿革", style="bold"))
        for event in node.children:
            sub.add(Text.assemble((printable(event.label), "bold"), "  ", printable(event.heading)))
        return
    if node.kind == "paragraph":  # a lead-in paragraph under a heading: not compared
        branch.add(Text.assemble((printable(node.label), "bold"), "  ", (printable(_snippet(doc, node)), "dim")))
        return
    label = node.label + ("、" if node.kind == "level1" else "")
    sub = branch.add(Text.assemble((printable(label), "bold"), " " if node.heading else "", printable(node.heading)))
    for child in node.children:
        _add(sub, doc, child)


def _snippet(doc: Document, node: Node, size: int = 30) -> str:
    text = doc.quote(node.start, node.end)
    return text if len(text) <= size else text[:size] + "…"


def _provision_line(doc: Document, node: Node) -> Text:
    clause = doc.clause(node.path)
    sentences = len(clause.body_units)
    if clause.heading:
        text = Text.assemble((printable(clause.label), "bold"), " ", printable(clause.heading))
    elif clause.body_units:  # an article has no heading: its opening words say what it is about
        first = doc.quote(clause.body_units[0].start, clause.body_units[0].end)
        text = Text.assemble((printable(clause.label), "bold"), " ", printable(first[:24] + "…" * (len(first) > 24)))
    else:
        text = Text.assemble((printable(clause.label), "bold"), " 〔无标题〕")
    detail = f"  {clause.items} items, {sentences} sentences"
    if clause.coverage != "full":
        detail += f", {clause.coverage}"
    text.append(detail, style="dim")
    return text


def document_footer(doc: Document) -> RenderableType:
    counts = doc.coverage_counts
    level = {"article": "articles (条)", "level1": "一、", "level2": "（一）", "level3": "1.", "mixed": "mixed"}
    lines = [f"{len(doc.sections)} sections, {len(doc.clauses)} clauses"]
    if doc.provision_level:
        lines[0] += f"; provisions: {level.get(doc.provision_level, doc.provision_level)}"
    if doc.is_partial:
        lines.append("coverage: " + ", ".join(f"{n} {c}" for c, n in counts.items() if n))
    lines.extend(f"note: {printable(f)}" for f in doc.flags)
    lines.extend(f"warning: {printable(w)}" for w in doc.warnings)
    return Text("\n".join(lines), style="dim")
