"""Exact reference core of effquiz: affine integer quantization and speculative decoding.

Every function converts its numeric inputs with :func:`to_exact` and computes in
:class:`fractions.Fraction`, so reference answers never depend on float rounding. Errors are
:class:`effquiz.errors.CoreError` subclasses, which are also ``ValueError``.
"""

from effquiz.core.exact import Exact, check_integer, round_half_even, tie_distance, to_exact
from effquiz.core.quant import (
    LevelInterval,
    QuantParams,
    dequantize,
    level_interval,
    level_range,
    lower_edge,
    qparams,
    quantize,
    scale,
    upper_edge,
    zero_point,
)
from effquiz.core.specdec import (
    acceptance_probability,
    acceptance_rate,
    expected_tokens,
    operations_factor,
    optimal_gamma,
    residual,
    total_variation,
    validate_distribution,
    walltime_improvement,
)

__all__ = [
    "Exact",
    "LevelInterval",
    "QuantParams",
    "acceptance_probability",
    "acceptance_rate",
    "check_integer",
    "dequantize",
    "expected_tokens",
    "level_interval",
    "level_range",
    "lower_edge",
    "operations_factor",
    "optimal_gamma",
    "qparams",
    "quantize",
    "residual",
    "round_half_even",
    "scale",
    "tie_distance",
    "to_exact",
    "total_variation",
    "upper_edge",
    "validate_distribution",
    "walltime_improvement",
    "zero_point",
]
