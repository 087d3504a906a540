"""Evidence lists name words a reader recognises: no bare numbers, counts, single characters or fragments jieba
guessed, at most five per list, and a quantitative target named once."""

from __future__ import annotations

import re

import pytest

import policydiff
from policydiff.compare.views import headline, target_change_text


@pytest.fixture(scope="module")
def verdicts():  # type: ignore[no-untyped-def]
    return policydiff.compare("hunan-2021", "central-2021").verdicts


def test_terms_are_words_not_numbers_counts_or_fragments(verdicts) -> None:  # type: ignore[no-untyped-def]
    lists = [
        terms
        for v in verdicts
        for terms in (v.evidence.shared_terms, v.evidence.target_only_terms, v.evidence.reference_only_terms)
    ]
    assert sum(len(t) for t in lists) > 100
    for terms in lists:
        assert len(terms) <= 5
        for term in terms:
            assert len(term) >= 2, term
            assert not re.search(r"[0-9%]", term), term
            assert not re.fullmatch(r"[一二三四五六七八九十两几]+[个项条类大种]?", term), term
    words = {t for terms in lists for t in terms}
    assert not words & {"承东启", "个", "2025", "1"}  # what the report used to show
    # 声谷 looked like a fragment to the reader but is a place in the rules (中国（合肥）声谷): it stays.
    assert {"三高四新", "现代产业体系"} <= words  # rule-set and dictionary words stay


def test_a_target_is_named_once_and_headlines_are_short(verdicts) -> None:  # type: ignore[no-untyped-def]
    changes = [c for v in verdicts for c in v.evidence.target_changes]
    assert changes
    for c in changes:
        assert target_change_text(c).count(c.indicator) == 1
    goals = next(v for v in verdicts if v.target and v.target[0].path == "一/（二）")
    assert "制造业增加值占地区生产总值比重 added 30%" in [target_change_text(c) for c in goals.evidence.target_changes]
    assert all(len(headline(v)) <= 60 for v in verdicts)
