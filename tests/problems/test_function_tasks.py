"""The implementation tasks: the reference's outputs on named examples and edge probes, worked by hand.

Each test draws the probes that the judge would use and calls the reference in
``solutions/`` on them. The expected values are computed by hand in the comments.
"""

from __future__ import annotations

from typing import Any

import pytest

from effquiz.grader.functions import expected_outcomes, solution
from effquiz.grader.probes import ProbeInput, argument_json, edge_probe_inputs
from effquiz.templates import Bank
from effquiz.variants import generate_variant

BANK = Bank.load()


def plain(encoded: dict[str, Any]) -> Any:
    """Return an encoded output as Python data: ints, floats, bools and nested lists."""
    kind = encoded["kind"]
    if kind == "list":
        return [plain(item) for item in encoded["items"]]
    if kind == "int":
        return int(encoded["value"])
    if kind == "float":
        return float(encoded["value"])
    return encoded["value"]


def outcome(template_id: str, part_name: str, probe: ProbeInput) -> Any:
    """Return what the reference does on one probe: its output, or the name of the error it raises."""
    part = BANK.get(template_id).part(part_name)
    result = expected_outcomes(solution(part.function), [probe])[0]
    return plain(result["returned"]) if "returned" in result else result["raised"][0]


def example_probe(template_id: str, part_name: str, example: str) -> ProbeInput:
    """Return the per-student probe that the template's named example gives."""
    template = BANK.get(template_id)
    spec = template.part(part_name).function
    params = generate_variant(template, 0, overrides=template.examples[example]).params
    args = {name: argument_json(expression.evaluate(params), spec.dtype(name)) for name, expression in spec.probe_args}
    return ProbeInput("example", args, True)


def edge_outcomes(template_id: str, part_name: str) -> list[Any]:
    part = BANK.get(template_id).part(part_name)
    return [outcome(template_id, part_name, probe) for probe in edge_probe_inputs(part)]


def close(values: list[float], expected: list[float]) -> bool:
    return len(values) == len(expected) and all(v == pytest.approx(e, rel=1e-12, abs=1e-15)
                                                for v, e in zip(values, expected))


# dequantize-function


def test_dequantize_lecture_probe() -> None:
    # lo = 0, hi = 4, 8-bit signed: S = 4/255, Z = -128 - round(0) = -128.
    # q = [72, -128, 127, 0] -> S·(q + 128) = [800/255, 0, 1020/255, 512/255].
    probe = example_probe("dequantize-function", "dequantize", "lecture")
    assert probe.args["q"] == {"array": [72, -128, 127, 0], "dtype": "int64"}
    assert close(outcome("dequantize-function", "dequantize", probe), [800 / 255, 0.0, 4.0, 512 / 255])


def test_dequantize_edge_probes() -> None:
    outcomes = edge_outcomes("dequantize-function", "dequantize")
    # 0.5·(q + 3) for q = -128, 127, 0.
    assert close(outcomes[0], [-62.5, 65.0, 1.5])
    # Z = 0: 0.25·q.
    assert close(outcomes[1], [-31.75, 1.25, 31.75])
    # Z = -128 and S = 2/255: q - Z = 128, 383, 256.
    assert close(outcomes[2], [256 / 255, 766 / 255, 512 / 255])
    # 0.125·(q - 8) for q = 0, 15, 8.
    assert close(outcomes[3], [-1.0, 0.875, 0.0])
    assert outcomes[4] == "ValueError"


# qparams-function


def test_qparams_lecture_probe() -> None:
    # [0, 4] on int8: S = 4/255, Z = -128 - round(0/S) = -128.
    scale, zero_point = outcome("qparams-function", "qparams", example_probe("qparams-function", "qparams", "lecture"))
    assert scale == pytest.approx(4 / 255, rel=1e-15)
    assert zero_point == -128


def test_qparams_edge_probes() -> None:
    outcomes = edge_outcomes("qparams-function", "qparams")
    assert outcomes[0][1] == -128
    # [-1.5, 13.5], 4-bit unsigned: S = 15/15 = 1 and lo/S = -1.5, which rounds to the even -2, so Z = 0 + 2.
    assert outcomes[1] == [1.0, 2]
    # [1, 2.7] on uint8: S = 1.7/255 = 1/150 and lo/S = 150, so Z = 0 - 150, below the levels.
    assert outcomes[2][0] == pytest.approx(1 / 150, rel=1e-15)
    assert outcomes[2][1] == -150
    # [-0.5, 1.375], 4-bit signed: S = 1.875/15 = 0.125 and lo/S = -4, so Z = -8 + 4.
    assert outcomes[3] == [0.125, -4]
    assert outcomes[4:] == ["ValueError", "ValueError"]


