"""Policy-instrument coding: every sentence unit of a document gets zero or more codes of a codebook.

Pure functions over the document model and a `Codebook` (`policydiff.rules.codebook`); the result model
(`CodingReport` → `DocumentCoding` → `CodedUnit` → `Code`) is what every renderer of `policydiff code` reads,
and `to_dict` gives the JSON contract `policydiff/coding@1`. Keywords match the analysis text (normalised
punctuation, simplified script); quotes come from the source text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from policydiff.compare.learned import Chooser, chooser
from policydiff.corpora.model import Clause, Document, DocumentInfo, Unit
from policydiff.corpora.version import package_version
from policydiff.rules.codebook import NO_MEASURE, Codebook, Subtype, load_codebook
from policydiff.rules.strength import Strength, policy_strength

if TYPE_CHECKING:
    import pandas as pd

CODING_SCHEMA = "policydiff/coding@1"
NONE = NO_MEASURE  # the type and subtype of a unit with no code, in tables and agreement figures
BY_KEYWORDS, BY_EXAMPLES = "keywords", "examples"  # how a code was found (Code.by)
_MASK = "\x00"  # stands in for excluded phrases: no keyword or pattern contains it


@dataclass(frozen=True)
class Code:
    type: str
    subtype: str
    type_label: str
    subtype_label: str
    score: float  # keywords + patterns that fired
    matched: tuple[str, ...]  # the keywords (as written in the codebook) and patterns that fired
    position: int  # offset of the first hit in the unit's text
    # "keywords"; "examples" when no keyword fired and the codebook's examples gave the code (matched is empty)
    by: str = BY_KEYWORDS

    @property
    def name(self) -> str:
        """ "supply (funding)": how reports name an instrument."""
        return f"{self.type} ({self.subtype})"


@dataclass(frozen=True)
class CodedUnit:
    path: str  # "二/（三）#2": provision path and unit index
    provision: str  # "二/（三）"
    index: int
    kind: str
    text: str  # the sentence as in the source
    codes: tuple[Code, ...]  # primary first

    @property
    def primary(self) -> Code | None:
        return self.codes[0] if self.codes else None


@dataclass(frozen=True)
class Summary:
    """Counts and shares of units by their primary code (each unit counted once)."""

    units: int
    coded: int
    by_type: tuple[tuple[str, int], ...]
    by_subtype: tuple[tuple[str, int], ...]  # "type/subtype"

    def to_dict(self) -> dict[str, Any]:
        def block(counts: tuple[tuple[str, int], ...]) -> dict[str, Any]:
            return {k: {"units": n, "share": round(n / self.coded, 4) if self.coded else 0.0} for k, n in counts}

        return {
            "units": self.units,
            "coded": self.coded,
            "uncoded": self.units - self.coded,
            "by_type": block(self.by_type),
            "by_subtype": block(self.by_subtype),
        }


@dataclass(frozen=True)
class DocumentCoding:
    info: DocumentInfo
    strength: Strength
    units: tuple[CodedUnit, ...]
    provisions: tuple[tuple[str, Summary], ...]  # per provision path, reading order
    summary: Summary


@dataclass(frozen=True)
class CodingReport:
    codebook: dict[str, Any]
    documents: tuple[DocumentCoding, ...]
    version: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": CODING_SCHEMA,
            "policydiff_version": self.version,
            "codebook": self.codebook,
            "documents": [_document_dict(d) for d in self.documents],
        }


# ---- coding a sentence -------------------------------------------------------------------------------------


def _alternation(phrases: Iterable[str], escape: bool) -> re.Pattern[str] | None:
    """One regex for a list of phrases or patterns, longest first so a longer phrase wins at the same place."""
    items = sorted(phrases, key=lambda e: (-len(e), e))
    return re.compile("|".join(re.escape(e) if escape else f"(?:{e})" for e in items)) if items else None


class _Compiled:
    def __init__(self, sub: Subtype) -> None:
        self.sub = sub
        self.exclusions = _alternation(sub.exclusions, escape=True)
        self.patterns = tuple((p, re.compile(p)) for p in sub.patterns)


@dataclass(frozen=True)
class _Book:
    codebook: Codebook  # held, so that its id is not reused while the compiled form is kept
    subtypes: tuple[_Compiled, ...]
    ignore: re.Pattern[str] | None
    stock: re.Pattern[str] | None
    # Sentences already coded with this codebook. The same sentence is coded again and again: a study's
    # reference for every pair, each target for its instrument table and for the evidence of its verdicts.
    coded: dict[str, tuple[Code, ...]]


BOOKS_KEPT = 8  # compiled codebooks kept per process
SENTENCES_KEPT = 65_536  # coded sentences kept per codebook (a few tens of MB); forgotten all at once when full
_books: dict[int, _Book] = {}


def _compiled(codebook: Codebook) -> _Book:
    # Keyed by identity: hashing a codebook (hundreds of keywords) on every sentence cost as much as coding it.
    book = _books.get(id(codebook))
    if book is not None and book.codebook is codebook:
        return book
    if len(_books) >= BOOKS_KEPT:
        _books.clear()
    book = _Book(
        codebook,
        tuple(_Compiled(s) for s in codebook.subtypes),
        _alternation(codebook.ignore, escape=False),
        _alternation([p for s in codebook.stock for p in s.patterns], escape=False),
        {},
    )
    _books[id(codebook)] = book
    return book


def _mask(pattern: re.Pattern[str] | None, text: str) -> str:
    return pattern.sub(lambda m: _MASK * len(m.group()), text) if pattern else text


def stock_formula(text: str, codebook: Codebook) -> str | None:
    """The id of the codebook's stock formula the sentence (analysis text) is, or None."""
    for s in codebook.stock:
        if any(re.search(p, text) for p in s.patterns):
            return s.id
    return None


