"""Headless Chromium for PDFs and screenshots of handouts.

Chromium is found through ``EFFQUIZ_CHROMIUM`` or on the PATH. It runs with a fresh
profile and with its background networking, component updates and sync turned off, on a
local ``file://`` page only.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from effquiz.errors import BuildError

logger = logging.getLogger(__name__)

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")
TIMEOUT_SECONDS = 120


def find_chromium() -> str | None:
    """Return the Chromium executable from ``EFFQUIZ_CHROMIUM`` or the PATH, or None."""
    configured = os.environ.get("EFFQUIZ_CHROMIUM")
    if configured:
        return shutil.which(configured)
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def print_pdf(chromium: str, page: Path, pdf: Path) -> None:
    """Print a local HTML page to PDF, without Chromium's header and footer."""
    _run(chromium, page, "--no-pdf-header-footer", f"--print-to-pdf={pdf.absolute()}", output=pdf)


def screenshot(chromium: str, page: Path, png: Path, *, width: int = 1000, height: int = 1400) -> None:
    """Save a PNG screenshot of the top ``width`` × ``height`` pixels of a local HTML page."""
    _run(chromium, page, "--hide-scrollbars", f"--window-size={width},{height}", f"--screenshot={png.absolute()}",
         output=png)


def _run(chromium: str, page: Path, *arguments: str, output: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="effquiz-chromium-") as profile:
        command = [chromium, *FLAGS, f"--user-data-dir={profile}", *arguments, page.absolute().as_uri()]
        logger.debug("running %s", " ".join(command))
        try:
            completed = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired as error:
            raise BuildError(f"Chromium did not finish {page.name} within {TIMEOUT_SECONDS} s.",
                             fix="check that Chromium runs headless here, or pass --no-pdf.") from error
    if completed.returncode != 0 or not output.exists():
        detail = completed.stderr.strip().splitlines()[-1:] or ["no output"]
        raise BuildError(f"Chromium failed on {page.name} with exit code {completed.returncode}: {detail[0]}",
                         fix="check that Chromium runs headless here, or pass --no-pdf.")
