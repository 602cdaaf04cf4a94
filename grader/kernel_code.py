"""Code that runs inside the student's kernel, embedded in the Otter test files.

These functions are copied as source text into each question's tests, so they may use
only the standard library and must not import effquiz, which the kernel cannot see.
They decide nothing: ``check_form`` gives the student feedback on the form of each
answer, and ``collect`` writes the answers out as plain JSON for the judge, which runs
in a separate process.
"""

# NOTE: keep these functions self-contained; build/otter_tests.py embeds their source.


def encode_answer(value, depth=0, max_depth=1):
    """Return a JSON-ready description of one value, with no custom objects left.

    Lists nest at most ``max_depth`` levels; an object with ``tolist`` (a NumPy array or
    scalar) is converted first.
    """
    import math
    import numbers

    if value is Ellipsis:
        return {"kind": "missing"}
    if hasattr(value, "tolist") and not isinstance(value, (bool, numbers.Number, str)):
        try:
            value = value.tolist()
        except Exception:
            return {"kind": "other", "type": type(value).__name__}
        if hasattr(value, "tolist") and not isinstance(value, (bool, numbers.Number, str, list, tuple)):
            return {"kind": "other", "type": type(value).__name__}
    if isinstance(value, bool):
        return {"kind": "bool", "value": bool(value)}
    if isinstance(value, numbers.Integral):
        return {"kind": "int", "value": str(int(value))}
    if isinstance(value, numbers.Real):
        number = float(value)
        return {"kind": "float", "value": repr(number) if math.isfinite(number) else str(number)}
    if isinstance(value, str):
        return {"kind": "str", "value": str(value)[:1000]}
    if isinstance(value, (list, tuple)) and depth < max_depth:
        return {"kind": "list", "items": [encode_answer(item, depth + 1, max_depth) for item in list(value)[:1000]]}
    return {"kind": "other", "type": type(value).__name__}


def decode_args(encoded):
    """Return the keyword arguments of one probe: numbers as they are, arrays as NumPy arrays of their dtype.

    An array without a ``dtype`` is float64.
    """
    import numpy

    return {name: numpy.asarray(value["array"], dtype=value.get("dtype", "float64")) if isinstance(value, dict)
            else value for name, value in encoded.items()}


class CallTimeout(BaseException):
    """Raised inside a student's function that runs past its time limit.

    It derives from BaseException so that ``except Exception`` in student code lets it pass.
    """


def call_with_limit(function, args, kwargs, seconds):
    """Call ``function`` and return ("returned", value), ("raised", exception) or ("timed out", None)."""
    import signal

    def expire(signum, frame):
        raise CallTimeout()

    try:
        previous = signal.signal(signal.SIGALRM, expire)
    except ValueError:  # not in the main thread, where signals cannot be set: run without a limit
        previous = None
    try:
        if previous is not None:
            signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return "returned", function(*args, **kwargs)
        finally:
            if previous is not None:
                signal.setitimer(signal.ITIMER_REAL, 0)
    except CallTimeout:
        return "timed out", None
    except Exception as error:
        return "raised", error
    finally:
        if previous is not None:
            signal.signal(signal.SIGALRM, previous)


def encode_outcome(kind, value, seconds):
    """Return the JSON form of one call's outcome."""
    if kind == "returned":
        return {"returned": encode_answer(value, 0, 3)}
    if kind == "raised":
        names = [cls.__name__ for cls in type(value).__mro__]
        return {"raised": names[:8], "message": str(value)[:300]}
    return {"timed_out": seconds}


def call_probes(function, probes, seconds):
    """Call ``function`` on each probe's arguments and return the encoded outcomes."""
    outcomes = []
    for probe in probes:
        kind, value = call_with_limit(function, (), decode_args(probe["args"]), seconds)
        outcomes.append(encode_outcome(kind, value, seconds))
    return {"kind": "function", "outcomes": outcomes}


