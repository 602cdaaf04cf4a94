"""effquiz: randomized, auto-graded exercises on LLM efficiency for Otter-grader.

The package is a pipeline of stages, each a subpackage with one entry function:

- :mod:`effquiz.core`: exact reference maths (quantization, speculative decoding);
- :mod:`effquiz.templates`: loading and validating YAML problem templates;
- :mod:`effquiz.variants`: drawing one variant per student and computing its answers;
- :mod:`effquiz.build`: student notebooks, answer keys and the Otter autograder zip;
- :mod:`effquiz.grader`: judging submissions outside the student's kernel.
"""

__version__ = "0.1.0"
