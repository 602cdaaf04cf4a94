"""Problem templates: the YAML language, its validation and the bank.

Entry points: :func:`load_template` for one file and :class:`Bank` for a folder.
"""

from effquiz.templates.bank import Bank, default_bank_path
from effquiz.templates.loader import load_template, parse_template
from effquiz.templates.schema import AnswerRule, Misconception, ParamSpec, PartSpec, Template, Tolerance

__all__ = [
    "AnswerRule", "Bank", "Misconception", "ParamSpec", "PartSpec", "Template", "Tolerance",
    "default_bank_path", "load_template", "parse_template",
]
