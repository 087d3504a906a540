from __future__ import annotations

import pytest

from policydiff.corpora.errors import ConfigError
from policydiff.corpora.normalise import normalise


def test_widths_and_ideographic_space_keep_length():
    text = "　　(一)指导思想;到２０２５年，达到30％"
    out = normalise(text)
    assert len(out) == len(text)
    assert out.strip() == "（一）指导思想；到2025年，达到30%"


def test_half_width_ideographic_and_small_form_variants_are_unified():
    text = "﹙三﹚强化保障｡一是资金､二是人才﹔"
    assert normalise(text) == "（三）强化保障。一是资金、二是人才；"


def test_traditional_script_is_simplified_for_analysis_only():
    text = "安徽省委省政府印發重要《實施意見》"
    out = normalise(text)
    assert out == "安徽省委省政府印发重要《实施意见》"


def test_digest_markers_are_masked():
    text = "（三）发展壮大新兴产业。【未见正文】"
    out = normalise(text)
    assert "未见正文" not in out and len(out) == len(text)


def test_unknown_step_is_a_config_error_listing_the_known_ones():
    with pytest.raises(ConfigError, match="known steps: mask_markers, simplified, widths"):
        normalise("x", ("widths", "stemming"))
