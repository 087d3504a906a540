"""The engine's entry point: compare one target document with one or more references.

reader → document model → features → alignment → verdicts; the whole result is cached under a key made of
every input's hash, the settings, the rule set and the engine's code, so a repeated run is a lookup.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from policydiff.compare.cache import Cache, engine_fingerprint, key
from policydiff.compare.config import AlignConfig
from policydiff.compare.result import ClauseRef, Comparison, DocumentSummary, Evidence, Report, Verdict
from policydiff.corpora.model import Clause, Document
from policydiff.corpora.version import package_version

if TYPE_CHECKING:
    from policydiff.compare.tokenize import WordTokenizer
    from policydiff.rules.ruleset import RuleSet

Progress = Callable[[str], None]

# A study compares one reference with hundreds of targets, many on each process: the reference's tokens and
# unit bags (`features.document_side`) are computed once per process and kept here, keyed by everything they
# depend on. Only references are kept (a target is seen once), and only a few, so memory stays bounded.
_REFERENCE_SIDES: OrderedDict[str, Any] = OrderedDict()
REFERENCE_SIDES_KEPT = 2


def summarise(doc: Document) -> DocumentSummary:
    return DocumentSummary(
        info=doc.info,
        clauses=len(doc.clauses),
        sections=len(doc.sections),
        coverage=doc.coverage_counts,
        body_coverage=doc.body_coverage,
        partial=doc.is_partial,
        flags=doc.flags,
        warnings=doc.warnings,
    )


def document_fingerprint(doc: Document) -> str:
    """Changes whenever the text, the structure or the known coverage of the document changes."""
    structure = repr([(c.path, c.heading, c.coverage, c.flags, c.start, c.end) for c in doc.all_clauses])
    return key(doc.text, structure, repr(doc.info))


def without_words(target: Document, reference: Document) -> tuple[Verdict, ...]:
    """The verdicts when one side has no words at all: there is nothing to score, so nothing is matched."""
    if not target.has_words:
        note = f"{target.info.id} has no words to compare (only punctuation, numbering or blank space)"
        return tuple(
            Verdict("missing", (), (_ref(c),), 0.0, Evidence(unseen=not c.body_seen, notes=(note,)))
            for c in reference.clauses
        )
    note = f"{reference.info.id} has no words to compare (only punctuation, numbering or blank space)"
    return tuple(Verdict("added", (_ref(c),), (), 0.0, Evidence(notes=(note,))) for c in target.clauses)


def _ref(clause: Clause) -> ClauseRef:
    return ClauseRef(clause.path, clause.heading, clause.coverage)


def compare_pair(
    target: Document, reference: Document, config: AlignConfig, rules: RuleSet, cache: Cache
) -> Comparison:
    notes: list[str] = []
    if not (target.has_words and reference.has_words):
        empty = target if not target.has_words else reference
        notes.append(
            f"{empty.info.id} has no words to compare (only punctuation, numbering or blank space): nothing was matched"
        )
        return Comparison(summarise(reference), without_words(target, reference), tuple(notes))
    # Imported here: scikit-learn and numpy cost a second to import and a cached run never needs them.
    from policydiff.compare.align import align
    from policydiff.compare.analysis import analyse
    from policydiff.compare.classify import classify
    from policydiff.compare.coding import code_texts, default_codebook
    from policydiff.compare.features import pair_features
    from policydiff.compare.learned import chooser
    from policydiff.rules.apply import compile_rules

    tokenizer = rules_tokenizer(rules, cache)
    # The evidence names instrument changes: the codebook's classifier from the cache rather than trained anew,
    # and every sentence of the pair coded in one batch now (a batch per verdict cost a study a second in ten).
    book = default_codebook()
    chooser(book, cache if cache.enabled else None)
    code_texts(
        [u.text for doc in (target, reference) for c in doc.clauses for u in c.units if u.kind != "heading"], book
    )
    compiled, stopwords = compile_rules(rules), frozenset(rules.stopwords)
    t_tokens = analyse(target, rules, tokenizer, cache)
    r_side = reference_side(reference, config, rules, cache)
    features = pair_features(target, reference, t_tokens, {}, config, compiled, stopwords, reference_side=r_side)
    verdicts = classify(features, align(features, config), config)
    if reference.info.kind == "digest":
        notes.append(f"{reference.info.id} is a digest (our notes on the document), not its full text")
    if reference.is_partial:
        counts = reference.coverage_counts
        notes.append(
            f"{reference.info.id} is partly known: {len(reference.clauses)} clauses, "
            + ", ".join(f"{n} {c}" for c, n in counts.items())
            + f"; clause bodies seen for {reference.body_coverage:.0%}"
        )
    return Comparison(summarise(reference), tuple(verdicts), tuple(notes))


def rules_tokenizer(rules: RuleSet, cache: Cache) -> WordTokenizer:
    """This process's tokenizer for `rules` (their user words and stopwords), kept between pairs; jieba's
    dictionary loads at its first sentence."""
    from policydiff.compare.tokenize import shared_tokenizer

    return shared_tokenizer(
        rules.fingerprint, tuple(rules.user_words), frozenset(rules.stopwords), cache.folder("jieba")
    )


def reference_side(reference: Document, config: AlignConfig, rules: RuleSet, cache: Cache) -> Any:
    """The reference's side of every pair (`features.document_side`): computed once per process and kept. A
    study's worker calls it before its first pair, while the coordinating process is still reading targets."""
    from policydiff.compare.analysis import analyse
    from policydiff.compare.features import document_side
    from policydiff.rules.apply import compile_rules

    tokenizer = rules_tokenizer(rules, cache)
    side_key = key("side", config.digest(), rules.fingerprint, document_fingerprint(reference))
    r_side = _REFERENCE_SIDES.get(side_key)
    # With a cache the reference's analysis is a cheap lookup that keeps its entry in place, so it is always
    # read; without one (a study's pairs), it is skipped once the reference's side is known.
    r_tokens = analyse(reference, rules, tokenizer, cache) if cache.enabled or r_side is None else {}
    if r_side is None:
        r_side = document_side(reference, r_tokens, compile_rules(rules), frozenset(rules.stopwords), config)
        _REFERENCE_SIDES[side_key] = r_side
        while len(_REFERENCE_SIDES) > REFERENCE_SIDES_KEPT:
            _REFERENCE_SIDES.popitem(last=False)
    _REFERENCE_SIDES.move_to_end(side_key)
    return r_side


