"""Properties of the readers and of normalisation, over inputs nobody would write by hand (hypothesis): any bytes,
any Unicode text, any mix of line endings → a reading or our one-line `InputError`, never another exception;
normalisation keeps the length and gives the same result every time."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policydiff.corpora.errors import InputError
from policydiff.corpora.normalise import DEFAULT_STEPS, STEPS, normalise
from policydiff.corpora.readers import SUFFIX_FORMATS, read_data
from policydiff.corpora.readers.base import decode
from policydiff.corpora.readers.frontmatter import split_front_matter
from policydiff.corpora.readers.markdown import read_markdown
from policydiff.corpora.readers.plaintext import read_digest, read_text

QUICK = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Policy-like text: CJK, the numbering and punctuation the segmenter reads, full/half-width forms, blanks.
POLICY_CHARS = st.sampled_from(
    [
        *"一二三四五六七八九十（）()、。；：，,.;:！？第条章节〔〕【】①②１２3４ａＡ湖南省人民政府關於實施",
        "\u3000",
        "\u200b",
        "\ufeff",
        "\xa0",
        " ",
        "\t",
        "\n",
        "\r",
        "\r\n",
        "#",
        "*",
        "-",
        "---",
        ">",
        "`",
    ],
)
policy_text = st.lists(POLICY_CHARS, max_size=200).map("".join)
any_text = st.one_of(st.text(max_size=300), policy_text)


def _read(data: bytes, suffix: str) -> None:
    try:
        source = read_data(Path(f"synthetic{suffix}"), data)
    except InputError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("synthetic")
        return
    assert source.text.strip() and "\r" not in source.text and source.sha256


@QUICK
@given(st.binary(max_size=2000))
def test_any_bytes_decode_or_are_refused_in_one_line(data: bytes):
    try:
        text = decode(Path("synthetic.txt"), data)
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    assert "\r" not in text and "\x00" not in text and text.strip()


@QUICK
@given(st.binary(max_size=1500), st.sampled_from(["", ".txt", ".md", ".docx", ".pdf", ".digest.txt", ".doc"]))
def test_any_bytes_under_any_name_are_read_or_refused_in_one_line(data: bytes, suffix: str):
    _read(data, suffix)


@QUICK
@given(any_text, st.sampled_from(["utf-8", "utf-16", "gb18030", "utf-8-sig"]))
def test_any_text_in_any_encoding_is_read_or_refused_in_one_line(text: str, codec: str):
    try:
        data = text.encode(codec)
    except UnicodeEncodeError:
        return
    _read(data, ".txt")


@QUICK
@given(policy_text)
def test_line_endings_do_not_change_the_text_read(text: str):
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    readings = set()
    for ending in ("\n", "\r\n", "\r"):
        try:
            readings.add(decode(Path("synthetic.txt"), ending.join(lines).encode("utf-8")))
        except InputError:
            readings.add("refused")
    assert len(readings) == 1


@QUICK
@given(any_text)
def test_text_readers_accept_any_text(text: str):
    for reader in (read_text, read_digest, read_markdown):
        source = reader(text)
        assert source.text.endswith("\n")


@QUICK
@given(st.text(max_size=300))
def test_front_matter_never_raises(text: str):
    meta, _ = split_front_matter("---\n" + text + "\n---\nbody")
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in meta.items())


@pytest.mark.parametrize("depth", [100, 5000])
@pytest.mark.parametrize("bracket", ["[", "{"])
def test_deeply_nested_front_matter_is_no_metadata(depth: int, bracket: str):
    assert split_front_matter("---\na: " + bracket * depth + "\n---\nbody")[0] == {}


def test_front_matter_aliases_are_not_expanded():
    # Each level repeats the one before nine times: printed out, the last would be 9**5 values long (and each
    # level more, nine times longer).
    levels = ["a: &a [合成, 合成, 合成, 合成, 合成, 合成, 合成, 合成, 合成]"]
    for prev, name in zip("abcde", "bcdef", strict=True):
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    meta, _ = split_front_matter("---\n" + "\n".join(levels) + "\ntitle: 合成\n---\nbody")
    assert meta == {"a": "；".join(["合成"] * 9), "title": "合成"}


@QUICK
@given(any_text)
def test_normalisation_keeps_the_length_and_is_deterministic(text: str):
    once = normalise(text)
    assert len(once) == len(text)
    assert normalise(text) == once
    for name in DEFAULT_STEPS:
        assert len(STEPS[name](text)) == len(text)


def test_every_suffix_the_readers_know_is_covered():
    assert {".txt", ".md", ".html", ".docx", ".pdf"} <= set(SUFFIX_FORMATS)
