"""Identity and display zone in settings.json: validated, merged with other settings, used as
the author by the CLI and the window alike."""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from commander.config import (
    DeadlineSettings,
    Identity,
    load_deadline_settings,
    load_identity,
    resolve_author,
    resolve_display_zone,
    save_deadline_settings,
    save_display_zone,
    save_identity,
)
from commander.core.errors import ValidationError


def test_identity_round_trip_and_cleaning(tmp_path: Path) -> None:
    saved = save_identity(tmp_path, Identity(name="  Dana   Okafor ", handle=" @dana "))
    assert saved == Identity(name="Dana Okafor", handle="dana")
    assert load_identity(tmp_path) == saved
    assert saved.author == "dana"
    assert Identity(name="Dana").author == "Dana"


@pytest.mark.parametrize("handle", ["dana okafor", "da/na", "x" * 41, "-dana"])
def test_bad_handles_are_refused(tmp_path: Path, handle: str) -> None:
    with pytest.raises(ValidationError, match="Handle"):
        save_identity(tmp_path, Identity(handle=handle))
    assert not (tmp_path / "settings.json").exists()


def test_settings_keep_each_other(tmp_path: Path) -> None:
    """Saving deadlines must not drop the identity, and the other way round."""
    save_identity(tmp_path, Identity(name="Dana", handle="dana"))
    save_deadline_settings(tmp_path, DeadlineSettings(start="08:00", due_soon_minutes=9))
    save_display_zone(tmp_path, "Asia/Tokyo")
    save_identity(tmp_path, Identity(name="Dana O", handle="dana"))
    raw = json.loads((tmp_path / "settings.json").read_text(encoding="utf-8"))
    assert raw["identity"] == {"name": "Dana O", "handle": "dana"}
    assert raw["display_zone"] == "Asia/Tokyo"
    assert load_deadline_settings(tmp_path).due_soon_minutes == 9


def test_author_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COMMANDER_AUTHOR", raising=False)
    save_identity(tmp_path, Identity(name="Dana", handle="dana"))
    assert resolve_author(None, tmp_path) == "dana"
    assert resolve_author("bob", tmp_path) == "bob"
    monkeypatch.setenv("COMMANDER_AUTHOR", "carol")
    assert resolve_author(None, tmp_path) == "carol"


def test_damaged_settings_do_not_stop_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COMMANDER_AUTHOR", raising=False)
    (tmp_path / "settings.json").write_text("{not json", encoding="utf-8")
    assert resolve_author(None, tmp_path) == resolve_author(None)  # the login
    assert resolve_display_zone(tmp_path) is not None
    with pytest.raises(ValidationError, match=r"settings\.json"):
        load_identity(tmp_path)
    save_identity(tmp_path, Identity(handle="dana"))  # saving over it repairs the file
    assert load_identity(tmp_path).handle == "dana"


def test_display_zone(tmp_path: Path) -> None:
    save_display_zone(tmp_path, "Europe/Paris")
    assert resolve_display_zone(tmp_path) == ZoneInfo("Europe/Paris")
    with pytest.raises(ValidationError, match="Unknown time zone"):
        save_display_zone(tmp_path, "Mars/Olympus")
    assert resolve_display_zone(tmp_path) == ZoneInfo("Europe/Paris")
    save_display_zone(tmp_path, None)
    assert json.loads((tmp_path / "settings.json").read_text())["display_zone"] is None
