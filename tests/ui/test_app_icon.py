"""The window icon is the rendered set, every size."""

from __future__ import annotations

from PySide6.QtCore import QSize

from commander.ui.shell.app_icon import SIZES, app_icon, icons_dir


def test_app_icon_offers_every_rendered_size(qapp) -> None:  # type: ignore[no-untyped-def]
    assert icons_dir() is not None
    icon = app_icon()
    assert not icon.isNull()
    assert set(icon.availableSizes()) == {QSize(s, s) for s in SIZES}


def test_a_wheel_install_finds_the_icons_under_its_prefix(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """No source tree beside the package: the icons the wheel put in <prefix>/share/icons."""
    import shutil
    import sys
    from pathlib import Path

    import commander.ui.shell.app_icon as module

    source = icons_dir()
    assert source is not None
    installed = tmp_path / "site-packages" / "commander" / "ui" / "shell" / "app_icon.py"
    monkeypatch.setattr(module, "__file__", str(installed))
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "venv"))
    assert icons_dir() is None  # nothing there yet; another theme's hicolor is not ours
    (tmp_path / "venv" / "share" / "icons" / "hicolor").mkdir(parents=True)
    assert icons_dir() is None
    shutil.copytree(
        source / "hicolor", tmp_path / "venv" / "share" / "icons" / "hicolor", dirs_exist_ok=True
    )
    assert icons_dir() == Path(sys.prefix) / "share" / "icons"
