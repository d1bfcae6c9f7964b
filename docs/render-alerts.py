"""Render the main window with the Alerts and health dock over the demo workspace.

    QT_QPA_PLATFORM=offscreen python docs/render-alerts.py

Alerts come from the demo (Help → Load demo incident) plus the Alertmanager v2 recording in
tests/fixtures, moved to now; health results are readings of four realistic targets.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import keyring

from commander.integrations.secrets import MemoryKeyring

keyring.set_keyring(MemoryKeyring())  # nothing of this render reaches the user's keyring

from PySide6.QtCore import QSettings  # noqa: E402

from commander.app import build_main_window  # noqa: E402
from commander.core.alerts import parse_v2_alerts  # noqa: E402
from commander.core.health import CheckResult, CheckState, classify_certificate  # noqa: E402
from commander.integrations.monitoring_settings import (  # noqa: E402
    HealthTarget,
    MonitoringSettings,
    save_monitoring_settings,
)
from commander.services.alerts import AlertService  # noqa: E402
from commander.services.workspace import Workspace  # noqa: E402
from commander.ui.shell.application import qt_application  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
SOURCE = "http://alertmanager.example:9093"
TARGETS = (
    HealthTarget("http", "https://api.example.com/healthz", "customer API"),
    HealthTarget("tls", "api.example.com:443", "customer API"),
    HealthTarget("tls", "partner-gw.example.net:8443", "partner gateway"),
    HealthTarget("http", "https://auth.example.com/healthz", "auth service"),
)


def _recorded_now(now: datetime) -> list[dict]:
    data = json.loads((ROOT / "tests/fixtures/alerts/v2_firing.json").read_text())
    shift = now - datetime(2026, 11, 28, 10, 5, tzinfo=UTC)
    for alert in data:
        for key in ("startsAt", "endsAt", "updatedAt"):
            moved = datetime.fromisoformat(alert[key].replace("Z", "+00:00")) + shift
            alert[key] = moved.isoformat().replace("+00:00", "Z")
    return [a for a in data if a["labels"]["alertname"] == "HighErrorRate"]


def _readings(now: datetime) -> list[CheckResult]:
    def cert(target: HealthTarget, hours: float) -> CheckResult:
        not_after = now + timedelta(hours=hours)
        verdict = classify_certificate(not_after, now)
        return CheckResult(
            "tls",
            target.label,
            target.target,
            verdict.state,
            verdict.text,
            now,
            verdict.severity,
            not_after,
            True,
        )

    return [
        CheckResult(
            "http",
            "customer API",
            TARGETS[0].target,
            CheckState.OK,
            "HTTP 200 in 84 ms",
            now,
            latency_ms=84,
        ),
        cert(TARGETS[1], 24 * 88),
        cert(TARGETS[2], 11.5),
        CheckResult(
            "http",
            "auth service",
            TARGETS[3].target,
            CheckState.FAILING,
            "HTTP 503 in 1203 ms",
            now,
        ),
    ]


def main() -> None:
    app = qt_application()
    folder = Path(tempfile.mkdtemp(prefix="commander-alerts-"))
    try:
        workspace = Workspace.open(folder, author="dana", zone=UTC)
        save_monitoring_settings(folder, MonitoringSettings(sources=(SOURCE,), targets=TARGETS))
        settings = QSettings(str(folder / "ui.ini"), QSettings.Format.IniFormat)
        window = build_main_window(workspace, settings)
        window.poll_timer.stop()
        feature = window.monitoring
        feature.stop()
        window.action_demo.trigger()
        now = datetime.now(UTC)
        AlertService(workspace).ingest(parse_v2_alerts(_recorded_now(now), source=SOURCE, now=now))
        feature.reload()
        feature.alerts_panel.set_status(
            f"2 firing, 1 silenced or inhibited · polled {now:%H:%M} from 1 source"
        )
        feature._on_checked(_readings(now))
        feature.check_timer.stop()
        feature.alerts_panel.view.selectRow(0)
        window.resize(1366, 900)
        window.show()
        for _ in range(30):
            app.processEvents()
        OUT.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(OUT / "alerts-window.png"))
        feature.tabs.setCurrentIndex(1)
        for _ in range(10):
            app.processEvents()
        feature.dock.grab().save(str(OUT / "health-panel.png"))
        window.close()
        workspace.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
