"""A catalogue of malformed templates: each one is rejected at load with a located message.

Every case edits one valid template, ``VALID``, in one place. The expected text names the
file, line and column, the dotted key, and the message. Line numbers count from the top
of ``VALID`` (the key ``id`` is on line 1), and columns count from 1.
"""

from __future__ import annotations

import re

import pytest

from effquiz.errors import InputError
from effquiz.templates import parse_template

VALID = """\
id: sample
version: 1
topic: quantization
title: A sample template
params:
  bits:
    kind: choice
    values: [4, 8]
  lo:
    kind: uniform
    low: -4
    high: -1
    decimals: 1
  hi:
    kind: uniform
    low: 1
    high: 4
    decimals: 1
  levels:
    kind: derived
    expr: 2**bits - 1
constraints:
  - name: the range is wide
    expr: hi - lo > 2
prompt: "Quantize [{{ lo }}, {{ hi }}] to {{ bits }} bits."
parts:
  scale:
    kind: number
    prompt: The scale S.
    answer:
      function: quant.scale
      args: {lo: lo, hi: hi, bits: bits}
    tolerance: {rel: 1e-4}
    misconceptions:
      - name: levels-instead-of-gaps
        answer: (hi - lo) / 2**bits
        feedback: Divide by the 2^b - 1 gaps, not the 2^b levels.
  unsigned:
    kind: choice
    prompt: Is Z for unsigned levels positive?
    choices: {"yes": "Yes", "no": "No"}
    answer: '"yes" if quant.zero_point(lo=lo, hi=hi, bits=bits, signed=false) > 0 else "no"'
examples:
  small: {bits: 4, lo: -1, hi: 1}
checks:
  degenerate:
    - hi <= lo
"""

F = "sample.yaml"

