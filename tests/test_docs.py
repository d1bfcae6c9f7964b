"""README.md and docs/: every relative link and image resolves; the two commands are there."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def _documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_every_relative_link_and_image_resolves() -> None:
    broken = []
    for document in _documents():
        for target in LINK.findall(document.read_text(encoding="utf-8")):
            if target.startswith(("http://", "https://", "mailto:", "#")):
                continue
            path = (document.parent / target.split("#", 1)[0]).resolve()
            if not path.exists():
                broken.append(f"{document.relative_to(ROOT)} -> {target}")
    assert not broken, broken


def test_the_readme_is_the_newcomer_page() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/commander" in text
    assert (
        "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && "
        "QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -n auto"
    ) in text
    assert "## The first five things to do" in text
    assert "](docs/screenshots/" in text
    for needed in ("libxcb-icccm4", "libxcb-keysyms1", "libxcb-cursor0", "xcb-util-wm"):
        assert needed in text
    linked = set(re.findall(r"\]\(docs/([a-z0-9-]+\.md)\)", text))
    present = {p.name for p in (ROOT / "docs").glob("*.md")}
    assert present <= linked, f"docs not linked from README.md: {sorted(present - linked)}"
