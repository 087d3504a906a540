"""Line breaking for Chinese text in the terminal, by display cells.

rich wraps at spaces, and Chinese has none: it folds a sentence at the column edge wherever that falls, splitting
"2025" or starting a line with "，". Here every Chinese character is a break opportunity, runs of Latin letters
and digits stay whole, and the usual Chinese line-breaking rules hold: no line starts with closing punctuation
(，。、；：？！）》…) and none ends with an opening one (（《“…); a character is pushed to the next line instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

NO_LINE_START = set("，。、；：？！）》」』】〕〉”’…—·%‰,.;:?!)]}")
NO_LINE_END = set("（《「『【〔〈“‘([{")
# Latin words, numbers with their decimal points and percent signs, and marker brackets stay together.
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.%‰_+\-/]*|\s|.", re.DOTALL)


def _tokens(text: str) -> list[tuple[int, int, int]]:
    """(start, end, cells) of each unbreakable piece."""
    return [(m.start(), m.end(), cell_len(m.group())) for m in _TOKEN.finditer(text)]


def break_lines(text: str, width: int) -> list[tuple[int, int]]:
    """Offsets (start, end) of each line of `text` wrapped to `width` cells; "\\n" always breaks."""
    width = max(width, 2)
    lines: list[tuple[int, int]] = []
    offset = 0
    for paragraph in text.split("\n"):
        lines.extend(_break_paragraph(paragraph, offset, width))
        offset += len(paragraph) + 1
    return lines


def _break_paragraph(text: str, offset: int, width: int) -> list[tuple[int, int]]:
    if not text:
        return [(offset, offset)]
    out: list[tuple[int, int]] = []
    line: list[tuple[int, int, int]] = []
    used = 0

    def flush(tokens: list[tuple[int, int, int]]) -> None:
        while tokens and text[tokens[-1][0] : tokens[-1][1]].isspace():
            tokens = tokens[:-1]
        if tokens:
            out.append((offset + tokens[0][0], offset + tokens[-1][1]))

    for token in _tokens(text):
        start, end, cells = token
        if used + cells <= width:
            line.append(token)
            used += cells
            continue
        if text[start:end].isspace():
            flush(line)
            line, used = [], 0
            continue
        carry: list[tuple[int, int, int]] = []
        first = text[start:end][0]
        # Kinsoku: pull the last character down with a closing mark, and never leave an opening mark behind.
        if first in NO_LINE_START and line:
            carry.insert(0, line.pop())
        while line and text[line[-1][0] : line[-1][1]][-1] in NO_LINE_END:
            carry.insert(0, line.pop())
        if sum(c for _, _, c in carry) + cells > width:  # the rules cannot hold in so narrow a line
            line, carry = line + carry, []
        flush(line)
        line = carry
        used = sum(c for _, _, c in line)
        if cells > width:  # a Latin run wider than the line: fold it by characters
            for i in range(start, end):
                c = cell_len(text[i])
                if used + c > width and line:
                    flush(line)
                    line, used = [], 0
                line.append((i, i + 1, c))
                used += c
            continue
        if used + cells > width and line:
            flush(line)
            line, used = [], 0
        line.append(token)
        used += cells
    flush(line)
    return out or [(offset, offset)]


def wrap(text: Text, width: int) -> list[Text]:
    """`text` cut into lines of at most `width` cells, styles kept."""
    return [text[start:end] for start, end in break_lines(text.plain, width)]


class Wrapped:
    """A rich renderable that wraps its text with `break_lines`, for table cells and panels."""

    def __init__(self, text: Text | str, style: str = "") -> None:
        self.text = text if isinstance(text, Text) else Text(text, style=style)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in wrap(self.text, options.max_width):
            line.end = "\n"
            line.no_wrap = True
            yield line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        plain = self.text.plain
        widest = max((cell_len(p) for p in plain.split("\n")), default=0)
        narrowest = max((c for _, _, c in _tokens(plain) if c <= 12), default=1)
        return Measurement(min(narrowest, widest), widest).with_maximum(options.max_width)


def pad(lines: Iterable[Text], width: int) -> list[Text]:
    out = []
    for line in lines:
        line = line.copy()
        line.align("left", width)
        out.append(line)
    return out


class OneLine:
    """A table cell that stays on one line: `keep` (a provision path) and `tail` (a marker such as
    "(heading-only)") are shown whole, and `middle` (a heading) is ellipsised to the width left."""

    def __init__(self, keep: Text, middle: Text, tail: Text) -> None:
        self.keep, self.middle, self.tail = keep, middle, tail

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        room = options.max_width - self.keep.cell_len - self.tail.cell_len
        middle = self.middle.copy()
        if middle.cell_len > room:
            middle.truncate(max(room, 0), overflow="ellipsis")
        line = Text.assemble(self.keep, middle, self.tail)
        line.no_wrap = True
        line.end = "\n"
        yield line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        fixed = self.keep.cell_len + self.tail.cell_len
        widest = fixed + self.middle.cell_len
        return Measurement(min(fixed + 2, widest), widest).with_maximum(options.max_width)
