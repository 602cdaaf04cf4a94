"""The ``effquiz`` command line.

Each command lives in its own module and only parses arguments before it calls one
stage of the pipeline. :data:`main` is the click group that the console script runs.
"""

from effquiz.cli.app import main
# Each module registers its command on import.
from effquiz.cli import build  # noqa: F401
from effquiz.cli import check  # noqa: F401
from effquiz.cli import demo  # noqa: F401
from effquiz.cli import export  # noqa: F401
from effquiz.cli import grade  # noqa: F401
from effquiz.cli import listing  # noqa: F401
from effquiz.cli import merge  # noqa: F401
from effquiz.cli import render  # noqa: F401

__all__ = ["main"]