def code_text(text: str, codebook: Codebook) -> tuple[Code, ...]:
    """The codes of one sentence (analysis text), primary first; () for a sentence of no measure."""
    return code_texts([text], codebook)[0]


def code_texts(texts: Sequence[str], codebook: Codebook) -> list[tuple[Code, ...]]:
    """The codes of each sentence (analysis text), primary first: the subtypes whose keywords or patterns
    reach min_score, none for a stock formula. With the codebook's examples, the keyword code they prefer comes
    first; their own choice (which may be no measure) comes first instead when no keyword code reaches it within
    the examples' override margin, or when no keyword fires. A stock formula stays uncoded."""
    book = _compiled(codebook)
    known = {t: book.coded[t] for t in texts if t in book.coded}
    new = [t for t in dict.fromkeys(texts) if t not in known]
    if new:
        found = [_code(t, codebook, book) for t in new]
        choose = chooser(codebook)
        if choose is not None:  # one batch: the classifier's cost is per call more than per sentence
            open_ = [i for i, t in enumerate(new) if not _is_stock(t, book)]
            chosen = _chosen([new[i] for i in open_], [found[i] for i in open_], choose, codebook)
            for i, codes in zip(open_, chosen, strict=True):
                found[i] = codes
        if len(book.coded) + len(new) > SENTENCES_KEPT:
            book.coded.clear()
        book.coded.update(zip(new, found, strict=True))
        known.update(zip(new, found, strict=True))
    return [known[t] for t in texts]


def _label(c: Code) -> str:
    return f"{c.type}/{c.subtype}"


def _chosen(
    texts: Sequence[str], found: Sequence[tuple[Code, ...]], choose: Chooser, codebook: Codebook
) -> list[tuple[Code, ...]]:
    assert codebook.examples is not None
    override = codebook.examples.override
    out: list[tuple[Code, ...]] = []
    for codes, scores in zip(found, choose.scores(texts), strict=True):
        own = max(scores, key=lambda k: scores[k])
        if codes:
            best = max(codes, key=lambda c: scores.get(_label(c), float("-inf")))
            if scores[own] - scores.get(_label(best), float("-inf")) <= override:
                out.append((best, *(c for c in codes if c is not best)))
                continue
        # No keyword code, or the examples prefer a code the keywords did not give (or no measure) by a margin.
        if own == NONE:
            out.append(())
            continue
        sub = codebook.subtype(own.split("/", 1)[1])
        type_label = codebook.type_of(sub.type).label
        out.append((Code(sub.type, sub.id, type_label, sub.label, 0.0, (), 0, BY_EXAMPLES), *codes))
    return out


def _is_stock(text: str, book: _Book) -> bool:
    return book.stock is not None and book.stock.search(text) is not None


def _code(text: str, codebook: Codebook, book: _Book) -> tuple[Code, ...]:
    if _is_stock(text, book):
        return ()
    text = _mask(book.ignore, text)
    codes: list[tuple[int, int, float, int, Code]] = []
    for order, c in enumerate(book.subtypes):
        masked = _mask(c.exclusions, text)
        matched: list[str] = []
        first = len(text)
        for word in c.sub.keywords:
            pos = masked.find(word)
            if pos >= 0:
                matched.append(word)
                first = min(first, pos)
        for source, pattern in c.patterns:
            m = pattern.search(masked)
            if m:
                matched.append(source)
                first = min(first, m.start())
        score = float(len(matched))
        if matched and score >= codebook.min_score:
            sub = c.sub
            code = Code(sub.type, sub.id, codebook.type_of(sub.type).label, sub.label, score, tuple(matched), first)
            codes.append((-sub.priority, first, -score, order, code))
    codes.sort(key=lambda k: k[:4])
    return tuple(k[4] for k in codes)