# (case id, text to replace in VALID, replacement, expected part of the message)
CASES = [
    # YAML
    ("yaml-tab", "    kind: choice", "\tkind: choice",
     f"{F}:7:1: invalid YAML: found character '\\t' that cannot start any token."),
    ("yaml-duplicate-key", "version: 1\n", "version: 1\nversion: 2\n",
     f"{F}:3:1: version: the key 'version' appears twice in one mapping."),
    ("yaml-key-not-text", "  levels:\n", "  1.5: {kind: derived, expr: 1}\n  levels:\n",
     f"{F}:19:3: a mapping key must be a name, not 1.5."),
    # top level
    ("unknown-top-key", "params:\n", "parms:\n",
     f"{F}:5:1: parms: unknown key 'parms' in the template. Did you mean 'params'?"),
    ("missing-version", "version: 1\n", "",
     f"{F}:1:1: the template is missing the required key 'version'."),
    ("id-not-slug", "id: sample", "id: Sample_1",
     f"{F}:1:5: id: the id 'Sample_1' is not a lowercase slug."),
    ("id-not-file-name", "id: sample", "id: other",
     f"{F}:1:5: id: the id 'other' differs from the file name 'sample.yaml'."),
    ("version-not-number", "version: 1", "version: one",
     f"{F}:2:10: version: 'version' must be a whole number, not 'one'."),
    ("version-zero", "version: 1", "version: 0",
     f"{F}:2:10: version: 'version' is 0, outside the allowed range. Allowed: at least 1."),
    ("topic-misspelled", "topic: quantization", "topic: quantisation",
     f"{F}:3:8: topic: 'topic' is 'quantisation', which is not allowed. Did you mean 'quantization'?"),
    ("title-empty", "title: A sample template", 'title: ""',
     f"{F}:4:8: title: 'title' must be non-empty text, not ''."),
    ("max-tries-zero", "examples:\n", "max_tries: 0\nexamples:\n",
     f"{F}:43:12: max_tries: 'max_tries' is 0, outside the allowed range. Allowed: 1 to 1000000."),
    # parameters
    ("param-name-invalid", "  lo:\n", "  2lo:\n",
     f"{F}:9:3: params.2lo: the parameter name '2lo' is not a valid Python name."),
    ("param-name-reserved", "  lo:\n", "  min:\n",
     f"{F}:9:3: params.min: the parameter name 'min' is reserved by the expression language."),
    ("param-kind-misspelled", "    kind: uniform\n    low: -4", "    kind: unifrom\n    low: -4",
     f"{F}:10:11: params.lo.kind: 'kind' is 'unifrom', which is not allowed. Did you mean 'uniform'?"),
    ("param-key-misspelled", "    decimals: 1\n  hi:", "    decimal: 1\n  hi:",
     f"{F}:13:5: params.lo.decimal: unknown key 'decimal' in a uniform parameter. Did you mean 'decimals'?"),
    ("uniform-two-precisions", "    decimals: 1\n  hi:", "    decimals: 1\n    sigfigs: 2\n  hi:",
     f"{F}:10:5: params.lo: uniform parameter 'lo' needs exactly one of 'decimals' and 'sigfigs'."),
    ("uniform-missing-high", "    high: -1\n", "",
     f"{F}:10:5: params.lo: a uniform parameter is missing the required key 'high'."),
    ("decimals-too-many", "    decimals: 1\n  hi:", "    decimals: 13\n  hi:",
     f"{F}:13:15: params.lo.decimals: 'decimals' is 13, outside the allowed range. Allowed: 0 to 12."),
    ("derived-two-precisions", "    expr: 2**bits - 1\n", "    expr: 2**bits - 1\n    decimals: 1\n    sigfigs: 2\n",
     f"{F}:20:5: params.levels: derived parameter 'levels' has both 'decimals' and 'sigfigs'."),
    ("choice-values-empty", "values: [4, 8]", "values: []",
     f"{F}:8:13: params.bits.values: 'values' must be a non-empty list, not []."),
    ("choice-value-mapping", "values: [4, 8]", "values: [4, {a: 1}]",
     f"{F}:8:17: params.bits.values[1]: the choice {{'a': 1}} is not a number, boolean or word."),
    ("params-empty", "params:\n  bits:\n", "params: {}\nunused:\n  bits:\n",
     f"{F}:6:1: unused: unknown key 'unused' in the template."),
    # expressions
    ("expr-reads-later-param", "    low: -4\n", "    low: -hi\n",
     f"{F}:11:10: params.lo.low: the expression '-hi' reads 'hi', which is not one of the earlier parameters."),
    ("expr-syntax", "expr: 2**bits - 1", "expr: 2**bits -",
     f"{F}:21:11: params.levels.expr: invalid expression '2**bits -': invalid syntax in '2**bits -'"),
    ("expr-lambda", "expr: 2**bits - 1", "expr: '(lambda: 1)()'",
     f"{F}:21:11: params.levels.expr: invalid expression '(lambda: 1)()': Lambda is not allowed in an expression."),
    ("expr-dunder-attribute", "expr: 2**bits - 1", "expr: bits.__class__",
     "invalid expression 'bits.__class__': attribute access is allowed only as quant.NAME or spec.NAME."),
    ("expr-import", "expr: 2**bits - 1", "expr: __import__('os')",
     f"{F}:21:11: params.levels.expr: invalid expression \"__import__('os')\": the function '__import__' is not defined."),
    ("expr-unknown-function", "expr: 2**bits - 1", "expr: lg2(bits)",
     "the function 'lg2' is not defined. Did you mean 'log2'?"),
    ("expr-unknown-core-function", "quant.zero_point(lo=lo", "quant.zero_pint(lo=lo",
     f"{F}:42:13: parts.unsigned.answer: invalid expression '\"yes\" if quant.zero_pint(lo=lo, hi=hi, bits=bits, "
     "signed=false) > 0 else \"no\"': quant.zero_pint is not a core function. Did you mean 'quant.zero_point'? Fix:"),
    ("expr-core-keyword-misspelled", "signed=false", "signd=false",
     "quant.zero_point takes no argument 'signd'. Did you mean 'signed'?"),
    ("expr-core-argument-missing", "hi=hi, bits=bits, signed=false", "hi=hi, signed=false",
     "quant.zero_point: missing a required argument: 'bits'"),
    # constraints
    ("constraints-not-list", "  - name: the range is wide\n    expr: hi - lo > 2\n", "",
     f"{F}:22:13: constraints: 'constraints' must be a list, not None."),
    ("constraint-key-misspelled", "    expr: hi - lo > 2", "    expression: hi - lo > 2",
     f"{F}:24:5: constraints[0].expression: unknown key 'expression' in an entry of 'constraints'. Did you mean 'expr'?"),
    ("constraint-reads-unknown", "expr: hi - lo > 2", "expr: hi - low > 2",
     f"{F}:24:11: constraints[0].expr: the expression 'hi - low > 2' reads 'low', which is not one of the "
     "parameters. Did you mean 'lo'?"),
    # prompts
    ("prompt-syntax", "{{ bits }} bits.", "{{ bits } bits.",
     f"{F}:25:9: prompt: the prompt is not a valid template: unexpected '}}'"),
    ("prompt-undefined-name", "{{ bits }} bits.", "{{ bitz }} bits.",
     f"{F}:25:9: prompt: the prompt uses {{{{ bitz }}}}, which is not a parameter. Did you mean 'bits'?"),
    ("prompt-unknown-filter", "{{ lo }},", "{{ lo | fixd(2) }},",
     "the prompt is not a valid template: No filter named 'fixd'. (prompt line 1). Did you mean 'fixed'?"),
    ("prompt-private-attribute", "{{ lo }},", "{{ lo.__class__ }},",
     f"{F}:25:9: prompt: the prompt reads the attribute '__class__', which the sandbox forbids."),
    ("part-prompt-empty", "prompt: The scale S.", "prompt: ''",
     f"{F}:29:13: parts.scale.prompt: 'prompt' must be non-empty text, not ''."),
    # parts
    ("parts-empty", "parts:\n  scale:\n", "parts: {}\nunused:\n  scale:\n",
     f"{F}:27:1: unused: unknown key 'unused' in the template."),
    ("part-name-invalid", "  scale:\n", "  the-scale:\n",
     f"{F}:27:3: parts.the-scale: the part name 'the-scale' is not a valid Python name."),
    ("part-kind-misspelled", "kind: number", "kind: numbr",
     f"{F}:28:11: parts.scale.kind: 'kind' is 'numbr', which is not allowed. Did you mean 'number'?"),
    ("part-key-misspelled", "tolerance: {rel: 1e-4}", "tolerence: {rel: 1e-4}",
     f"{F}:33:5: parts.scale.tolerence: unknown key 'tolerence' in part 'scale'. Did you mean 'tolerance'?"),
    ("part-missing-answer", "    answer:\n      function: quant.scale\n      args: {lo: lo, hi: hi, bits: bits}\n", "",
     f"{F}:28:5: parts.scale: part 'scale' is missing the required key 'answer'."),
    ("choice-part-without-choices", '    choices: {"yes": "Yes", "no": "No"}\n', "",
     f"{F}:39:5: parts.unsigned: choice part 'unsigned' has no 'choices'."),
    ("choice-part-one-choice", '{"yes": "Yes", "no": "No"}', '{"yes": "Yes"}',
     f"{F}:41:14: parts.unsigned.choices: a choice part needs at least two choices."),
    ("choices-on-number-part", "    tolerance: {rel: 1e-4}\n", "    tolerance: {rel: 1e-4}\n    choices: {a: A, b: B}\n",
     f"{F}:34:5: parts.scale.choices: 'choices' belongs to choice parts, not to a number part."),
    ("variable-not-identifier", "    tolerance: {rel: 1e-4}\n", "    tolerance: {rel: 1e-4}\n    variable: my-scale\n",
     f"{F}:34:5: parts.scale.variable: the notebook variable 'my-scale' is not a valid Python name."),
    ("variable-used-twice", "    kind: choice\n    prompt", "    kind: choice\n    variable: scale\n    prompt",
     f"{F}:40:15: parts.unsigned.variable: parts 'scale' and 'unsigned' both use the notebook variable 'scale'."),
    ("weight-zero", "    tolerance: {rel: 1e-4}\n", "    tolerance: {rel: 1e-4}\n    weight: 0\n",
     f"{F}:34:13: parts.scale.weight: 'weight' must be a number > 0, not 0."),
    ("choice-answer-not-a-key", '"yes" if', '"yess" if',
     f"{F}:42:13: parts.unsigned.answer: the answer can be 'yess', which is not a choice key. Did you mean 'yes'?"),
    # answers
    ("answer-function-and-expr", "      function: quant.scale\n", "      function: quant.scale\n      expr: 1\n",
     f"{F}:31:7: parts.scale.answer: an answer needs exactly one of 'function' (with 'args') and 'expr'."),
    ("answer-function-unknown", "function: quant.scale", "function: quant.scal",
     f"{F}:31:17: parts.scale.answer.function: 'quant.scal' is not a core function. Did you mean 'quant.scale'?"),
    ("answer-argument-missing", "{lo: lo, hi: hi, bits: bits}", "{lo: lo, hi: hi}",
     f"{F}:32:13: parts.scale.answer.args: the call to quant.scale is missing the required key 'bits'."),
    ("answer-argument-misspelled", "{lo: lo, hi: hi, bits: bits}", "{lo: lo, hi: hi, bit: bits}",
     f"{F}:32:30: parts.scale.answer.args.bit: unknown key 'bit' in the call to quant.scale. Did you mean 'bits'?"),
    ("answer-args-with-expr", "      function: quant.scale\n", "      expr: (hi - lo) / 15\n",
     f"{F}:32:7: parts.scale.answer.args: 'args' belongs with 'function', not with 'expr'."),
    ("answer-key-misspelled", "      function: quant.scale\n", "      fuction: quant.scale\n",
     f"{F}:31:7: parts.scale.answer.fuction: unknown key 'fuction' in an answer. Did you mean 'function'?"),
    # tolerances
    ("tolerance-on-choice-part", '    choices: {"yes": "Yes", "no": "No"}\n',
     '    choices: {"yes": "Yes", "no": "No"}\n    tolerance: {abs: 1}\n',
     f"{F}:42:5: parts.unsigned.tolerance: a choice part is graded exactly and takes no tolerance."),
    ("tolerance-key-misspelled", "{rel: 1e-4}", "{relative: 1e-4}",
     f"{F}:33:17: parts.scale.tolerance.relative: unknown key 'relative' in a tolerance. Did you mean 'rel'?"),
    ("tolerance-negative", "{rel: 1e-4}", "{rel: -1e-4}",
     f"{F}:33:22: parts.scale.tolerance.rel: 'rel' must be a number >= 0, not -0.0001."),
    ("tolerance-sigfigs-and-rel", "{rel: 1e-4}", "{rel: 1e-4, sigfigs: 3}",
     f"{F}:33:16: parts.scale.tolerance: 'sigfigs' cannot be combined with 'abs' or 'rel'."),
    ("tolerance-empty", "{rel: 1e-4}", "{}",
     f"{F}:33:16: parts.scale.tolerance: the tolerance is empty."),
    ("tolerance-word", "{rel: 1e-4}", "loose",
     f"{F}:33:16: parts.scale.tolerance: the tolerance 'loose' is not allowed. "
     "Allowed: the word exact, or a mapping with abs, rel or sigfigs."),
    # misconceptions
    ("misconceptions-not-list", "    misconceptions:\n      - name: levels-instead-of-gaps\n        answer: (hi - lo) / 2**bits\n"
     "        feedback: Divide by the 2^b - 1 gaps, not the 2^b levels.\n", "    misconceptions: levels\n",
     f"{F}:34:21: parts.scale.misconceptions: 'misconceptions' must be a list, not 'levels'."),
    ("misconception-missing-feedback", "        feedback: Divide by the 2^b - 1 gaps, not the 2^b levels.\n", "",
     f"{F}:35:9: parts.scale.misconceptions[0]: a misconception is missing the required key 'feedback'."),
    ("misconception-key-misspelled", "        feedback: Divide", "        feedbak: Divide",
     f"{F}:37:9: parts.scale.misconceptions[0].feedbak: unknown key 'feedbak' in a misconception. "
     "Did you mean 'feedback'?"),
    ("misconception-name-twice", "        feedback: Divide by the 2^b - 1 gaps, not the 2^b levels.\n",
     "        feedback: Divide by the 2^b - 1 gaps, not the 2^b levels.\n"
     "      - name: levels-instead-of-gaps\n        answer: 1\n        feedback: Again.\n",
     f"{F}:38:15: parts.scale.misconceptions[1].name: two misconceptions of this part are named "
     "'levels-instead-of-gaps'."),
    ("misconception-when-unknown-name", "        answer: (hi - lo) / 2**bits\n",
     "        answer: (hi - lo) / 2**bits\n        when: signd\n",
     f"{F}:37:15: parts.scale.misconceptions[0].when: the expression 'signd' reads 'signd', which is not one of "
     "the parameters."),
    ("misconception-overlap-rate", "        answer: (hi - lo) / 2**bits\n",
     "        answer: (hi - lo) / 2**bits\n        overlap: {max_rate: 2, reason: by nature}\n",
     f"{F}:37:29: parts.scale.misconceptions[0].overlap.max_rate: 'max_rate' must be a rate from 0 to 1, not 2."),
    ("misconception-overlap-no-reason", "        answer: (hi - lo) / 2**bits\n",
     "        answer: (hi - lo) / 2**bits\n        overlap: {max_rate: 0.5}\n",
     f"{F}:37:18: parts.scale.misconceptions[0].overlap: an overlap is missing the required key 'reason'."),
    # examples
    ("example-unknown-param", "{bits: 4, lo: -1, hi: 1}", "{bitz: 4, lo: -1, hi: 1}",
     f"{F}:44:11: examples.small.bitz: example 'small' sets 'bitz', which is not a parameter. Did you mean 'bits'?"),
    ("example-value-list", "lo: -1, hi: 1}", "lo: [1, 2], hi: 1}",
     f"{F}:44:24: examples.small.lo: the example value [1, 2] is not a scalar."),
    ("example-value-nan", "lo: -1, hi: 1}", "lo: .nan, hi: 1}",
     f"{F}:44:24: examples.small.lo: the example value nan is not finite."),
    ("examples-not-mapping", "  small: {bits: 4, lo: -1, hi: 1}\n", "  - small\n",
     f"{F}:44:3: examples: examples must be a mapping of keys to values, not list ['small']."),
    # checks
    ("check-key-misspelled", "  degenerate:\n", "  degenerat:\n",
     f"{F}:46:3: checks.degenerat: unknown key 'degenerat' in checks. Did you mean 'degenerate'?"),
    ("check-tie-unknown-name", "  degenerate:\n", "  ties: [x / 2]\n  degenerate:\n",
     f"{F}:46:10: checks.ties[0]: the expression 'x / 2' reads 'x', which is not one of the parameters."),
    ("check-duplicate-rate", "  degenerate:\n", "  max_duplicate_rate: 1.5\n  degenerate:\n",
     f"{F}:46:23: checks.max_duplicate_rate: 'max_duplicate_rate' must be a rate from 0 to 1, not 1.5."),
]


