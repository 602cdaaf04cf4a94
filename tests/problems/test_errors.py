"""Quantization error: dequantization-error, vector-roundtrip, per-channel-scales, outlier-effect.

Inside the range rounding moves x/S by at most 1/2, so |x - x̂| <= S/2 (Jacob et al. 2018,
section 2.1, r = S(q - Z)). Symmetric absmax scales follow the TFLite spec for weights and
LLM.int8() (Dettmers et al. 2022): S = max|x|/(2^(b-1) - 1).
"""

from __future__ import annotations

from fractions import Fraction

# dequantization-error: the lecture's [0, 4] to signed 8 bits, S = 4/255, Z = -128.


def test_dequantization_restored(answers):
    # 3.1416/S = 200.277... rounds to 200, so q = 72 and x̂ = 200 · 4/255 = 160/51.
    assert answers("dequantization-error", "lecture")["deq_restored"] == Fraction(160, 51)


def test_dequantization_error_value(answers):
    # 3.1416 - 160/51 = (160.2216 - 160)/51 = 0.2216/51 = 277/63750.
    assert answers("dequantization-error", "lecture")["deq_error"] == Fraction(277, 63750)


def test_dequantization_worst_case_is_half_step(answers):
    # S/2 = 2/255.
    assert answers("dequantization-error", "lecture")["deq_worst_case"] == Fraction(2, 255)


def test_dequantization_outside_error(answers):
    # 5 saturates to 127, which dequantizes to (127 + 128) · 4/255 = 4; the error is 1.
    assert answers("dequantization-error", "lecture")["deq_outside_error"] == 1


def test_dequantization_misconceptions(wrong):
    # Full step 4/255; the 2^b-level scale 4/256 halved is 1/128; S·q = 72 · 4/255.
    assert wrong("dequantization-error", "lecture", "deq_worst_case")["full-step"] == Fraction(4, 255)
    assert wrong("dequantization-error", "lecture", "deq_worst_case")["levels-instead-of-gaps"] == Fraction(1, 128)
    assert wrong("dequantization-error", "lecture", "deq_restored")["zero-point-ignored"] == Fraction(288, 255)


# vector-roundtrip: [-1, 0.25, 0.62, 2] over its own range, unsigned 8 bits.


def test_vector_scale_and_zero_point(answers):
    # S = 3/255 = 1/85 and Z = 0 - round(-85) = 85.
    result = answers("vector-roundtrip", "unsigned-8")
    assert result["vec_scale"] == Fraction(1, 85)
    assert result["vec_zero_point"] == 85


def test_vector_levels(answers):
    # x·85 = -85, 21.25, 52.7, 170 round to -85, 21, 53, 170; plus 85: 0, 106, 138, 255.
    result = answers("vector-roundtrip", "unsigned-8")
    assert [result["vec_q1"], result["vec_q2"], result["vec_q3"], result["vec_q4"]] == [0, 106, 138, 255]


def test_vector_restored(answers):
    # (106 - 85)/85 = 21/85.
    assert answers("vector-roundtrip", "unsigned-8")["vec_restored2"] == Fraction(21, 85)


def test_vector_max_error(answers):
    # |0.25 - 21/85| = 0.25/85 and |0.62 - 53/85| = 0.3/85 = 3/850, the larger.
    assert answers("vector-roundtrip", "unsigned-8")["vec_max_error"] == Fraction(3, 850)


def test_vector_zero_point_misconceptions(wrong):
    # round(52.7) = 53 without Z; S·q for q = 106 is 106/85.
    assert wrong("vector-roundtrip", "unsigned-8", "vec_q3")["zero-point-not-added"] == 53
    assert wrong("vector-roundtrip", "unsigned-8", "vec_restored2")["zero-point-ignored"] == Fraction(106, 85)


# per-channel-scales: rows [2.54, -1.27, 0.5] and [0.113, -0.047, 0.031], int8 absmax.


def test_per_tensor_scale(answers):
    # max|W| = 2.54, and 2.54/127 = 0.02.
    assert answers("per-channel-scales", "two-rows")["tensor_scale"] == Fraction(1, 50)


def test_per_channel_scales(answers):
    # Row 1: 2.54/127 = 0.02. Row 2: 0.113/127.
    result = answers("per-channel-scales", "two-rows")
    assert result["channel1_scale"] == Fraction(1, 50)
    assert result["channel2_scale"] == Fraction(113, 127000)


def test_per_channel_column_misconception(wrong):
    # Column 2 holds -1.27 and -0.047, so its scale would be 1.27/127 = 0.01.
    assert wrong("per-channel-scales", "two-rows", "channel2_scale")["per-column"] == Fraction(1, 100)


def test_per_tensor_error_of_small_row(answers):
    # With S = 0.02: 0.113/S = 5.65 -> 6 -> 0.12 (error 0.007); -0.047/S = -2.35 -> -2 ->
    # -0.04 (0.007); 0.031/S = 1.55 -> 2 -> 0.04 (0.009). The largest error is 0.009.
    assert answers("per-channel-scales", "two-rows")["tensor_error"] == Fraction(9, 1000)


def test_per_channel_error_of_small_row(answers):
    # With S = 0.113/127: 0.113 -> 127 exactly; -0.047 · 127/0.113 = -52.82 -> -53, error
    # |-5.969 + 5.989|/127 = 0.02/127; 0.031 · 127/0.113 = 34.84 -> 35, error 0.018/127.
    # The largest is 0.02/127 = 1/6350.
    assert answers("per-channel-scales", "two-rows")["channel_error"] == Fraction(1, 6350)


def test_per_channel_beats_per_tensor(answers):
    result = answers("per-channel-scales", "two-rows")
    assert result["channel_error"] < result["tensor_error"]


# outlier-effect: typical values [0.5, -0.8, 0.3, 0.9] and the outlier 60, int8 absmax.


def test_outlier_scales(answers):
    # Without: 0.9/127 = 9/1270. With: 60/127.
    result = answers("outlier-effect", "activations")
    assert result["scale_without"] == Fraction(9, 1270)
    assert result["scale_with"] == Fraction(60, 127)


def test_outlier_error_without(answers):
    # x·127/0.9: 70.56 -> 71 (error 0.4/127), -112.89 -> -113 (0.1/127), 42.33 -> 42
    # (0.3/127), 127 exactly. The largest is 0.4/127 = 2/635.
    assert answers("outlier-effect", "activations")["error_without"] == Fraction(2, 635)


def test_outlier_error_with(answers):
    # x·127/60: 1.06 -> 1, -1.69 -> -2, 0.64 -> 1, 1.91 -> 2. The error of 0.3 is
    # |0.3 - 60/127| = 21.9/127 = 219/1270, the largest.
    assert answers("outlier-effect", "activations")["error_with"] == Fraction(219, 1270)


def test_outlier_bound_growth(answers):
    # 60/0.9 = 200/3.
    assert answers("outlier-effect", "activations")["bound_growth"] == Fraction(200, 3)
