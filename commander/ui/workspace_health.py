"""On start: a damaged workspace file is repaired before the window opens over it.

``services.recovery.start_check`` runs ``PRAGMA quick_check`` on a thread from the very start
of ``commander`` (beside the imports); ``run_gui`` awaits it just before the workspace opens
and, on damage, shows ``DamagedWorkspaceDialog`` instead of a window that would fail later.
"""

from __future__ import annotations

from pathlib import Path

from commander.core.clock import SystemClock


def repair_damage(data_dir: Path, problems: list[str], *, author: str) -> bool:
    """Show the damage dialog; True once the workspace was recovered or restored."""
    from commander.ui.dialogs.damaged_workspace import DamagedWorkspaceDialog

    dialog = DamagedWorkspaceDialog(data_dir, problems, author=author, clock=SystemClock())
    return bool(dialog.exec())
