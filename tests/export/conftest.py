"""Exports of the lecture assignment and of the tolerance test assignment, made once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from effquiz.export import export_canvas, export_moodle

DATA = Path(__file__).parent / "data"
CROSS_CHECK_VARIANTS = 12


@pytest.fixture(scope="session")
def tolerance_assignment() -> Path:
    """Return the test assignment whose parts use every tolerance model."""
    return DATA / "tolerances.yaml"


@pytest.fixture(scope="session", params=["lecture", "tolerances"])
def exported(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, examples: Path) -> dict:
    """Export an assignment to Canvas (both numeric forms) and Moodle; return the paths."""
    assignment = examples / "lecture.yaml" if request.param == "lecture" else DATA / "tolerances.yaml"
    folder = tmp_path_factory.mktemp(f"export-{request.param}")
    paths = {"assignment": assignment, "variants": CROSS_CHECK_VARIANTS}
    for form in ("exact", "range"):
        paths[f"canvas-{form}"] = folder / f"canvas-{form}.zip"
        export_canvas(assignment_path=assignment, variants=CROSS_CHECK_VARIANTS, out=paths[f"canvas-{form}"],
                      form=form)
    paths["moodle"] = folder / "moodle.xml"
    export_moodle(assignment_path=assignment, variants=CROSS_CHECK_VARIANTS, out=paths["moodle"])
    return paths
