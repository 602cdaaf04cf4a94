"""model-memory: weights at b bits, with one fp16 scale per group of g weights.

The example: N = 7 billion weights, 4 bits, groups of g = 128. GB is 10^9 bytes and GiB
is 2^30 bytes.
"""

from __future__ import annotations

from fractions import Fraction


def test_memory_fp16(answers):
    # 7e9 · 2 bytes = 14e9 bytes = 14 GB.
    assert answers("model-memory", "seven-billion")["fp16_gb"] == 14


def test_memory_four_bit(answers):
    # 7e9 · 4/8 = 3.5e9 bytes = 3.5 GB.
    assert answers("model-memory", "seven-billion")["quantized_gb"] == Fraction(7, 2)


def test_memory_four_bit_gib(answers):
    # 3.5e9/2^30 = 3,500,000,000/1,073,741,824 = 3.2596...
    assert answers("model-memory", "seven-billion")["quantized_gib"] == Fraction(3_500_000_000, 2**30)


def test_memory_with_scales(answers):
    # 7e9/128 = 54,687,500 scales of 2 bytes = 109,375,000 bytes; 3.5e9 + 0.109375e9 =
    # 3.609375e9 bytes = 3.609375 GB.
    assert answers("model-memory", "seven-billion")["with_scales_gb"] == Fraction("3.609375")


def test_memory_bits_per_weight(answers):
    # 4 + 16/128 = 4.125.
    assert answers("model-memory", "seven-billion")["bits_per_weight"] == Fraction(33, 8)


def test_memory_misconceptions(wrong):
    # Bits taken as bytes: 7e9 · 4 = 28e9 bytes = 28 GB. A scale per weight: 20 bits, 17.5 GB.
    assert wrong("model-memory", "seven-billion", "quantized_gb")["bits-as-bytes"] == 28
    assert wrong("model-memory", "seven-billion", "with_scales_gb")["scale-per-weight"] == Fraction(35, 2)
