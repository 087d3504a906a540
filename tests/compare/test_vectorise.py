"""The term space computes scikit-learn's figures without importing it: held to scikit-learn bit for bit."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer

from policydiff.compare.vectorise import _Part, make_bag, smoothed_idf


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.dictionaries(st.text("甲乙丙丁戊己", min_size=1, max_size=2), st.sampled_from([1.0, 0.3, 0.65]), max_size=8),
        min_size=1,
        max_size=40,
    )
)
def test_term_space_is_scikit_learns_tfidf(rows: list[dict[str, float]]) -> None:
    bags = [tuple(sorted(r.items())) for r in rows]
    part = _Part().fit(bags)
    counts = sparse.csr_matrix(
        [[dict(b).get(t, 0.0) for t in sorted(part.index_, key=part.index_.__getitem__)] for b in bags]
    )
    if not counts.shape[1]:
        return
    expected = TfidfTransformer(norm=None, smooth_idf=True).fit(counts)
    assert np.array_equal(smoothed_idf(part.transform(bags)), expected.idf_)  # bit for bit, not approximately
    assert np.array_equal(part.transform(bags).toarray(), expected.transform(counts).toarray())


def test_an_ngram_weighs_what_its_lightest_character_weighs() -> None:
    # 发展 inside a formula (weight 0.5), 经济 outside: the bigram across the seam takes the lighter weight.
    bag = make_bag(["经济", "发展"], ["经济", "发展"], [1.0, 0.5], frozenset(), (2, 2))
    assert dict(bag.chars) == {"经济": 1.0, "济发": 0.5, "发展": 0.5}
    assert dict(bag.words) == {"经济": 1.0, "发展": 0.5}
    assert bag.size == 4
    # Equal weights everywhere (the fast path): every n-gram, once, at that weight; nothing at weight 0.
    assert dict(make_bag(["经济发展", "经济"], ["经济发展", "经济"], [1.0, 1.0], frozenset(), (2, 3)).chars) == {
        "经济": 1.0, "济发": 1.0, "发展": 1.0, "展经": 1.0, "经济发": 1.0, "济发展": 1.0, "发展经": 1.0, "展经济": 1.0,
    }  # fmt: skip
    assert make_bag(["经济"], ["经济"], [0.0], frozenset(), (2, 2)).chars == ()
