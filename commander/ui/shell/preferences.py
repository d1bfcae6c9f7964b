"""Everything the settings dialog edits, read and written in one place.

Two stores, on purpose: what the command line must see too (identity, time zones, business
hours, the due-soon threshold) lives in the workspace's ``settings.json`` (``commander.config``);
what only the window cares about (theme, alert sound) lives in ``QSettings``. Secrets are
neither: the sync and channel pages hand them to keyring through their own dialogs.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from PySide6.QtCore import QSettings

from commander.config import (
    DeadlineSettings,
    Identity,
    load_deadline_settings,
    load_display_zone_name,
    load_identity,
    parse_zone,
    save_deadline_settings,
    save_display_zone,
    save_identity,
)
from commander.core.errors import CommanderError, ValidationError
from commander.ui.common.themes import DEFAULT_THEME, THEMES

THEME_KEY = "appearance/theme"
SOUND_KEY = "alerts/sound"  # the View menu's "Sound on deadline alerts" uses the same key
MAX_DUE_SOON_MINUTES = 24 * 60


@dataclass(frozen=True)
class Preferences:
    """One snapshot of the user's settings."""

    identity: Identity = field(default_factory=Identity)
    display_zone: str | None = None  # None: the computer's zone
    deadlines: DeadlineSettings = field(default_factory=DeadlineSettings)
    theme: str = DEFAULT_THEME
    sound: bool = False

    def validated(self) -> Preferences:
        """A cleaned copy, or ValidationError with one sentence saying what to fix."""
        parse_zone(self.display_zone)
        try:
            self.deadlines.business_hours()
        except ValidationError as err:
            raise ValidationError(f"Business hours: {err}") from None
        if not 0 <= self.deadlines.due_soon_minutes <= MAX_DUE_SOON_MINUTES:
            raise ValidationError("Due-soon threshold must be between 0 and 1440 minutes.")
        if self.theme not in THEMES:
            raise ValidationError(f"Unknown theme {self.theme!r}.")
        return replace(self, identity=self.identity.validated())


def saved_theme(settings: QSettings) -> str:
    value = settings.value(THEME_KEY, DEFAULT_THEME)
    return value if isinstance(value, str) and value in THEMES else DEFAULT_THEME


def load_preferences(data_dir: Path, settings: QSettings) -> tuple[Preferences, str]:
    """The saved preferences and a problem to show (empty if none): a damaged settings file
    falls back to defaults so the dialog can still open and overwrite it."""
    problem = ""
    try:
        identity = load_identity(data_dir)
        zone = load_display_zone_name(data_dir)
        deadlines = load_deadline_settings(data_dir)
    except CommanderError as err:
        identity, zone, deadlines, problem = Identity(), None, DeadlineSettings(), str(err)
    prefs = Preferences(
        identity=identity,
        display_zone=zone,
        deadlines=deadlines,
        theme=saved_theme(settings),
        sound=bool(settings.value(SOUND_KEY, False, type=bool)),
    )
    return prefs, problem


def save_preferences(data_dir: Path, settings: QSettings, prefs: Preferences) -> Preferences:
    """Validate everything first, then write both stores; returns what was saved."""
    prefs = prefs.validated()
    save_identity(data_dir, prefs.identity)
    save_display_zone(data_dir, prefs.display_zone)
    save_deadline_settings(data_dir, prefs.deadlines)
    settings.setValue(THEME_KEY, prefs.theme)
    settings.setValue(SOUND_KEY, prefs.sound)
    settings.sync()
    return prefs
