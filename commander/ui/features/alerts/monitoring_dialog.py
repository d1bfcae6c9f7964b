"""Sources and checks: Alertmanager URLs (tokens to keyring), the severity mapping, health
URLs and TLS endpoints, and how often each is polled. Plain text, one item per line: quick
to paste a list from a wiki page during an outage."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from commander.core.alert_mapping import SeverityMapping
from commander.core.errors import CommanderError, ValidationError
from commander.core.policy import parse_severity
from commander.integrations.monitoring_settings import (
    HealthTarget,
    MonitoringSettings,
    SourceTokens,
    normalize_source,
    normalize_target,
)
from commander.integrations.secrets import InsecureKeyring, Keeper
from commander.ui.common.form_dialog import FormDialog
from commander.ui.common.tasks import TaskRunner
from commander.ui.shell.secrets_question import ask_insecure


def targets_text(targets: tuple[HealthTarget, ...]) -> str:
    return "\n".join(f"{t.name} = {t.target}" if t.name else t.target for t in targets)


def parse_targets(text: str) -> tuple[HealthTarget, ...]:
    """``[name =] https://host/healthz`` is a health URL; ``[name =] host:port`` a certificate."""
    targets = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        name, sep, target = line.rpartition(" = ")
        target = (target if sep else line).strip()
        kind = "http" if target.startswith(("http://", "https://")) else "tls"
        try:
            targets.append(HealthTarget(kind, normalize_target(kind, target), name.strip()))
        except ValidationError as err:
            raise ValidationError(f"Health checks, line {n}: {err}") from None
    return tuple(targets)


def mapping_text(mapping: SeverityMapping) -> str:
    return "\n".join(f"{k} = {v}" for k, v in sorted(mapping.table.items()))


def parse_mapping(text: str, base: SeverityMapping) -> SeverityMapping:
    table = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        value, sep, severity = line.partition("=")
        if not sep or not value.strip():
            raise ValidationError(f"Severity mapping, line {n}: write 'critical = P1'.")
        try:
            table[value.strip().lower()] = parse_severity(severity)
        except ValidationError as err:
            raise ValidationError(f"Severity mapping, line {n}: {err}") from None
    return replace(base, table=table)