# ---- coding a document -------------------------------------------------------------------------------------


def _coded_units(doc: Document) -> Iterable[tuple[Clause, Unit]]:
    """Every unit that can carry a measure: preamble, provisions, closing and sign-off, headings left out."""
    for clause in doc.all_clauses:
        for unit in clause.units:
            if unit.kind != "heading":
                yield clause, unit


def _summary(units: Sequence[CodedUnit], codebook: Codebook) -> Summary:
    types = {t.id: 0 for t in codebook.types}
    subtypes = {f"{s.type}/{s.id}": 0 for s in codebook.subtypes}
    coded = 0
    for u in units:
        p = u.primary
        if p is not None:
            coded += 1
            types[p.type] += 1
            subtypes[f"{p.type}/{p.subtype}"] += 1
    return Summary(len(units), coded, tuple(types.items()), tuple(subtypes.items()))


def code_document(doc: Document, codebook: Codebook | None = None) -> DocumentCoding:
    codebook = codebook or default_codebook()
    listed = list(_coded_units(doc))
    codes = code_texts([unit.text for _, unit in listed], codebook)
    # The sign-off (issuer, date) states no measure, whatever a classifier would make of a bare agency name.
    codes = [() if clause is doc.signoff else found for (clause, _), found in zip(listed, codes, strict=True)]
    units = tuple(
        CodedUnit(
            f"{clause.path}#{unit.index}", clause.path, unit.index, unit.kind, doc.quote(unit.start, unit.end), found
        )
        for (clause, unit), found in zip(listed, codes, strict=True)
    )
    by_provision: dict[str, list[CodedUnit]] = {}
    for u in units:
        by_provision.setdefault(u.provision, []).append(u)
    provisions = tuple((path, _summary(us, codebook)) for path, us in by_provision.items())
    strength = policy_strength(doc.info, codebook.strength)
    return DocumentCoding(doc.info, strength, units, provisions, _summary(units, codebook))


def code_documents(docs: Sequence[Document], codebook: Codebook | None = None) -> CodingReport:
    codebook = codebook or default_codebook()
    return CodingReport(codebook.describe(), tuple(code_document(d, codebook) for d in docs), package_version())


@lru_cache(maxsize=1)
def default_codebook() -> Codebook:
    return load_codebook()


# ---- tables for notebooks and studies ---------------------------------------------------------------------

# The codings' table: each column with the Python type of its values (a study's workers make it in parts).
FRAME_TYPES: dict[str, type] = {
    "document": str,
    "provision": str,
    "unit": int,
    "path": str,
    "text": str,
    "rank": int,
    "type": str,
    "subtype": str,
    "type_label": str,
    "subtype_label": str,
    "score": float,
    "matched": str,
    "by": str,
    "strength": int,
}
FRAME_COLUMNS: tuple[str, ...] = tuple(FRAME_TYPES)


def coding_rows(report: CodingReport) -> list[dict[str, Any]]:
    """One row per code (rank 1 = primary); a unit with no code gives one row with type and subtype "none"."""
    rows: list[dict[str, Any]] = []
    for d in report.documents:
        for u in d.units:
            base = {"document": d.info.id, "provision": u.provision, "unit": u.index, "path": u.path, "text": u.text}
            if not u.codes:
                rows.append(
                    {
                        **base,
                        "rank": 0,
                        "type": NONE,
                        "subtype": NONE,
                        "type_label": "",
                        "subtype_label": "",
                        "score": 0.0,
                        "matched": "",
                        "by": "",
                        "strength": d.strength.score,
                    }
                )
            for rank, c in enumerate(u.codes, start=1):
                rows.append(
                    {
                        **base,
                        "rank": rank,
                        "type": c.type,
                        "subtype": c.subtype,
                        "type_label": c.type_label,
                        "subtype_label": c.subtype_label,
                        "score": c.score,
                        "matched": "; ".join(c.matched),
                        "by": c.by,
                        "strength": d.strength.score,
                    }
                )
    return rows


def codings_frame(report: CodingReport) -> pd.DataFrame:
    """The codings as a pandas DataFrame (document × provision × unit × code); pandas is imported here only."""
    import pandas as pd

    return pd.DataFrame(coding_rows(report), columns=list(FRAME_COLUMNS))


@dataclass(frozen=True)
class MixRow:
    document: str
    type: str
    subtype: str  # "" for a type's own row
    units: int
    share: float  # of the document's coded units
    reference_share: float
    difference: float  # share − reference_share


