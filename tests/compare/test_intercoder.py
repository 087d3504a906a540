"""Inter-coder reliability: two hand codings of the same sentences, paired by text (or path), with the same
figures a methods section reports for the tool, checked against maintained implementations."""

from __future__ import annotations

import krippendorff
import numpy as np
from sklearn.metrics import cohen_kappa_score

from policydiff.compare.intercoder import coder_agreement
from policydiff.compare.reliability import HandCode

# (text, first coder, second coder): synthetic sentences, type/subtype or none.
ROWS = [
    ("设立专项资金。", "supply/funding", "supply/funding"),
    ("建设物流枢纽。", "supply/infrastructure", "supply/infrastructure"),
    ("完善信贷支持。", "environment/financial", "environment/financial"),
    ("加强生态保护。", "environment/regulation", "environment/regulation"),
    ("推进改革试点。", "environment/institutional_reform", "demand/demonstration"),
    ("建设示范区。", "demand/demonstration", "demand/demonstration"),
    ("坚持党的领导。", "none", "none"),
    ("培育技能人才。", "supply/talent", "supply/talent"),
    ("发展特色产业。", "environment/strategic", "environment/planning"),
    ("扩大消费。", "demand/consumption", "demand/consumption"),
]


def hand(rows: list[tuple[str, str, str]], which: int, *, spaced: bool = False) -> list[HandCode]:
    out = []
    for line, row in enumerate(rows, start=2):
        text, code = row[0], row[which]
        t, _, s = code.partition("/")
        out.append(HandCode(line, "synthetic-doc", f"一/（{line}）#1", " ".join(text) if spaced else text, t, s))
    return out


def test_figures_match_scikit_learn_and_krippendorff_by_type_and_subtype() -> None:
    a = coder_agreement(hand(ROWS, 1), hand(ROWS, 2, spaced=True), "a.csv", "b.csv")  # whitespace is ignored
    assert a.paired == 10 and not a.unpaired
    types_a = [r[1].split("/")[0] for r in ROWS]
    types_b = [r[2].split("/")[0] for r in ROWS]
    assert abs(a.by_type.kappa - cohen_kappa_score(types_a, types_b)) < 1e-9
    assert abs(a.by_subtype.kappa - cohen_kappa_score([r[1] for r in ROWS], [r[2] for r in ROWS])) < 1e-9
    labels = sorted(set(types_a) | set(types_b))
    data = np.array([[labels.index(x) for x in types_a], [labels.index(x) for x in types_b]], dtype=float)
    assert abs(a.by_type.alpha - krippendorff.alpha(data, level_of_measurement="nominal")) < 1e-9
    assert a.by_type.percent == 0.9 and a.by_subtype.percent == 0.8
    assert [(d.first, d.second) for d in a.disagreements] == [
        ("environment/institutional_reform", "demand/demonstration"),
        ("environment/strategic", "environment/planning"),
    ]
    # Rows of the confusion matrix are the first coder's: the reform pilot sits in environment's row.
    env = a.by_type.labels.index("environment")
    demand = a.by_type.labels.index("demand")
    assert a.by_type.confusion[env][demand] == 1 and a.by_type.confusion[demand][env] == 0


def test_rows_without_a_partner_are_listed_from_both_files_not_guessed() -> None:
    first = hand(ROWS[:8], 1)
    second = hand(ROWS[2:], 2)
    a = coder_agreement(first, second)
    assert a.paired == 6
    only_one = ["设立专项资金。", "建设物流枢纽。", "发展特色产业。", "扩大消费。"]
    assert sorted(h.text for h in a.unpaired) == sorted(only_one)


def test_a_row_without_text_is_paired_by_path() -> None:
    second = [HandCode(h.line, h.document, h.path, "", h.type, h.subtype) for h in hand(ROWS, 2)]
    a = coder_agreement(hand(ROWS, 1), second)
    assert a.paired == 10 and a.by_subtype.percent == 0.8
