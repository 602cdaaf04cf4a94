"""Runs effquiz's judge for one submission; the autograder zip's run_autograder calls it.

effquiz travels inside the zip as a wheel, which this script puts on the import path. The
judge then deletes the wheel before any student code runs, so the student's kernel cannot
import effquiz or its reference solutions.
"""

import sys
from pathlib import Path

source = Path(__file__).resolve().parent
wheels = sorted((source / "effquiz").glob("effquiz-*.whl"))
if not wheels:
    sys.exit(f"effquiz: no effquiz wheel found in {source / 'effquiz'}; rebuild the autograder zip.")
sys.path.insert(0, str(wheels[-1]))

from effquiz.grader.gradescope import main  # noqa: E402  (the wheel must be on the path first)

if __name__ == "__main__":
    sys.exit(main(source.parent))
