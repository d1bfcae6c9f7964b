"""Themes: each one really changes the palette and style sheet, and every text colour reads."""

from __future__ import annotations

import itertools
import re
import tomllib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from commander.core.policy import Severity
from commander.ui.common import themes
from commander.ui.common.severity_badge import SEVERITY_COLOURS, severity_text
from commander.ui.features.deadlines.deadline_model import STATE_STYLE as DEADLINE_LOOK
from commander.ui.features.display import theme as display_theme

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app(qapp: QApplication):  # type: ignore[no-untyped-def]
    yield qapp
    themes.apply_theme(qapp, themes.DEFAULT_THEME)


@pytest.mark.parametrize("name", themes.theme_names())
def test_apply_theme_sets_palette_sheet_and_name(app: QApplication, name: str) -> None:
    themes.apply_theme(app, name)
    colours = themes.THEMES[name]
    palette = app.palette()
    assert palette.color(QPalette.ColorRole.Window).name() == colours.window
    assert palette.color(QPalette.ColorRole.Text).name() == colours.text
    assert palette.color(QPalette.ColorRole.Highlight).name() == themes.ACCENT
    assert themes.current_theme(app) == name
    sheet = app.styleSheet()
    assert colours.base in sheet and themes.ACCENT in sheet
    assert not re.search(r"@[a-z_]+", sheet), "a token was left unreplaced"


def test_switching_themes_changes_what_is_painted(app: QApplication) -> None:
    themes.apply_theme(app, "light")
    light = (app.palette().color(QPalette.ColorRole.Base).name(), app.styleSheet())
    themes.apply_theme(app, "war-room")
    war = (app.palette().color(QPalette.ColorRole.Base).name(), app.styleSheet())
    assert light[0] != war[0] and light[1] != war[1]
    assert war[0] == display_theme.BACKGROUND  # the war-room theme is the display's


def test_themed_text_follows_the_theme(app: QApplication, window, incidents) -> None:  # type: ignore[no-untyped-def]
    """Secondary and error text take the theme's colours (fixed greys vanish on dark)."""
    from PySide6.QtWidgets import QLabel

    declared = incidents.declare(title="API down", severity="P1")
    incidents.set_field(declared.incident.id, "status", "monitoring")  # a system entry
    window.refresh()
    window.select_incident(declared.incident.id)
    model = window.timeline_model
    system_row = next(r for r in range(model.rowCount()) if model.entry_at(r).kind == "system")
    label = QLabel("Refused", window)
    themes.set_role(label, "error")
    for name in ("dark", "light"):
        themes.apply_theme(app, name)
        colour = model.index(system_row, 1).data(Qt.ItemDataRole.ForegroundRole)
        assert colour.name() == themes.THEMES[name].muted
        label.ensurePolished()
        shown = label.palette().color(QPalette.ColorRole.WindowText).name()
        assert shown == themes.THEMES[name].error


def test_unknown_theme_is_refused(app: QApplication) -> None:
    with pytest.raises(KeyError, match="Unknown theme"):
        themes.apply_theme(app, "neon")


def test_every_theme_uses_the_accent_for_selection() -> None:
    assert {c.accent for c in themes.THEMES.values()} == {"#3a5b5b"}
    for colours in themes.THEMES.values():
        assert themes.contrast_ratio(colours.on_accent, colours.accent) >= 4.5


@pytest.mark.parametrize("name", themes.theme_names())
def test_theme_text_colours_meet_wcag_aa(name: str) -> None:
    c = themes.THEMES[name]
    for background in (c.window, c.base, c.alternate, c.button):
        for role in ("text", "muted", "link", "error", "ok", "warning"):
            ratio = themes.contrast_ratio(getattr(c, role), background)
            assert ratio >= 4.5, f"{name}: {role} on {background} is {ratio:.2f}:1"
    assert themes.contrast_ratio(c.text, c.tooltip) >= 4.5


def test_contrast_ratio_matches_wcag_reference_values() -> None:
    assert themes.contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert themes.contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert themes.contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)


def test_severity_colours_read_and_always_carry_their_label() -> None:
    for severity, (background, foreground) in SEVERITY_COLOURS.items():
        assert themes.contrast_ratio(foreground, background) >= 4.5, severity
        assert severity_text(severity).startswith(severity.value)
    backgrounds = [SEVERITY_COLOURS[s][0] for s in Severity]
    assert len(set(backgrounds)) == len(backgrounds)
    # Distinct in lightness too, so they differ for every colour-vision deficiency.
    lum = sorted(themes.relative_luminance(b) for b in backgrounds)
    assert all(b - a > 0.05 for a, b in itertools.pairwise(lum))


def test_deadline_state_colours_read() -> None:
    for word, background, foreground in DEADLINE_LOOK.values():
        if background is not None and foreground is not None:
            assert themes.contrast_ratio(foreground, background) >= 4.5, word
    from commander.ui.features.deadlines.deadline_model import DARK_MET

    assert themes.contrast_ratio(DARK_MET[1], DARK_MET[0]) >= 4.5
    for word, background, foreground in display_theme.STATE_LOOK.values():
        assert themes.contrast_ratio(foreground, background) >= 4.5, word


def test_theme_files_ship_with_the_package() -> None:
    """The package-data glob in pyproject matches every theme file, so a wheel has them."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["commander.ui"]
    package = ROOT / "commander" / "ui"
    shipped = {p.relative_to(package) for g in globs for p in package.glob(g)}
    for name in themes.theme_names():
        assert Path(f"resources/themes/{name}.qss") in shipped


@pytest.mark.slow
def test_installed_wheel_contains_the_themes(tmp_path: Path) -> None:
    """``pip install .`` (not editable) must find the style sheets and the icons: build the
    wheel and look."""
    import shutil
    import subprocess
    import sys
    import zipfile

    source = tmp_path / "src"
    shutil.copytree(
        ROOT / "commander", source / "commander", ignore=shutil.ignore_patterns("__pycache__")
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "resources", source / "resources")  # the icons, as data files
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(source),
        ],
        check=True,
        timeout=300,
    )
    (wheel,) = (tmp_path / "dist").glob("commander-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in themes.theme_names():
        assert f"commander/ui/resources/themes/{name}.qss" in names
    icons = {n.split(".data/data/", 1)[1] for n in names if ".data/data/share/icons/" in n}
    assert "share/icons/hicolor/48x48/apps/commander.png" in icons  # the window icon
    assert len(icons) == 9  # eight sizes and the SVG
    for template in (ROOT / "commander" / "reports" / "templates").iterdir():
        assert f"commander/reports/templates/{template.name}" in names