def instrument_mix(codings: Sequence[DocumentCoding], reference: str | None = None) -> list[MixRow]:
    """Share of coded units by type and by subtype per document, and the difference from the reference document
    (default: the first). Rows: for each document, each type, then each of its subtypes."""
    if not codings:
        return []
    ref = next((c for c in codings if c.info.id == reference), None) if reference else codings[0]
    if ref is None:
        raise ValueError(f"reference {reference!r} is not among the coded documents")

    def shares(c: DocumentCoding) -> dict[tuple[str, str], tuple[int, float]]:
        total = c.summary.coded
        out = {(t, ""): (n, n / total if total else 0.0) for t, n in c.summary.by_type}
        for key, n in c.summary.by_subtype:
            t, s = key.split("/", 1)
            out[(t, s)] = (n, n / total if total else 0.0)
        return out

    ref_shares = shares(ref)
    rows = []
    for c in codings:
        own = shares(c)
        for t, s in _mix_order(own):
            n, share = own[(t, s)]
            r = ref_shares.get((t, s), (0, 0.0))[1]
            rows.append(MixRow(c.info.id, t, s, n, round(share, 4), round(r, 4), round(share - r, 4)))
    return rows


def _mix_order(shares: dict[tuple[str, str], tuple[int, float]]) -> list[tuple[str, str]]:
    types = [t for t, s in shares if not s]
    return [key for t in types for key in [(t, ""), *[(t2, s) for t2, s in shares if t2 == t and s]]]


# ---- instrument changes between matched provisions -----------------------------------------------------------


def _primary_names(units: Iterable[Unit], codebook: Codebook) -> list[str]:
    names: list[str] = []
    for u in units:
        if u.kind == "heading":
            continue
        codes = code_text(u.text, codebook)
        if codes and codes[0].name not in names:
            names.append(codes[0].name)
    return names


def instrument_changes(
    target: Sequence[Clause],
    reference: Sequence[Clause],
    pairs: Iterable[tuple[str, int, str, int]] = (),
    codebook: Codebook | None = None,
) -> tuple[str, ...]:
    """How the instruments of a matched verdict moved (primary codes of the units). For each sentence pair given
    (target path, unit index, reference path, unit index) whose primary codes differ: "reference → target".
    Then the instruments of the reference provisions the target does not use ("dropped …") and its new ones
    ("added …"); when exactly one was dropped and one added (and no pair said more), "dropped → added"."""
    codebook = codebook or default_codebook()
    # Coded in one batch first (then remembered): the examples' classifier costs per call more than per sentence.
    code_texts([u.text for c in (*target, *reference) for u in c.units if u.kind != "heading"], codebook)
    t_units = {(c.path, u.index): u for c in target for u in c.units}
    r_units = {(c.path, u.index): u for c in reference for u in c.units}
    out: list[str] = []
    for t_path, t_index, r_path, r_index in pairs:
        tu, ru = t_units.get((t_path, t_index)), r_units.get((r_path, r_index))
        if tu is None or ru is None:
            continue
        tc, rc = code_text(tu.text, codebook), code_text(ru.text, codebook)
        if tc and rc and tc[0].name != rc[0].name:
            change = f"{rc[0].name} → {tc[0].name}"
            if change not in out:
                out.append(change)
    t_names = _primary_names((u for c in target for u in c.units), codebook)
    r_names = _primary_names((u for c in reference for u in c.units), codebook)
    dropped = [n for n in r_names if n not in t_names]
    added = [n for n in t_names if n not in r_names]
    if len(dropped) == 1 and len(added) == 1 and not out:
        # One instrument given up and one taken on: the provision swapped them.
        return (f"{dropped[0]} → {added[0]}",)
    return (*out, *(f"dropped {n}" for n in dropped), *(f"added {n}" for n in added))


# ---- JSON --------------------------------------------------------------------------------------------------


def _code_dict(c: Code) -> dict[str, Any]:
    return {
        "type": c.type,
        "subtype": c.subtype,
        "type_label": c.type_label,
        "subtype_label": c.subtype_label,
        "score": c.score,
        "matched": list(c.matched),
        "by": c.by,
    }


def _info_dict(info: DocumentInfo) -> dict[str, Any]:
    return {
        "id": info.id,
        "title": info.title,
        "kind": info.kind,
        "level": info.level,
        "region": info.region,
        "issuer": list(info.issuer),
        "date": info.date,
        "doc_type": info.doc_type,
        "implements": list(info.implements),
        "source": info.source,
        "corpus": info.corpus,
        "sha256": info.sha256,
    }


def _document_dict(d: DocumentCoding) -> dict[str, Any]:
    return {
        "document": _info_dict(d.info),
        "strength": d.strength.describe(),
        "units": [
            {"path": u.path, "provision": u.provision, "text": u.text, "codes": [_code_dict(c) for c in u.codes]}
            for u in d.units
        ],
        "summary": {
            "document": d.summary.to_dict(),
            "provisions": [{"path": path, **s.to_dict()} for path, s in d.provisions],
        },
    }