def test_valid_template_loads() -> None:
    template = parse_template(VALID, F)
    assert [part.name for part in template.parts] == ["scale", "unsigned"]


def test_catalogue_has_forty_cases() -> None:
    assert len(CASES) >= 40
    assert len({case[0] for case in CASES}) == len(CASES)


@pytest.mark.parametrize(("old", "new", "message"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_malformed_template_message(old: str, new: str, message: str) -> None:
    assert old in VALID
    with pytest.raises(InputError, match=re.escape(message)):
        parse_template(VALID.replace(old, new, 1), F)


@pytest.mark.parametrize(("old", "new"), [case[1:3] for case in CASES], ids=[case[0] for case in CASES])
def test_malformed_template_names_line_and_fix(old: str, new: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_template(VALID.replace(old, new, 1), F)
    assert caught.value.location is not None
    assert caught.value.location.file == F
    assert caught.value.location.line is not None
    assert caught.value.fix


def test_empty_file_is_rejected() -> None:
    with pytest.raises(InputError, match=re.escape(f"{F}: the file is empty.")):
        parse_template("", F)


def test_list_at_top_is_rejected() -> None:
    with pytest.raises(InputError, match=re.escape("the template must be a mapping of keys to values, not list")):
        parse_template("- id: sample\n", F)