def token_list(value):
    """Return ``value`` as a list of Python ints, or None when it is not a sequence of integers."""
    import numbers

    if hasattr(value, "tolist") and not isinstance(value, (list, tuple)):
        try:
            value = value.tolist()
        except Exception:
            return None
    if not isinstance(value, (list, tuple)) or len(value) > 1000:
        return None
    tokens = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, numbers.Integral):
            return None
        tokens.append(int(item))
    return tokens


def sample_calls(function, plans, seconds, budget):
    """Call a sampling step once per planned draft, with one seeded Generator per setting."""
    import time

    import numpy

    started = time.perf_counter()
    settings = []
    for plan in plans:
        rng = numpy.random.Generator(numpy.random.PCG64(plan["seed"]))
        target = numpy.asarray(plan["target"], dtype=numpy.float64)
        draft = numpy.asarray(plan["draft"], dtype=numpy.float64)
        outputs = []
        failure = None
        for index, drafts in enumerate(plan["drafts"]):
            if time.perf_counter() - started > budget:
                failure = {"call": index, "too_slow": budget}
                break
            args = (numpy.asarray(drafts, dtype=numpy.int64), target.copy(), draft.copy(), rng)
            kind, value = call_with_limit(function, args, {}, seconds)
            tokens = token_list(value) if kind == "returned" else None
            if tokens is None:
                failure = {"call": index, **encode_outcome(kind, value, seconds)}
                break
            outputs.append(tokens)
        settings.append({"outputs": outputs, "failure": failure})
    return {"kind": "samples", "settings": settings, "seconds": time.perf_counter() - started}


def collect(env, question, variables):
    """Write the values of ``variables`` in ``env`` to ``<answers dir>/<question>.json``.

    A variable that names a function part is called on the probes that the judge wrote to
    ``<probes dir>/<question>.json``, and its outcomes are written instead of its value.
    """
    import json
    import os

    probes = {}
    probe_folder = os.environ.get("EFFQUIZ_PROBES_DIR")
    if probe_folder:
        try:
            with open(os.path.join(probe_folder, question + ".json"), encoding="utf-8") as handle:
                probes = json.load(handle).get("parts", {})
        except (OSError, ValueError):
            probes = {}
    answers = {}
    for name in variables:
        if name not in env:
            answers[name] = {"kind": "undefined"}
        elif name in probes and not callable(env[name]):
            answers[name] = {"kind": "not callable", "type": type(env[name]).__name__}
        elif name in probes and "sampling" in probes[name]:
            plan = probes[name]
            answers[name] = sample_calls(env[name], plan["sampling"], plan["call_seconds"], plan["budget_seconds"])
        elif name in probes:
            answers[name] = call_probes(env[name], probes[name]["probes"], probes[name]["call_seconds"])
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
    if kind == "function":
        return function_problem(name, value, spec)
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
        if "length" in spec and len(value) != spec["length"]:
            return f"{name} must have {spec['length']} entries, not {len(value)}."
        for item in value:
            if isinstance(item, bool) or not isinstance(item, numbers.Real) or not math.isfinite(float(item)):
                return f"every entry of {name} must be a finite number; found {item!r}."
        if kind == "interval" and value[0] > value[1]:
            return f"{name} must be [lower, upper] with lower <= upper."
        if spec.get("distribution"):
            if any(item < 0 for item in value):
                return f"{name} is a probability distribution, so no entry may be negative."
            if abs(sum(float(item) for item in value) - 1) > 1e-6:
                return f"the entries of {name} must sum to 1, not {sum(float(item) for item in value):.6g}."
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return f"{name} must be a number, not {type(value).__name__}."
    if not math.isfinite(float(value)):
        return f"{name} must be a finite number, not {value!r}."
    if kind == "integer" and float(value) != int(value):
        return f"{name} must be a whole number, not {value!r}."
    return None


