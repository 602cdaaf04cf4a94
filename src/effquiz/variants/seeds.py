"""Seeds and random draws that give the same variant on every machine.

A student's seed is a hash of the course seed and the student id, and each question's
seed is a hash of that and the question id, so adding or reordering questions never
changes another question's variant.

NumPy does not promise that ``Generator.integers`` or ``Generator.random`` keep their
streams across releases (NEP 19), but it does keep the raw output of a bit generator
such as PCG64. The draws below therefore read only ``bit_generator.random_raw()`` and map
the 64-bit words to indices and reals themselves, so the build machine and the grading
machine agree even when their NumPy versions differ.
"""

from __future__ import annotations

import hashlib

import numpy as np

_SEED_BITS = 63
_DOMAIN = "effquiz-variant-v1"


def _hash_to_seed(*parts: str) -> int:
    digest = hashlib.sha256("\x1f".join((_DOMAIN, *parts)).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") >> (64 - _SEED_BITS)


def student_seed(course_seed: int, student_id: str) -> int:
    """Return the 63-bit seed of one student in one course."""
    return _hash_to_seed("student", str(course_seed), student_id)


def question_seed(student: int, question_id: str) -> int:
    """Return the 63-bit seed of one question for a student seed."""
    return _hash_to_seed("question", str(student), question_id)


def make_rng(seed: int) -> np.random.Generator:
    """Return a PCG64 generator for ``seed``; draw from it with the functions below."""
    return np.random.Generator(np.random.PCG64(seed))


def draw_index(rng: np.random.Generator, count: int) -> int:
    """Return a uniform integer in [0, count), by rejection on raw 64-bit words."""
    if count < 1:
        raise ValueError(f"cannot draw from {count} options")
    limit = (1 << 64) - ((1 << 64) % count)
    while True:
        word = int(rng.bit_generator.random_raw())
        if word < limit:
            return word % count


def draw_unit(rng: np.random.Generator) -> float:
    """Return a uniform real in [0, 1) with 53 random bits."""
    return (int(rng.bit_generator.random_raw()) >> 11) * 2.0**-53
