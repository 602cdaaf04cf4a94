"""Variant generation: one deterministic variant of each question per student.

Entry point: :func:`generate_variant`. Seeds come from :mod:`effquiz.variants.seeds`.
"""

from effquiz.variants.generate import generate_variant, normalize
from effquiz.variants.model import PartAnswer, Variant, answer_json, exact_text, params_json
from effquiz.variants.seeds import question_seed, student_seed
from effquiz.variants.students import student_variants

__all__ = [
    "PartAnswer", "Variant", "answer_json", "exact_text", "generate_variant", "normalize", "params_json",
    "question_seed", "student_seed", "student_variants",
]