# int8-matmul-function


def test_int8_matmul_hand_probe() -> None:
    # a - Z_a = [[0, -30, 20], [117, -138, -10]] (Z_a = 10), b - Z_b = [[7, -3], [2, 12], [-1, 9]] (Z_b = -2).
    # acc = [[0 - 60 - 20, 0 - 360 + 180], [819 - 276 + 10, -351 - 1656 - 90]] = [[-80, -180], [553, -2097]].
    # M = 0.05·0.01/0.05 = 0.01, so M·acc = [[-0.8, -1.8], [5.53, -20.97]], rounded [[-1, -2], [6, -21]],
    # plus Z_out = 4.
    probe = example_probe("int8-matmul-function", "int8_matmul", "hand")
    assert probe.args["a_q"] == {"array": [[10, -20, 30], [127, -128, 0]], "dtype": "int8"}
    assert outcome("int8-matmul-function", "int8_matmul", probe) == [[3, 2], [10, -17]]


def test_int8_matmul_edge_probes() -> None:
    outcomes = edge_outcomes("int8-matmul-function", "int8_matmul")
    # a - Z_a = [255, 0, 128] (Z_a = -128), b - Z_b = [-2, -255, 0] (Z_b = 127): acc = -510.
    # M = 0.5·0.25/1 = 1/8, so M·acc = -63.75, which rounds to -64.
    assert outcomes[0] == [[-64]]
    # acc = [100·100 + 100·100, -20000] = [20000, -20000]; M·acc = ±2500, + 5, saturates.
    assert outcomes[1] == [[127, -128]]
    # acc = 2·[2, 6, 10, -10] = [4, 12, 20, -20]; M·acc = [0.5, 1.5, 2.5, -2.5] rounds to even
    # [0, 2, 2, -2], then Z_out = 1 is added.
    assert outcomes[2] == [[1, 3, 3, -1]]
    # a - Z_a = [0, -30, 20], b - Z_b = [8, 0]: acc = [[0, 0], [-240, 0], [160, 0]].
    # M = 0.5·0.25/0.5 = 1/4, so round(M·acc) = [[0, 0], [-60, 0], [40, 0]], plus Z_out = -3.
    assert outcomes[3] == [[-3, -3], [-63, -3], [37, -3]]


# acceptance-functions


def test_accept_hand_probe() -> None:
    # p(x)/q(x) = 0.1/0.2 = 1/2, and u = 0.75 is not below it: rejected.
    assert outcome("acceptance-functions", "accept", example_probe("acceptance-functions", "accept", "hand")) is False


def test_accept_edge_probes() -> None:
    # u = 1/2 = p/q is not < 1/2; p = 0 gives 0, and u = 0 is not < 0; p > q gives 1 > 0.9999;
    # p/q = 3/4 > 0.7499.
    assert edge_outcomes("acceptance-functions", "accept") == [False, False, True, True]


def test_residual_hand_probe() -> None:
    # p = (0.1, 0.3, 0.1, 0.5), q = (0.2, 0.1, 0.3, 0.4): max(0, p - q) = (0, 0.2, 0, 0.1), whose sum
    # is 0.3, so the residual is (0, 2/3, 0, 1/3).
    probe = example_probe("acceptance-functions", "residual", "hand")
    assert close(outcome("acceptance-functions", "residual", probe), [0.0, 2 / 3, 0.0, 1 / 3])


def test_residual_edge_probes() -> None:
    outcomes = edge_outcomes("acceptance-functions", "residual")
    assert outcomes[0] == "ValueError"
    # max(0, p - 1/4) = (1/4, 1/4, 0, 0), whose sum is 1/2.
    assert outcomes[1] == [0.5, 0.5, 0.0, 0.0]
    # max(0, p - q) = (0, 1/4, 1/4), whose sum is 1/2.
    assert outcomes[2] == [0.0, 0.5, 0.5]
    # max(0, p - 1/4) = (1/4, 1/8, 0, 0), whose sum is 3/8.
    assert close(outcomes[3], [2 / 3, 1 / 3, 0.0, 0.0])
