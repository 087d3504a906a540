"""Agreement statistics against values computed by hand and against maintained implementations
(scikit-learn's cohen_kappa_score, the krippendorff package)."""

from __future__ import annotations

import math
import random

import pytest

from policydiff.compare.agreement import (
    alpha_two_coders,
    cohen_kappa,
    confusion_matrix,
    krippendorff_alpha_nominal,
    percent_agreement,
)

# Ten units, two coders, two categories: 8 agreements (5 x–x, 3 y–y), 2 disagreements (x–y, y–x).
A = ["x"] * 6 + ["y"] * 4
B = ["x"] * 5 + ["y", "y", "y", "y", "x"]


def test_two_by_two_table_by_hand():
    # p_o = 8/10; both coders 6 x and 4 y, so p_e = (6·6 + 4·4)/100 = 0.52; kappa = 0.28/0.48.
    assert percent_agreement(A, B) == pytest.approx(0.8)
    assert cohen_kappa(A, B) == pytest.approx(0.28 / 0.48)
    # Coincidences: o_xx = 10, o_yy = 6, o_xy = o_yx = 2; n_x = 12, n_y = 8, n = 20.
    # alpha = 1 − (n − 1)·(o_xy + o_yx) / (n_x·n_y + n_y·n_x) = 1 − 19·4/192.
    assert alpha_two_coders(A, B) == pytest.approx(1 - 19 * 4 / 192)
    labels, grid = confusion_matrix(A, B, ["x", "y"])
    assert labels == ("x", "y") and grid == ((5, 1), (1, 3))


def test_three_coders_with_a_missing_value_by_hand():
    # Units: (a, a, a), (a, b, None), (b, b, b). Each unit adds 1/(m − 1) per ordered pair of its m values:
    # unit 1 (6 pairs · 1/2): o_aa = 3; unit 2 (m = 2): o_ab = o_ba = 1; unit 3: o_bb = 3.
    # n_a = 4, n_b = 4, n = 8; alpha = 1 − (n − 1)·2 / (2·4·4) = 1 − 14/32.
    units = [("a", "a", "a"), ("a", "b", None), ("b", "b", "b")]
    assert krippendorff_alpha_nominal(units) == pytest.approx(1 - 14 / 32)


def test_no_variation_is_undefined_not_perfect():
    assert math.isnan(cohen_kappa(["x", "x"], ["x", "x"]))
    assert math.isnan(alpha_two_coders(["x", "x"], ["x", "x"]))


def test_lengths_must_match():
    with pytest.raises(ValueError):
        cohen_kappa(["x"], ["x", "y"])


def _random_codings(seed: int, n: int = 80) -> tuple[list[str], list[str]]:
    rnd = random.Random(seed)
    cats = ["supply", "environment", "demand", "none"]
    a = [rnd.choice(cats) for _ in range(n)]
    b = [x if rnd.random() < 0.7 else rnd.choice(cats) for x in a]
    return a, b


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kappa_matches_scikit_learn(seed: int):
    from sklearn.metrics import cohen_kappa_score

    a, b = _random_codings(seed)
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b))
    assert cohen_kappa(A, B) == pytest.approx(cohen_kappa_score(A, B))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_alpha_matches_the_krippendorff_package(seed: int):
    import krippendorff
    import numpy as np

    a, b = _random_codings(seed)
    codes = {c: i for i, c in enumerate(sorted(set(a) | set(b)))}
    data = np.array([[codes[x] for x in a], [codes[x] for x in b]], dtype=float)
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert alpha_two_coders(a, b) == pytest.approx(expected)
    # Three coders with missing values.
    rnd = random.Random(seed)
    c = [x if rnd.random() < 0.6 else None for x in b]
    data3 = np.array(
        [[codes[x] for x in a], [codes[x] for x in b], [codes[x] if x is not None else np.nan for x in c]], dtype=float
    )
    expected3 = krippendorff.alpha(reliability_data=data3, level_of_measurement="nominal")
    assert krippendorff_alpha_nominal(list(zip(a, b, c, strict=True))) == pytest.approx(expected3)
