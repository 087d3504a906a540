"""The examples' classifier is trained without scikit-learn (`compare/svm.py`) to the optimum of the problem
scikit-learn's LinearSVC solves: the same weights up to liblinear's tolerance, the same codes."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from policydiff.compare import svm
from policydiff.compare.coding import default_codebook
from policydiff.compare.learned import REGULARISATION, fitted_features


@pytest.fixture(scope="module")
def examples() -> tuple[sparse.csr_matrix, list[str]]:
    shipped = default_codebook().examples
    assert shipped is not None
    return fitted_features(shipped)[2], [e.label for e in shipped.items]


def scikit_learns(features: sparse.csr_matrix, labels: list[str]) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.svm import LinearSVC

    model = LinearSVC(C=REGULARISATION, class_weight="balanced", random_state=0).fit(features, labels)
    return model.coef_.T, model.intercept_


def test_the_shipped_examples_train_to_scikit_learns_weights(examples: tuple[sparse.csr_matrix, list[str]]) -> None:
    features, labels = examples
    classes, weights, intercepts = svm.fit(features, labels, REGULARISATION)
    theirs_w, theirs_b = scikit_learns(features, labels)
    assert list(classes) == sorted(set(labels))
    assert np.abs(weights - theirs_w).max() < 1e-4  # liblinear stops at a tolerance; the optimum is one
    assert np.abs(intercepts - theirs_b).max() < 1e-4
    ours = features @ weights + intercepts
    assert np.array_equal(ours.argmax(axis=1), (features @ theirs_w + theirs_b).argmax(axis=1))


@pytest.mark.parametrize("pair", [("none", "supply/funding"), ("environment/regulation", "supply/talent")])
def test_two_classes_give_one_margin_written_as_two(
    examples: tuple[sparse.csr_matrix, list[str]], pair: tuple[str, str]
) -> None:
    features, labels = examples
    rows = [i for i, label in enumerate(labels) if label in pair]
    sub, sub_labels = features[rows], [labels[i] for i in rows]
    classes, weights, intercepts = svm.fit(sub, sub_labels, REGULARISATION)
    theirs_w, theirs_b = scikit_learns(sub, sub_labels)  # one column: the second class's margin
    assert classes == tuple(sorted(pair))
    assert np.abs(weights[:, 1] - theirs_w[:, 0]).max() < 1e-4 and abs(intercepts[1] - theirs_b[0]) < 1e-4
    assert np.array_equal(weights[:, 0], -weights[:, 1]) and intercepts[0] == -intercepts[1]


def test_the_weights_are_the_optimum(examples: tuple[sparse.csr_matrix, list[str]]) -> None:
    # Whatever any other library does: the gradient of each class's objective vanishes at the weights found,
    # ½‖w‖² + Σ cost_i · max(0, 1 − y_i (w·x_i + b))², the intercept b learnt as a weight of a constant feature.
    features, labels = examples
    classes, weights, intercepts = svm.fit(features, labels, REGULARISATION)
    n, k = len(labels), len(classes)
    index = np.array([classes.index(label) for label in labels])
    balance = n / (k * np.bincount(index, minlength=k))
    augmented = sparse.hstack([features, np.ones((n, 1))]).tocsr()
    for j in range(k):
        y = np.where(index == j, 1.0, -1.0)
        cost = np.where(index == j, REGULARISATION * balance[j], REGULARISATION)
        w = np.append(weights[:, j], intercepts[j])
        slack = np.maximum(0.0, 1 - y * (augmented @ w))
        gradient = w - 2 * augmented.T @ (cost * slack * y)
        assert np.abs(gradient).max() < 1e-8, classes[j]


def test_one_class_is_not_enough() -> None:
    with pytest.raises(ValueError, match="two classes"):
        svm.fit(sparse.csr_matrix(np.eye(3)), ["a", "a", "a"], 1.0)


@pytest.mark.parametrize("pair", [None, ("none", "supply/funding")])
def test_a_codebook_with_more_examples_is_trained_by_liblinear_to_the_same_weights(
    examples: tuple[sparse.csr_matrix, list[str]], pair: tuple[str, str] | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    features, labels = examples
    if pair is not None:
        rows = [i for i, label in enumerate(labels) if label in pair]
        features, labels = features[rows], [labels[i] for i in rows]
    newton = svm.fit(features, labels, REGULARISATION)
    monkeypatch.setattr(svm, "MAX_EXAMPLES", len(labels) - 1)
    monkeypatch.setattr(svm, "_newton", lambda *a: pytest.fail("the examples' space for a large codebook"))
    classes, weights, intercepts = svm.fit(features, labels, REGULARISATION)
    assert classes == newton[0] and weights.shape == newton[1].shape
    assert np.abs(weights - newton[1]).max() < 1e-4 and np.abs(intercepts - newton[2]).max() < 1e-4
