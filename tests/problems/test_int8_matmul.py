"""int8-matmul: integer accumulation with zero points, then requantization.

Jacob et al. 2018 (arXiv:1712.05877), sections 2.2 and 2.3: the accumulator is
Σ (a_i - Z_a)(w_i - Z_w), and q_o = Z_o + round(M·acc) with M = S_a·S_w/S_o.
The example: a = [130, 120, 140] (S_a = 0.05, Z_a = 128), w = [3, -5, 2] (S_w = 0.01,
Z_w = -1), output S_o = 0.02, Z_o = 100.
"""

from __future__ import annotations

from fractions import Fraction


def test_matmul_accumulator(answers):
    # (2)(4) + (-8)(-4) + (12)(3) = 8 + 32 + 36 = 76.
    assert answers("int8-matmul", "hand")["accumulator"] == 76


def test_matmul_real_result(answers):
    # 0.05 · 0.01 · 76 = 0.038.
    assert answers("int8-matmul", "hand")["real_result"] == Fraction(38, 1000)


def test_matmul_multiplier(answers):
    # 0.05 · 0.01/0.02 = 0.025.
    assert answers("int8-matmul", "hand")["multiplier"] == Fraction(1, 40)


def test_matmul_output_level(answers):
    # 0.025 · 76 = 1.9 rounds to 2; 2 + 100 = 102.
    assert answers("int8-matmul", "hand")["output_level"] == 102


def test_matmul_output_value(answers):
    # 0.02 · (102 - 100) = 0.04.
    assert answers("int8-matmul", "hand")["output_value"] == Fraction(1, 25)


def test_matmul_zero_points_ignored(wrong):
    # 130·3 - 120·5 + 140·2 = 390 - 600 + 280 = 70.
    assert wrong("int8-matmul", "hand", "accumulator")["zero-points-ignored"] == 70


def test_matmul_weight_zero_point_ignored(wrong):
    # (2)(3) + (-8)(-5) + (12)(2) = 6 + 40 + 24 = 70.
    assert wrong("int8-matmul", "hand", "accumulator")["weight-zero-point-ignored"] == 70


def test_matmul_cross_term_dropped(wrong):
    # Without N·Z_a·Z_w = 3 · 128 · (-1) = -384: 76 + 384 = 460.
    assert wrong("int8-matmul", "hand", "accumulator")["cross-term-dropped"] == 460


def test_matmul_output_zero_point_omitted(wrong):
    assert wrong("int8-matmul", "hand", "output_level")["output-zero-point-omitted"] == 2
