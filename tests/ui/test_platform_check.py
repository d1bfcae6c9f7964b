"""Qt's platform plugin: the missing library is named in one sentence, never a core dump."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from commander.ui.shell.platform_check import (
    check_platform,
    describe_missing,
    parse_ldd_missing,
    platform_plugin,
)

# ldd on PySide6's libqxcb.so on a Debian 12 machine with two of the xcb-util packages missing.
LDD_OUTPUT = """\
\tlinux-vdso.so.1 (0x00007ffd5b9f2000)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/plugins/platforms/../../lib/libQt6XcbQpa.so.6 (0x7f1)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f2a)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f3b)
\tlibxcb-icccm.so.4 => not found
\t/lib64/ld-linux-x86-64.so.2 (0x00007f4c)
"""


def test_ldd_not_found_lines_are_the_missing_libraries() -> None:
    assert parse_ldd_missing(LDD_OUTPUT) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    assert parse_ldd_missing("\tlibc.so.6 => /lib/libc.so.6 (0x1)\n") == []


def test_the_sentence_names_the_libraries_and_the_packages_to_install() -> None:
    text = describe_missing(["libxcb-icccm.so.4", "libxcb-keysyms.so.1"])
    assert "libxcb-icccm.so.4 and libxcb-keysyms.so.1 are missing" in text
    assert "sudo apt install libxcb-icccm4 libxcb-keysyms1" in text
    assert "sudo dnf install xcb-util-keysyms xcb-util-wm" in text
    assert "xcb-cursor0" not in text  # Qt's own message names it whatever is missing
    assert ". " not in text  # one sentence
    assert text.endswith("again.")
    single = describe_missing(["libxcb-cursor.so.0"])
    assert "libxcb-cursor.so.0 is missing" in single and "install it" in single
    assert "is missing; install it" in describe_missing(["libweird.so.9"])


def test_only_the_xcb_platform_with_a_display_is_checked() -> None:
    assert check_platform({"QT_QPA_PLATFORM": "offscreen"}) is None
    assert check_platform({"QT_QPA_PLATFORM": "wayland", "DISPLAY": ":0"}) is None
    assert check_platform({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}) is None
    for nowhere in (check_platform({}), check_platform({"QT_QPA_PLATFORM": "xcb"})):
        assert nowhere is not None and "DISPLAY is not set" in nowhere.message


def test_the_installed_plugin_finds_every_library_here() -> None:
    """CI installs every library README.md lists; ldd on the real plugin agrees."""
    plugin = platform_plugin("xcb")
    assert plugin is not None and plugin.name == "libqxcb.so"
    assert check_platform({"DISPLAY": ":99"}, plugin=plugin) is None


@pytest.mark.slow
def test_no_display_is_one_line_and_exit_1_not_a_core_dump(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM")}
    env.pop("WAYLAND_DISPLAY", None)
    env["COMMANDER_DATA_DIR"] = str(tmp_path)
    done = subprocess.run(
        [str(Path(sys.executable).with_name("commander"))],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "commander: error: No display to open the window on: DISPLAY is not set (start "
        "Commander from a desktop session, or set QT_QPA_PLATFORM=offscreen for a headless run)."
    ]
