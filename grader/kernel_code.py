"""Code that runs inside the student's kernel, embedded in the Otter test files.

These functions are copied as source text into each question's tests, so they may use
only the standard library and must not import effquiz, which the kernel cannot see.
They decide nothing: ``check_form`` gives the student feedback on the form of each
answer, and ``collect`` writes the answers out as plain JSON for the judge, which runs
in a separate process.
"""

# NOTE: keep these functions self-contained; build/otter_tests.py embeds their source.


def encode_answer(value, depth=0):
    """Return a JSON-ready description of one answer value, with no custom objects left."""
    import math
    import numbers

    if value is Ellipsis:
        return {"kind": "missing"}
    if isinstance(value, bool):
        return {"kind": "bool", "value": bool(value)}
    if isinstance(value, numbers.Integral):
        return {"kind": "int", "value": str(int(value))}
    if isinstance(value, numbers.Real):
        number = float(value)
        return {"kind": "float", "value": repr(number) if math.isfinite(number) else str(number)}
    if isinstance(value, str):
        return {"kind": "str", "value": str(value)[:1000]}
    if hasattr(value, "tolist") and depth == 0:
        try:
            value = value.tolist()
        except Exception:
            return {"kind": "other", "type": type(value).__name__}
    if isinstance(value, (list, tuple)) and depth == 0:
        return {"kind": "list", "items": [encode_answer(item, 1) for item in list(value)[:1000]]}
    return {"kind": "other", "type": type(value).__name__}


def collect(env, question, variables):
    """Write the values of ``variables`` in ``env`` to ``<answers dir>/<question>.json``."""
    import json
    import os

    answers = {}
    for name in variables:
        if name not in env:
            answers[name] = {"kind": "undefined"}
        else:
            answers[name] = encode_answer(env[name])
    folder = os.environ.get("EFFQUIZ_ANSWERS_DIR") or "effquiz_answers"
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, question + ".json"), "w", encoding="utf-8") as handle:
        json.dump(answers, handle)


def form_problem(name, value, spec):
    """Return why ``value`` has the wrong form for ``spec``, or None when the form is right."""
    import math
    import numbers

    kind = spec["kind"]
    if value is Ellipsis:
        return f"{name} is still ...: replace the ... with your answer."
    if kind == "choice":
        if not isinstance(value, str) or value.strip().lower() not in spec["accepted"]:
            quoted = ", ".join(repr(letter) for letter in spec["letters"])
            return f"{name} must be the letter of one choice as a string: one of {quoted}."
        return None
    if kind in ("vector", "interval"):
        if hasattr(value, "tolist"):
            value = value.tolist()
        if not isinstance(value, (list, tuple)):
            return f"{name} must be a list of numbers, not {type(value).__name__}."
        if len(value) != spec["length"]:
            return f"{name} must have {spec['length']} entries, not {len(value)}."
        for item in value:
            if isinstance(item, bool) or not isinstance(item, numbers.Real) or not math.isfinite(float(item)):
                return f"every entry of {name} must be a finite number; found {item!r}."
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return f"{name} must be a number, not {type(value).__name__}."
    if not math.isfinite(float(value)):
        return f"{name} must be a finite number, not {value!r}."
    if kind == "integer" and float(value) != int(value):
        return f"{name} must be a whole number, not {value!r}."
    return None


def check_form(env, specs):
    """Raise AssertionError listing every answer whose form is wrong (never its correctness)."""
    problems = []
    for name, spec in specs.items():
        if name not in env:
            problems.append(f"{name} is not defined: run the cell that assigns it.")
            continue
        problem = form_problem(name, env[name], spec)
        if problem:
            problems.append(problem)
    assert not problems, "\n".join(problems)
