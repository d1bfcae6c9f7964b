"""The report and briefing templates ship with the package and load through its loader."""

from __future__ import annotations

import tomllib
from pathlib import Path

from commander.reports.render import ENV

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "commander" / "reports"


def test_package_data_ships_every_template() -> None:
    """pyproject's package-data glob matches every template file, so a wheel has them all."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["commander.reports"]
    shipped = {p.relative_to(PACKAGE) for g in globs for p in PACKAGE.glob(g)}
    templates = {p.relative_to(PACKAGE) for p in (PACKAGE / "templates").iterdir()}
    assert templates and templates <= shipped


def test_the_loader_finds_every_template_and_escapes_only_html() -> None:
    names = sorted(ENV.list_templates())
    assert names == sorted(p.name for p in (PACKAGE / "templates").iterdir())
    for name in names:
        template = ENV.get_template(name)
        assert bool(template.environment.autoescape(name)) == name.endswith(".html.j2")
