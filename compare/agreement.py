"""Inter-coder agreement on nominal codes: percent agreement, Cohen's kappa, Krippendorff's alpha, confusion.

Small pure functions so a methods section can cite exactly what was computed:
- Cohen's kappa (Cohen 1960) for two coders who coded the same units: (p_o − p_e) / (1 − p_e), with p_e from
  each coder's own marginal distribution;
- Krippendorff's alpha for nominal data (Krippendorff 2004/2011): 1 − D_o / D_e from the coincidence matrix,
  any number of coders, a missing value written None (units coded by fewer than two coders are left out).
Both are undefined (NaN) when there is no variation to agree on (p_e = 1, or D_e = 0).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Sequence


def percent_agreement(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    _same_length(a, b)
    if not a:
        return math.nan
    return sum(1 for x, y in zip(a, b, strict=True) if x == y) / len(a)


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    _same_length(a, b)
    n = len(a)
    if not n:
        return math.nan
    p_o = sum(1 for x, y in zip(a, b, strict=True) if x == y) / n
    ca, cb = Counter(a), Counter(b)
    p_e = sum(ca[k] * cb[k] for k in ca) / (n * n)
    if p_e >= 1.0:
        return math.nan
    return (p_o - p_e) / (1.0 - p_e)


def krippendorff_alpha_nominal(units: Sequence[Sequence[Hashable | None]]) -> float:
    """`units`: for each unit, the values the coders gave it (None where a coder gave none)."""
    coincidence: dict[tuple[Hashable, Hashable], float] = {}
    for values in units:
        present = [v for v in values if v is not None]
        m = len(present)
        if m < 2:
            continue
        for i, c in enumerate(present):
            for j, k in enumerate(present):
                if i != j:
                    coincidence[(c, k)] = coincidence.get((c, k), 0.0) + 1.0 / (m - 1)
    n_c: dict[Hashable, float] = {}
    for (c, _k), count in coincidence.items():
        n_c[c] = n_c.get(c, 0.0) + count
    n = sum(n_c.values())
    if n <= 1:
        return math.nan
    observed = sum(count for (c, k), count in coincidence.items() if c != k)
    expected = sum(n_c[c] * n_c[k] for c in n_c for k in n_c if c != k) / (n - 1)
    if expected == 0:
        return math.nan
    return 1.0 - observed / expected


def alpha_two_coders(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    _same_length(a, b)
    return krippendorff_alpha_nominal([(x, y) for x, y in zip(a, b, strict=True)])


def confusion_matrix(
    a: Sequence[Hashable], b: Sequence[Hashable], labels: Sequence[Hashable] | None = None
) -> tuple[tuple[Hashable, ...], tuple[tuple[int, ...], ...]]:
    """Rows: the first coder's values (`a`), columns: the second's; labels in the order given, else sorted
    by first appearance in `a` then `b`."""
    _same_length(a, b)
    order = tuple(labels) if labels is not None else tuple(dict.fromkeys([*a, *b]))
    index = {label: i for i, label in enumerate(order)}
    grid = [[0] * len(order) for _ in order]
    for x, y in zip(a, b, strict=True):
        grid[index[x]][index[y]] += 1
    return order, tuple(tuple(row) for row in grid)


def _same_length(a: Sequence[object], b: Sequence[object]) -> None:
    if len(a) != len(b):
        raise ValueError(f"the two codings differ in length ({len(a)} and {len(b)})")