def output_form_problem(encoded, form):
    """Return why an encoded output does not have the expected form, or None."""
    kind = encoded.get("kind")
    if form.get("items") == "list":
        rows = encoded.get("items") if kind == "list" else None
        row = form["row"]
        if rows is None or len(rows) != form["length"] or any(output_form_problem(item, row) for item in rows):
            noun = {"int": "whole numbers", "float": "numbers", "bool": "booleans"}.get(row.get("items"), "values")
            return (f"must return a 2-D array (or a list of lists) of {form['length']} rows of "
                    f"{row.get('length')} {noun}")
        return None
    if form["kind"] == "list":
        items = encoded.get("items") if kind == "list" else None
        noun = {"int": "whole numbers", "float": "numbers", "bool": "booleans"}.get(form.get("items"), "values")
        if items is None or len(items) != form["length"]:
            return f"must return a list or array of {form['length']} {noun}"
        encoded_items = items
    else:
        encoded_items = [encoded]
    for item in encoded_items:
        item_kind = item.get("kind")
        expected = form.get("items", form["kind"])
        if expected == "int" and not (item_kind == "int" or (item_kind == "float" and float(item["value"]).is_integer())):
            return f"must return {'whole numbers' if form['kind'] == 'list' else 'a whole number'}, not {item.get('value', item.get('type'))!r}"
        if expected == "float" and item_kind not in ("int", "float"):
            return f"must return numbers, not {item.get('value', item.get('type'))!r}"
        if expected == "bool" and item_kind != "bool":
            return "must return True or False"
    return None


def function_problem(name, value, spec):
    """Return why ``value`` is not a function of the right form, or None: callable, parameters, output form."""
    import inspect

    import numpy

    expected_parameters = ", ".join(spec["parameters"])
    if not callable(value):
        return f"{name} must be a function taking ({expected_parameters}), not {type(value).__name__}."
    try:
        parameters = list(inspect.signature(value).parameters)
    except (TypeError, ValueError):
        parameters = spec["parameters"]
    if parameters != spec["parameters"]:
        return f"{name} must take the parameters ({expected_parameters}), not ({', '.join(parameters)})."
    example = spec.get("example")
    if example is not None:
        pieces = []
        for key in spec["parameters"]:
            item = example["args"].get(key)
            pieces.append(f"{key}={item['array'] if isinstance(item, dict) else item!r}")
        arguments = ", ".join(pieces)
        kind, result = call_with_limit(value, (), decode_args(example["args"]), 5.0)
        if kind != "returned":
            failure = "ran longer than 5 s" if kind == "timed out" else f"raised {type(result).__name__}: {result}"
            return f"{name}({arguments}) {failure}."
        if result is None:
            return f"{name} returns None: write its body."
        problem = output_form_problem(encode_answer(result, 0, 3), example["form"])
        return f"{name}({arguments}) {problem}." if problem else None
    sampling = spec.get("sampling_example")
    if sampling is not None:
        rng = numpy.random.Generator(numpy.random.PCG64(sampling["seed"]))
        target = numpy.asarray(sampling["target"], dtype=numpy.float64)
        draft = numpy.asarray(sampling["draft"], dtype=numpy.float64)
        drafts = sampling["drafts"]
        kind, result = call_with_limit(value, (numpy.asarray(drafts, dtype=numpy.int64), target, draft, rng), {}, 5.0)
        if kind != "returned":
            failure = "ran longer than 5 s" if kind == "timed out" else f"raised {type(result).__name__}: {result}"
            return f"{name} with draft_tokens={drafts} {failure}."
        if result is None:
            return f"{name} returns None: write its body."
        tokens = token_list(result)
        size = len(sampling["target"][0])
        if tokens is None or not 1 <= len(tokens) <= len(drafts) + 1 or any(not 0 <= t < size for t in tokens):
            return (f"{name} must return a list of 1 to {len(drafts) + 1} token ids from 0 to {size - 1}; "
                    f"with draft_tokens={drafts} it returned {result!r}.")
        if tokens[:-1] != drafts[:len(tokens) - 1]:
            return f"the tokens that {name} returns before the last one must be the kept drafts, in order."
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
