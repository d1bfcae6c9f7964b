"""Workspaces of 1k to 1M entries for the timeline benchmarks, built once and cached.

A million entries take minutes to build through the op path, so each size is kept under a
cache folder (default: the system's temporary folder) and reused while it is complete.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from workspace_builder import build

from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace

DEFAULT_CACHE = Path(tempfile.gettempdir()) / "commander-bench-cache"
SIZES = (1_000, 10_000, 100_000, 1_000_000)


def parse_sizes(text: str) -> list[int]:
    """``1k,10k,1M`` or plain numbers."""
    scale = {"k": 1_000, "m": 1_000_000}
    sizes = []
    for part in text.split(","):
        part = part.strip().lower()
        sizes.append(int(float(part[:-1]) * scale[part[-1]]) if part[-1] in scale else int(part))
    return sizes


def workspace(entries: int, cache: Path = DEFAULT_CACHE) -> tuple[Workspace, str]:
    """The cached workspace of ``entries`` entries (built now if missing); its incident id."""
    folder = cache / f"ws-{entries}"
    marker = folder / "built"  # written last: a half-built folder is built again
    if marker.exists():
        return Workspace.open(folder, author="bench"), marker.read_text().strip()
    if folder.exists():
        for path in folder.iterdir():
            path.unlink()
    print(f"building a workspace of {entries:,} entries in {folder} (once) ...", flush=True)
    ws, incident_id = build(folder, entries)
    marker.write_text(incident_id)
    return ws, incident_id


def incident_of(ws: Workspace, incident_id: str):  # type: ignore[no-untyped-def]
    return IncidentService(ws).get(incident_id)
