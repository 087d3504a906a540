"""A linear support-vector machine trained to the optimum scikit-learn's `LinearSVC` approaches, without
importing scikit-learn.

The model is LinearSVC's: squared hinge loss, an L2 penalty of strength 1/C, one class against the rest, and
`class_weight="balanced"` (liblinear weighs a class's own examples by n / (classes × its count) and the rest by
1), the intercept learnt as the weight of a constant feature of 1. That problem has one optimum. liblinear
approaches it by coordinate descent until a tolerance is met; here Newton's method reaches it (Keerthi and
DeCoste's finite Newton method: each step solves the least-squares problem of the examples whose margin is still
below 1, then searches along the line exactly). On the codebook's examples the two sets of weights agree to a
few millionths and choose the same codes (tests/compare/test_svm.py).

Why not scikit-learn: importing it took about a second in every process that trains, a cold `compare` and a
study's coordinating process, where the training itself takes a third of that; in a study that second held the
coordinating process's interpreter while it started the workers. A codebook of more than `MAX_EXAMPLES` examples
is still trained by scikit-learn, which is faster there.

There are far fewer examples (about a thousand) than features (tens of thousands of character n-grams), so the
problem is solved in the examples' space: the weights are Xᵀβ, and every step needs only the examples' Gram
matrix XXᵀ.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

MAX_STEPS = 100  # Newton steps per class; the codebook's examples take 3 or 4
# Up to this many examples, solving in the examples' space is the cheap way. Its cost grows with the cube of their
# number (measured: 0.45 s for 922, 1.2 s for 1,383, 2.3 s for 1,844), where scikit-learn's liblinear, in the
# features' space, trains 1,844 in 0.3 s after its second of import: a larger codebook is trained by it.
MAX_EXAMPLES = 1200
# A margin within this of 1 may fall on either side of it in floating point: its loss and gradient are 0 either
# way, so it does not keep the search going.
TIE = 1e-9


def fit(features: Any, labels: Sequence[str], c: float) -> tuple[tuple[str, ...], Any, Any]:
    """The classes (sorted), the weights (features × classes) and the intercepts (one per class) of the machine
    trained on `features` (a sparse matrix, one row per example) and their `labels`, with penalty `c`. A class's
    score is positive when the machine takes an example for that class. Two classes give one trained margin,
    written as two: the second class's, and its negative for the first."""
    import numpy as np
    from scipy.linalg import cho_factor, cho_solve
    from threadpoolctl import threadpool_limits

    classes = tuple(sorted(set(labels)))
    if len(classes) < 2:
        raise ValueError("a classifier needs examples of at least two classes")
    if len(labels) > MAX_EXAMPLES:
        return _liblinear(features, labels, c)
    index = np.searchsorted(np.array(classes), np.array(labels))
    n, k = len(labels), len(classes)
    balance = n / (k * np.bincount(index, minlength=k))
    gram = np.asarray((features @ features.T).todense()) + 1.0  # + 1: the intercept's constant feature
    if k == 2:
        signs = np.where(index == 1, 1.0, -1.0)[:, None]
        costs = [c * balance[index]]
    else:
        signs = np.where(index[:, None] == np.arange(k)[None, :], 1.0, -1.0)
        costs = [np.where(index == j, c * balance[j], c) for j in range(k)]
    # BLAS's own threads only wait on each other here (measured: twice the time, three times the CPU, on two
    # cores), and in a study the other core runs a worker.
    with threadpool_limits(limits=1):
        # Where every class starts: the least-squares fit of all its signs at the unweighted cost, one
        # factorisation for all classes; it saves each class one step of the largest size.
        system = gram.copy()
        system[np.diag_indices_from(system)] += 0.5 / c
        start = cho_solve(cho_factor(system, check_finite=False), signs, check_finite=False)
        beta = np.column_stack([_newton(gram, signs[:, j], costs[j], start[:, j]) for j in range(len(costs))])
    weights = np.asarray(features.T @ beta)
    intercepts = beta.sum(axis=0)
    if k == 2:
        weights, intercepts = np.hstack([-weights, weights]), np.concatenate([-intercepts, intercepts])
    return classes, weights, intercepts


def _newton(gram: Any, y: Any, cost: Any, beta: Any) -> Any:
    """β minimising ½βᵀGβ + Σ cost_i · max(0, 1 − y_i (Gβ)_i)², the primal problem with weights Xᵀβ."""
    import numpy as np
    from scipy.linalg import cho_factor, cho_solve

    beta = beta.copy()
    margin = gram @ beta
    for _ in range(MAX_STEPS):
        active = np.flatnonzero(y * margin < 1)
        # With the violated margins fixed, the problem is a least-squares one: (G_AA + diag(1 / 2cost)) z = y_A.
        system = gram[np.ix_(active, active)]
        system[np.diag_indices_from(system)] += 0.5 / cost[active]
        target = np.zeros_like(beta)
        target[active] = cho_solve(cho_factor(system, overwrite_a=True, check_finite=False), y[active])
        direction = target - beta
        change = gram @ target - margin  # G · direction
        step = _line_search(beta @ change, direction @ change, 1 - y * margin, -y * change, cost)
        beta += step * direction
        margin += step * change
        if step == 1.0:
            now = y * margin < 1
            flipped = now != np.isin(np.arange(len(y)), active)
            if not np.any(np.abs(1 - y[flipped] * margin[flipped]) > TIE):
                break
    return beta


def _line_search(slope: float, curvature: float, slack: Any, slack_change: Any, cost: Any) -> float:
    """The step t in [0, 1] minimising the objective along the direction: its derivative, slope + t·curvature
    + Σ 2·cost·max(0, slack + t·slack_change)·slack_change, only grows with t, so its root is found by halving."""
    import numpy as np

    def derivative(t: float) -> float:
        s = slack + t * slack_change
        hinge = s > 0
        return float(slope + t * curvature + 2 * np.dot(cost[hinge] * s[hinge], slack_change[hinge]))

    if derivative(1.0) <= TIE * max(1.0, abs(curvature)):  # the full step, up to rounding
        return 1.0
    low, high = 0.0, 1.0
    for _ in range(60):
        middle = (low + high) / 2
        if derivative(middle) > 0:
            high = middle
        else:
            low = middle
    return (low + high) / 2


def _liblinear(features: Any, labels: Sequence[str], c: float) -> tuple[tuple[str, ...], Any, Any]:
    """`fit` by scikit-learn's LinearSVC (liblinear, to its tolerance), in the same layout."""
    import numpy as np
    from sklearn.svm import LinearSVC

    model = LinearSVC(C=c, class_weight="balanced", random_state=0).fit(features, list(labels))
    weights, intercepts = np.asarray(model.coef_).T.copy(), np.asarray(model.intercept_).copy()
    if len(model.classes_) == 2:  # one margin, positive for the second class: written as two
        weights, intercepts = np.hstack([-weights, weights]), np.concatenate([-intercepts, intercepts])
    return tuple(str(x) for x in model.classes_), weights, intercepts