def _is_comparison(value: object) -> bool:
    return (
        isinstance(value, Comparison)
        and isinstance(value.reference, DocumentSummary)
        and isinstance(value.verdicts, tuple)
        and all(isinstance(v, Verdict) for v in value.verdicts)
    )


def compare_documents(
    target: Document,
    references: Sequence[Document],
    config: AlignConfig | None = None,
    rules: RuleSet | None = None,
    cache: Cache | None = None,
    progress: Progress | None = None,
) -> Report:
    config = config or AlignConfig()
    if rules is None:
        from policydiff.rules.ruleset import load_rules

        rules = load_rules()
    cache = cache or Cache()
    version = package_version()
    comparisons = []
    for reference in references:
        if progress:
            progress(reference.info.id)
        k = key(
            "comparison",
            version,
            engine_fingerprint(),
            config.digest(),
            rules.fingerprint,
            document_fingerprint(target),
            document_fingerprint(reference),
        )
        comparison = cache.get_pickle("comparisons", k, valid=_is_comparison)
        if comparison is None:
            comparison = compare_pair(target, reference, config, rules, cache)
            cache.put_pickle("comparisons", k, comparison)
        comparisons.append(comparison)
    return Report(
        config=config.as_dict(),
        target=summarise(target),
        comparisons=tuple(comparisons),
        rules=rules.describe(),
        version=version,
    )
