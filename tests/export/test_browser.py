"""Handouts as a browser shows and prints them: a headless Chromium screenshot and PDF.

These tests run the real Chromium and skip when none is installed (``.ci/run``
installs Debian's ``chromium``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from effquiz.export import export_handouts
from effquiz.export.browser import find_chromium, screenshot
from effquiz.export.figures import BAR_COLORS, HIGHLIGHT, VALUE

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium found (install Debian's chromium "
                                                          "or set EFFQUIZ_CHROMIUM)")
Image = pytest.importorskip("PIL.Image")


def rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


@pytest.fixture(scope="module")
def key_folder(tmp_path_factory: pytest.TempPathFactory, examples: Path) -> Path:
    folder = tmp_path_factory.mktemp("printed")
    export_handouts(assignment_path=examples / "lecture.yaml", forms=1, out=folder / "out", pdf=True)
    return folder / "out"


@pytest.fixture(scope="module")
def key_screenshot(key_folder: Path) -> "Image.Image":
    png = key_folder.parent / "key.png"
    screenshot(CHROMIUM, key_folder / "form-A-key.html", png, width=1000, height=3600)
    return Image.open(png).convert("RGB")


def pixels_of(image: "Image.Image", color: str) -> int:
    target = rgb(color)
    return sum(count for count, value in image.getcolors(maxcolors=1 << 20) if value == target)


def test_screenshot_has_requested_size(key_screenshot: "Image.Image") -> None:
    assert key_screenshot.size == (1000, 3600)


def test_screenshot_is_not_blank(key_screenshot: "Image.Image") -> None:
    # A rendered page of text and figures has many colours; a blank or error page has few.
    assert len(key_screenshot.getcolors(maxcolors=1 << 20)) > 200


def test_number_line_is_drawn(key_screenshot: "Image.Image") -> None:
    # The highlighted bin is at least 80 × 36 pixels of its fill colour; the value marker is red.
    assert pixels_of(key_screenshot, HIGHLIGHT) > 80 * 30
    assert pixels_of(key_screenshot, VALUE) > 50


def test_bar_charts_are_drawn(key_screenshot: "Image.Image") -> None:
    for color in BAR_COLORS.values():
        assert pixels_of(key_screenshot, color) > 200, color


def test_figure_region_has_content(key_screenshot: "Image.Image") -> None:
    # Find the rows that hold the highlight colour and check the band around them is not blank.
    target = rgb(HIGHLIGHT)
    width, height = key_screenshot.size
    data = key_screenshot.load()
    rows = [y for y in range(0, height, 2) if any(data[x, y] == target for x in range(0, width, 4))]
    assert rows
    band = key_screenshot.crop((0, max(0, rows[0] - 60), width, min(height, rows[-1] + 60)))
    non_white = sum(count for count, value in band.getcolors(maxcolors=1 << 20) if value != (255, 255, 255))
    assert non_white > band.size[0] * band.size[1] // 20


def test_pdfs_printed_beside_pages(key_folder: Path) -> None:
    from pypdf import PdfReader

    for name in ("form-A.pdf", "form-A-key.pdf"):
        reader = PdfReader(key_folder / name)
        assert len(reader.pages) >= 1
    assert "Worked solution" in "".join(page.extract_text() for page in PdfReader(key_folder / "form-A-key.pdf").pages)
