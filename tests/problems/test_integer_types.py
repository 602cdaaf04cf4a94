"""Integer types of the bank: symmetric int8, unsigned 8-bit activations and 4-bit levels.

Sources for the conventions: the TFLite 8-bit quantization spec (symmetric int8 weights,
levels [-127, 127], Z = 0), PyTorch's torch/ao/quantization/observer.py (symmetric scale
max|x|/((qmax - qmin)/2) = max|x|/127.5 for int8), ONNX QuantizeLinear (int4 [-8, 7],
uint4 [0, 15]) and Jacob et al. 2018, section 2.1 (r = S(q - Z)).
"""

from __future__ import annotations

from fractions import Fraction

# symmetric-int8: the weights lie in [-0.8, 1.27], so max|w| = 1.27, and w = 1.213.


def test_symmetric_absmax_scale(answers):
    # TFLite and absmax: S = 1.27/127 = 0.01.
    assert answers("symmetric-int8", "tflite")["sym_scale"] == Fraction(1, 100)


def test_symmetric_absmax_level(answers):
    # 1.213/0.01 = 121.3 rounds to 121.
    assert answers("symmetric-int8", "tflite")["sym_q"] == 121


def test_symmetric_absmax_restored(answers):
    # 0.01 · 121 = 1.21.
    assert answers("symmetric-int8", "tflite")["sym_restored"] == Fraction(121, 100)


def test_symmetric_pytorch_scale(answers):
    # PyTorch: S = 1.27/127.5 = 127/12750.
    assert answers("symmetric-int8", "pytorch")["sym_scale"] == Fraction(127, 12750)


def test_symmetric_pytorch_level(answers):
    # 1.213 · 127.5/1.27 = 121.777..., which rounds to 122.
    assert answers("symmetric-int8", "pytorch")["sym_q"] == 122


def test_symmetric_pytorch_restored(answers):
    # 122 · 127/12750 = 15494/12750 = 7747/6375 = 1.21521...
    assert answers("symmetric-int8", "pytorch")["sym_restored"] == Fraction(7747, 6375)


def test_symmetric_misconception_other_convention(wrong):
    # Under absmax, the other convention's scale is PyTorch's 127/12750 and its level 122.
    assert wrong("symmetric-int8", "tflite", "sym_scale")["other-convention"] == Fraction(127, 12750)
    assert wrong("symmetric-int8", "tflite", "sym_q")["other-convention"] == 122


def test_symmetric_misconception_power_of_two(wrong):
    # 1.27/128 = 127/12800.
    assert wrong("symmetric-int8", "tflite", "sym_scale")["power-of-two-divisor"] == Fraction(127, 12800)


def test_symmetric_misconception_affine_level(wrong):
    # Affine int8 over [-0.8, 1.27]: S = 2.07/255, lo/S = -98.55... rounds to -99, so
    # Z = -128 + 99 = -29; 1.213/S = 149.43... rounds to 149; 149 - 29 = 120.
    assert wrong("symmetric-int8", "tflite", "sym_q")["asymmetric-mapping"] == 120


# uint8-activations: GELU outputs observed in [-0.17, 3.0].


def test_uint8_scale(answers):
    # S = 3.17/255 = 317/25500.
    assert answers("uint8-activations", "gelu")["act_scale"] == Fraction(317, 25500)


def test_uint8_zero_point(answers):
    # lo/S = -0.17 · 255/3.17 = -13.675..., which rounds to -14, so Z = 0 + 14 = 14.
    assert answers("uint8-activations", "gelu")["act_zero_point"] == 14


def test_uint8_level(answers):
    # 1.0/S = 255/3.17 = 80.44... rounds to 80; 80 + 14 = 94.
    assert answers("uint8-activations", "gelu")["act_q"] == 94


def test_uint8_level_zero_is_not_lo(answers):
    # Level 0 dequantizes to S·(0 - 14) = -14 · 3.17/255 = -2219/12750 = -0.17404, not -0.17.
    level_zero = answers("uint8-activations", "gelu")["act_level_zero"]
    assert level_zero == Fraction(-2219, 12750)
    assert level_zero != Fraction(-17, 100)


def test_uint8_restored_level(answers):
    # Level 200 dequantizes to S·(200 - 14) = 186 · 317/25500 = 58962/25500 = 9827/4250.
    assert answers("uint8-activations", "gelu")["act_restored"] == Fraction(9827, 4250)


def test_uint8_misconceptions(wrong):
    # (hi - lo)/256 = 3.17/256; Z with the sign flipped is -14; S·(200 + 14) = 214 · 3.17/255.
    assert wrong("uint8-activations", "gelu", "act_scale")["levels-instead-of-gaps"] == Fraction(317, 25600)
    assert wrong("uint8-activations", "gelu", "act_zero_point")["sign-flipped"] == -14
    assert wrong("uint8-activations", "gelu", "act_restored")["zero-point-added"] == Fraction(214 * 317, 25500)


# four-bit-quantization


def test_four_bit_signed_levels(answers):
    result = answers("four-bit-quantization", "signed")
    assert result["int4_qmin"] == -8
    assert result["int4_qmax"] == 7


def test_four_bit_unsigned_levels(answers):
    result = answers("four-bit-quantization", "unsigned")
    assert result["int4_qmin"] == 0
    assert result["int4_qmax"] == 15


def test_four_bit_signed_mapping(answers):
    # [-1.2, 1.8]: S = 3/15 = 0.2, Z = -8 - round(-6) = -2; 0.75/0.2 = 3.75 rounds to 4,
    # and 4 - 2 = 2.
    result = answers("four-bit-quantization", "signed")
    assert result["int4_scale"] == Fraction(1, 5)
    assert result["int4_zero_point"] == -2
    assert result["int4_q"] == 2


def test_four_bit_unsigned_mapping(answers):
    # [0, 1]: S = 1/15, Z = 0; 0.65 · 15 = 9.75 rounds to 10.
    result = answers("four-bit-quantization", "unsigned")
    assert result["int4_scale"] == Fraction(1, 15)
    assert result["int4_zero_point"] == 0
    assert result["int4_q"] == 10


def test_four_bit_misconceptions(wrong):
    # Sixteen levels instead of 15 gaps: 3/16. Truncating 3.75 gives 3, and 3 - 2 = 1.
    # The 8-bit mapping: S = 3/255, Z = -128 - round(-102) = -26, 0.75 · 85 = 63.75 rounds
    # to 64, and 64 - 26 = 38.
    assert wrong("four-bit-quantization", "signed", "int4_scale")["levels-instead-of-gaps"] == Fraction(3, 16)
    assert wrong("four-bit-quantization", "signed", "int4_q")["floor-instead-of-round"] == 1
    assert wrong("four-bit-quantization", "signed", "int4_q")["eight-bit-levels"] == 38
