"""The README's start command on the real ``xcb`` platform, under Xvfb (not offscreen).

``.ci/run`` installs Xvfb and the libraries README.md lists and sets
``COMMANDER_REQUIRE_XVFB=1``, so there this test runs or fails; elsewhere it is skipped when
no Xvfb is installed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
START_COMMAND = "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/commander"


def _readme_start_command() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"## Start it\s+```sh\n(.+?)\n```", text, re.DOTALL)
    assert match, "README.md has no '## Start it' command block"
    return match.group(1).strip()


def _xvfb() -> str:
    found = shutil.which("Xvfb")
    if found is None:
        if os.environ.get("COMMANDER_REQUIRE_XVFB") == "1":
            pytest.fail("Xvfb is not installed (apt-get install xvfb xauth)")
        pytest.skip("Xvfb is not installed")
    return found


def test_the_readme_start_command_shows_the_window_on_xcb(tmp_path: Path) -> None:
    assert _readme_start_command() == START_COMMAND
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        [_xvfb(), "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as display_pipe:
            display = display_pipe.readline().strip()
        assert display.isdigit(), "Xvfb did not start"
        drop = ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")  # Qt picks xcb itself, as on a desktop
        env = {k: v for k, v in os.environ.items() if k not in drop}
        env.update(
            DISPLAY=f":{display}",
            COMMANDER_DATA_DIR=str(tmp_path / "workspace"),
            COMMANDER_SMOKE_TEST="1",
            XDG_RUNTIME_DIR=str(tmp_path),
        )
        # The last step of the README's command: the venv's entry point, no arguments.
        commander = Path(sys.executable).with_name("commander")
        done = subprocess.run(
            [str(commander)], env=env, capture_output=True, text=True, timeout=60, check=False
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert done.returncode == 0, done.stderr
    assert "shown and painted on the xcb platform" in done.stdout, done.stdout
    assert "Could not load the Qt platform plugin" not in done.stderr
    assert "core dumped" not in done.stderr
