"""Chinese numerals both ways: how labels are read (第十二条, 二十三、) and how section numbers are written."""

from hypothesis import given
from hypothesis import strategies as st

from policydiff.corpora.numbering import cn_number, cn_numeral


def test_known_numerals():
    assert [cn_numeral(n) for n in (1, 10, 12, 20, 75, 100, 105, 115, 120)] == [
        "一", "十", "十二", "二十", "七十五", "一百", "一百零五", "一百一十五", "一百二十",
    ]  # fmt: skip
    assert [cn_number(t) for t in ("十一", "二十三", "一百零三", "12", "章")] == [11, 23, 103, 12, 0]


@given(st.integers(min_value=1, max_value=999))
def test_writing_then_reading_a_number_gives_it_back(n: int):
    assert cn_number(cn_numeral(n)) == n
