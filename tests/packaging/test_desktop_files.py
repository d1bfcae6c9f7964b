"""The desktop integration files are valid and the icon set is complete and the right sizes."""

from __future__ import annotations

import configparser
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from commander import __version__

ROOT = Path(__file__).resolve().parents[2]
APP_ID = "io.github.commander.Commander"
DESKTOP = ROOT / "packaging" / f"{APP_ID}.desktop"
METAINFO = ROOT / "packaging" / f"{APP_ID}.metainfo.xml"
ICONS = ROOT / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_desktop_entry_has_what_launchers_need() -> None:
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Commander"
    assert entry["Exec"].split()[0] == "commander"
    assert entry["Icon"] == "commander"
    assert entry["Terminal"] == "false"
    assert entry["Categories"].endswith(";")
    assert entry["StartupWMClass"] == "Commander"  # QApplication's name: the dock groups it


def test_metainfo_names_the_launcher_binary_and_this_version() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    for required in ("name", "summary", "metadata_license", "project_license", "description"):
        assert root.find(required) is not None, required
    assert root.findtext("launchable") == DESKTOP.name
    assert root.findtext("provides/binary") == desktop_entry()["Exec"].split()[0]
    assert root.findtext("icon") == desktop_entry()["Icon"]
    versions = [release.get("version") for release in root.iterfind("releases/release")]
    assert versions[0] == __version__  # the newest release is the one being packaged


@pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason="desktop-file-utils")
def test_desktop_file_validate_accepts_it() -> None:
    result = subprocess.run(
        ["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


@pytest.mark.skipif(not shutil.which("appstreamcli"), reason="appstream")
def test_appstreamcli_validate_accepts_it() -> None:
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("size", SIZES)
def test_every_icon_size_exists_at_its_declared_size(size: int) -> None:
    path = ICONS / "hicolor" / f"{size}x{size}" / "apps" / "commander.png"
    assert png_size(path) == (size, size)


def test_icon_set_has_the_svg_source_and_nothing_stray() -> None:
    root = ET.parse(ICONS / "commander.svg").getroot()
    assert root.tag.endswith("svg") and root.get("viewBox") == "0 0 64 64"
    assert (ICONS / "hicolor" / "scalable" / "apps" / "commander.svg").read_bytes() == (
        ICONS / "commander.svg"
    ).read_bytes()
    folders = {p.name for p in (ICONS / "hicolor").iterdir()}
    assert folders == {f"{s}x{s}" for s in SIZES} | {"scalable"}


def test_the_render_script_and_the_app_agree_on_sizes() -> None:
    import importlib.util

    script = ROOT / "packaging" / "render_icons.py"
    spec = importlib.util.spec_from_file_location("render_icons", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    from commander.ui.shell.app_icon import SIZES as APP_SIZES

    assert module.SIZES == SIZES == APP_SIZES


def test_the_wheel_installs_every_icon_size() -> None:
    """pyproject's data files list every rendered icon, so a wheel install has a window icon."""
    import tomllib

    from commander.ui.shell.app_icon import SIZES as APP_SIZES

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    data_files = config["tool"]["setuptools"]["data-files"]
    wanted = {f"share/icons/hicolor/{n}x{n}/apps" for n in APP_SIZES}
    wanted.add("share/icons/hicolor/scalable/apps")
    assert set(data_files) == wanted
    for target, sources in data_files.items():
        (source,) = sources
        assert (ROOT / source).is_file()
        assert source.removeprefix("resources/icons/").startswith(
            target.removeprefix("share/icons/")
        )
