"""Character-level diffs of two sentences (a Chinese sentence has no spaces, so words would be one token)."""

from __future__ import annotations

from policydiff.compare.result import Opcode


def char_opcodes(target: str, reference: str) -> tuple[Opcode, ...]:
    """Opcodes turning the reference sentence into the target sentence, character by character."""
    from rapidfuzz.distance import Indel

    ops = Indel.opcodes(reference, target)
    return tuple(
        Opcode(
            tag=op.tag,  # type: ignore[arg-type]  # rapidfuzz's tags are exactly Opcode's four
            target_start=op.dest_start,
            target_end=op.dest_end,
            reference_start=op.src_start,
            reference_end=op.src_end,
        )
        for op in ops
    )


def ratio(a: str, b: str) -> float:
    from rapidfuzz.distance import Indel

    return float(Indel.normalized_similarity(a, b))
