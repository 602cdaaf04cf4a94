"""Golden files for exports: compared byte for byte, refreshed with EFFQUIZ_UPDATE_GOLDEN=1."""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"


def check_golden(name: str, content: bytes) -> None:
    """Assert that ``content`` equals the golden file ``name``, or rewrite it when the flag is set."""
    path = GOLDEN / name
    if os.environ.get("EFFQUIZ_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(content)
    assert path.exists(), f"{path} is missing; run the tests once with EFFQUIZ_UPDATE_GOLDEN=1 and review the diff."
    assert content == path.read_bytes(), f"{name} differs from its golden file; if the change is intended, " \
                                         "rerun with EFFQUIZ_UPDATE_GOLDEN=1 and review the diff."
