"""The ``effquiz`` command line.

Each command lives in its own module and only parses arguments before it calls one
stage of the pipeline. :data:`main` is the click group that the console script runs.
"""

from effquiz.cli.app import main
from effquiz.cli import build, demo, grade, render  # noqa: F401  (each module registers its command)
from effquiz.cli import merge  # noqa: F401

__all__ = ["main"]
