"""Sentences a process has seen are tokenised and bagged once (a study's worker meets the same sentence in many
targets): what is remembered never leaks between callers or between rule settings."""

from __future__ import annotations

from dataclasses import replace

import pytest

from policydiff.compare import features, tokenize
from policydiff.compare.config import AlignConfig
from policydiff.compare.tokenize import WordTokenizer
from policydiff.rules.apply import compile_rules
from policydiff.rules.ruleset import load_rules

SENTENCE = "加快推进长株潭都市圈建设，支持示范区先行先试。"


def test_a_remembered_sentence_is_a_fresh_list_for_every_caller() -> None:
    tokenizer = WordTokenizer()
    first = tokenizer.tokens(SENTENCE)
    assert "".join(first) == SENTENCE
    first.append("改")  # a caller changing its list …
    assert tokenizer.tokens(SENTENCE) == first[:-1]  # … does not change what the next one gets


def test_the_oldest_sentences_are_forgotten_beyond_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tokenize, "SENTENCES_KEPT", 2)
    tokenizer = WordTokenizer()
    texts = ["推进改革。", "扩大开放。", "加强监管。"]
    expected = [tokenizer.tokens(t) for t in texts]
    assert list(tokenizer._seen) == texts[1:]
    assert [tokenizer.tokens(t) for t in texts] == expected


def test_a_bag_is_remembered_only_for_the_settings_it_was_made_with() -> None:
    rules = compile_rules(load_rules())
    tokens = WordTokenizer().tokens(SENTENCE)
    stop = frozenset[str]()
    bigrams = replace(AlignConfig(), char_ngram_max=2)
    made = features._unit_bag(SENTENCE, tokens, rules, stop, bigrams)
    assert features._remembered_bag(SENTENCE, tokens, rules, stop, bigrams) == made
    trigrams = features._remembered_bag(SENTENCE, tokens, rules, stop, AlignConfig())
    assert trigrams == features._unit_bag(SENTENCE, tokens, rules, stop, AlignConfig())
    assert any(len(g) == 3 for g, _ in trigrams[0].chars) and not any(len(g) == 3 for g, _ in made[0].chars)
