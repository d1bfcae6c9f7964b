"""Before Qt starts: can its platform plugin load here? If not, say which library is missing.

Qt aborts the process (a core dump) when its ``xcb`` platform plugin cannot load, and its
message names only ``xcb-cursor0`` whatever is actually missing. ``ldd`` on the plugin itself
tells the truth: every shared library it needs, directly or through ``libQt6XcbQpa``, with
``not found`` beside the ones this system lacks. We read that before creating the
``QApplication`` and turn it into one sentence naming the packages to install.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from commander.core.errors import CommanderError

__all__ = [
    "XCB_LIBRARIES",
    "PlatformProblem",
    "PlatformUnavailable",
    "check_platform",
    "describe_missing",
    "parse_ldd_missing",
    "platform_plugin",
]

# soname -> (Debian/Ubuntu package, Fedora package): what Qt 6's xcb platform plugin loads
# (``ldd`` on PySide6's libqxcb.so, system libraries such as libc and glib left out).
XCB_LIBRARIES: dict[str, tuple[str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
}


class PlatformUnavailable(CommanderError):
    """Qt's platform plugin cannot load here; the message names what is missing."""


@dataclass(frozen=True)
class PlatformProblem:
    """Why Qt's platform plugin would not start, as one sentence for the user."""

    message: str
    missing: tuple[str, ...] = ()


def parse_ldd_missing(output: str) -> list[str]:
    """The sonames ``ldd`` reports as ``not found``, in its order, without duplicates."""
    missing: list[str] = []
    for line in output.splitlines():
        name, arrow, target = line.strip().partition("=>")
        if arrow and target.strip() == "not found" and name.strip() not in missing:
            missing.append(name.strip())
    return missing


def describe_missing(sonames: Sequence[str]) -> str:
    """One sentence naming what is missing and the packages that provide it."""
    listed = _join([f"{name}" for name in sonames])
    verb = "is" if len(sonames) == 1 else "are"
    debian = sorted({XCB_LIBRARIES[n][0] for n in sonames if n in XCB_LIBRARIES})
    fedora = sorted({XCB_LIBRARIES[n][1] for n in sonames if n in XCB_LIBRARIES})
    how = ""
    if debian:
        how = (
            f" (Debian/Ubuntu: sudo apt install {' '.join(debian)}; "
            f"Fedora: sudo dnf install {' '.join(fedora)})"
        )
    return (
        f"Qt's xcb platform cannot start because {listed} {verb} missing{how}; "
        f"install {'it' if len(sonames) == 1 else 'them'} and start Commander again."
    )


def platform_plugin(name: str = "xcb") -> Path | None:
    """PySide6's plugin file for the platform ``name``, if the wheel ships one."""
    try:
        import PySide6
    except ImportError:
        return None
    platforms = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms"
    path = platforms / f"libq{name}.so"
    return path if path.exists() else None


def check_platform(
    env: Mapping[str, str] | None = None, *, plugin: Path | None = None
) -> PlatformProblem | None:
    """What would stop Qt's platform from loading, or None when it should start.

    Only the ``xcb`` platform is checked, and only when Qt would pick it: ``QT_QPA_PLATFORM``
    unset (and no Wayland session) or ``xcb``. Costs one ``ldd`` run (~10 ms).
    """
    env = os.environ if env is None else env
    chosen = env.get("QT_QPA_PLATFORM", "").split(":", 1)[0].strip()
    if chosen not in ("", "xcb"):
        return None
    if not chosen and env.get("WAYLAND_DISPLAY"):
        return None  # Qt picks its wayland platform first
    if not env.get("DISPLAY"):
        return PlatformProblem(
            "No display to open the window on: DISPLAY is not set (start Commander from "
            "a desktop session, or set QT_QPA_PLATFORM=offscreen for a headless run)."
        )
    plugin = plugin or platform_plugin("xcb")
    if plugin is None:
        return None  # a build without the plugin: Qt's own message is all there is
    missing = _missing_libraries(plugin)
    if not missing:
        return None
    return PlatformProblem(describe_missing(missing), tuple(missing))


def _missing_libraries(plugin: Path) -> list[str]:
    ldd = shutil.which("ldd")
    if ldd is not None:
        try:
            done = subprocess.run(
                [ldd, str(plugin)], capture_output=True, text=True, timeout=10, check=False
            )
        except (OSError, subprocess.SubprocessError):
            pass
        else:
            return parse_ldd_missing(done.stdout)
    missing = []
    for soname in XCB_LIBRARIES:  # no ldd (a minimal image): try to load each one
        try:
            ctypes.CDLL(soname)
        except OSError:
            missing.append(soname)
    return missing


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
