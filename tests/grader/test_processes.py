"""Processes left behind by a submission are found and ended, even after they leave their session."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent("""
    import os, subprocess, sys, time
    from effquiz.grader.processes import become_subreaper, descendants, end_new_descendants

    print("subreaper", become_subreaper())
    before = descendants(os.getpid())
    # A child that starts a detached grandchild in a new session, then exits at once.
    launcher = subprocess.Popen([sys.executable, "-c",
        "import subprocess, sys; subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'], "
        "start_new_session=True)"])
    launcher.wait()
    time.sleep(0.5)
    orphans = descendants(os.getpid()) - before
    print("orphans", len(orphans))
    print("ended", end_new_descendants(before))
    time.sleep(0.2)
    print("alive", sum(os.path.exists(f"/proc/{pid}") for pid in orphans))
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the subreaper exists only on Linux")
def test_detached_grandchild_is_ended() -> None:
    completed = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60)
    lines = dict(line.split() for line in completed.stdout.splitlines())
    assert lines["subreaper"] == "True"
    assert lines["orphans"] == "1"  # the grandchild, adopted after its parent exited
    assert lines["ended"] == "1"
    assert lines["alive"] == "0"