class MonitoringDialog(FormDialog):
    """Edits ``monitoring.json``; the result is the saved settings (``result_value``)."""

    def __init__(
        self,
        settings: MonitoringSettings,
        tokens: SourceTokens,
        save: object,
        parent: QWidget | None = None,
        *,
        tasks: TaskRunner | None = None,
    ) -> None:
        super().__init__("Alert sources and health checks", parent)
        self._settings = settings
        self._tokens = tokens
        self._save = save
        self._tasks = tasks
        self._pending: tuple[MonitoringSettings, str, str] | None = None
        self.question: QMessageBox | None = None
        self.result_value: MonitoringSettings | None = None
        self._setup_ui()

    def _setup_ui(self) -> None:
        form = QFormLayout()
        self.sources_edit = self._text(
            "\n".join(self._settings.sources), "Alertmanager URLs", "http://alertmanager:9093"
        )
        form.addRow("&Alertmanager URLs\n(one per line):", self.sources_edit)
        self.token_url_edit = QLineEdit(self._settings.sources[0] if self._settings.sources else "")
        self.token_url_edit.setAccessibleName("Token for source URL")
        self.token_edit = QLineEdit()
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setAccessibleName("Bearer token")
        self.token_edit.setPlaceholderText("optional; kept in the keyring or the secrets file")
        form.addRow("Bearer token &for:", self.token_url_edit)
        form.addRow("&Token:", self.token_edit)
        self.poll_spin = self._spin(5, 3600, self._settings.poll_seconds, " s", "Poll interval")
        form.addRow("&Poll every:", self.poll_spin)
        self.mapping_edit = self._text(
            mapping_text(self._settings.mapping), "Severity mapping", "critical = P1"
        )
        label = self._settings.mapping.label
        form.addRow(f"&Severity from label\n'{label}':", self.mapping_edit)
        self.targets_edit = self._text(
            targets_text(self._settings.targets),
            "Health checks",
            "api health = https://api.example.com/healthz\napi cert = api.example.com:443",
        )
        form.addRow("&Health URLs and\ncertificates (host:port):", self.targets_edit)
        self.check_spin = self._spin(
            1, 1440, self._settings.check_minutes, " min", "Check interval"
        )
        form.addRow("&Check every:", self.check_spin)
        self.warning_spin = self._spin(
            1, 365, self._settings.warning_days, " days", "Certificate warning window"
        )
        form.addRow("Certificate &warning under:", self.warning_spin)
        note = QLabel(
            "Under 24 hours a certificate is flagged P1 (critical certificate near expiry), "
            "as the procedure says; under the warning window, P2."
        )
        note.setWordWrap(True)
        self._layout.addLayout(form)
        self._layout.addWidget(note)
        self._finish_layout()
        self.resize(620, 640)

    def _text(self, value: str, name: str, placeholder: str) -> QPlainTextEdit:
        edit = QPlainTextEdit(value, self)
        edit.setAccessibleName(name)
        edit.setPlaceholderText(placeholder)
        edit.setTabChangesFocus(True)
        edit.setMaximumHeight(110)
        return edit

    def _spin(self, low: int, high: int, value: int, suffix: str, name: str) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setRange(low, high)
        spin.setValue(value)
        spin.setSuffix(suffix)
        spin.setAccessibleName(name)
        return spin

    def _submit(self) -> None:
        sources = []
        for n, line in enumerate(self.sources_edit.toPlainText().splitlines(), 1):
            if line.strip():
                try:
                    url = normalize_source(line)
                except ValidationError as err:
                    raise ValidationError(f"Alertmanager URLs, line {n}: {err}") from None
                if url not in sources:
                    sources.append(url)
        settings = replace(
            self._settings,
            sources=tuple(sources),
            poll_seconds=self.poll_spin.value(),
            mapping=parse_mapping(self.mapping_edit.toPlainText(), self._settings.mapping),
            targets=parse_targets(self.targets_edit.toPlainText()),
            check_minutes=self.check_spin.value(),
            warning_days=self.warning_spin.value(),
        ).validated()
        token = self.token_edit.text().strip()
        url = ""
        if token:
            url = normalize_source(self.token_url_edit.text())
            if url not in sources:
                raise ValidationError("The token's URL is not one of the Alertmanager URLs.")
        self._pending = (settings, url, token)

    def _on_ok(self) -> None:
        """Check the form here; store the token (keyring) and save on a worker."""
        try:
            self._submit()
        except CommanderError as err:
            self.show_error(str(err))
            return
        if self._pending is not None:  # set by a _submit that did not raise
            self._store(*self._pending)

    def _store(
        self,
        settings: MonitoringSettings,
        url: str,
        token: str,
        accept: Keeper | None = None,
    ) -> None:
        tokens, save = self._tokens, self._save

        def work() -> MonitoringSettings:
            if accept is not None:
                tokens.store.accept_insecure(accept)
            if token:  # before the save: a refused token leaves the file as it was
                tokens.set(url, token)
            save(settings)  # type: ignore[operator]
            return settings

        def done(saved: MonitoringSettings) -> None:
            self.buttons.setEnabled(True)
            self.result_value = saved
            self.accept()

        def failed(error: Exception) -> None:
            self.buttons.setEnabled(True)
            if isinstance(error, InsecureKeyring):
                keeper = error.keeper
                self.question = ask_insecure(
                    self,
                    keeper,
                    lambda yes: (
                        self._store(settings, url, token, keeper)
                        if yes
                        else self.show_error("The token was not stored: " + str(error))
                    ),
                )
            else:
                self.show_error(str(error))

        self.buttons.setEnabled(False)
        if self._tasks is None:  # no task runner given: in line (the keyring is local)
            try:
                result = work()
            except Exception as exc:
                failed(exc)
            else:
                done(result)
            return
        self._tasks.submit(work, done, failed)
