"""The composer: pick template, audience and channel; fill what the record cannot; see the
message as that channel will show it, with its limits; save a draft, copy, or send.

Sending only queues the message (no network here); the outbox worker delivers it. Which
channels can deliver is checked on a worker (secrets live in the keyring) and shown in the
channel list; a channel that is not set up blocks Send and offers the Channels dialog.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from commander.core.channels import Channel
from commander.core.errors import CommanderError
from commander.core.messages import as_markdown, as_plain_text
from commander.core.records import Incident
from commander.core.templates import Audience, field_label, used_fields
from commander.services.comms import CommsService, Composition, Draft
from commander.services.outbox import OutboxService
from commander.ui.common.tasks import TaskRunner
from commander.ui.common.themes import set_role
from commander.ui.features.comms.composer_channels import ChannelReadiness, Readiness
from commander.ui.features.comms.composer_fields import ComposerFields
from commander.ui.features.comms.composer_preview import preview_html


class ComposerDialog(QDialog):
    """Compose one message for ``incident``.

    Args:
        comms: templates, the record's fields, previews and drafts.
        outbox: where Send puts the message.
        readiness: says which channels can deliver (reads the keyring: run on ``tasks``).
        tasks: the worker pool for ``readiness``.

    Signals:
        sig_queued(str): a message was put in the outbox (its id).
        sig_message(str): a short note for the status bar.
        sig_setup_channels(): the user asked to set up a channel.
    """

    sig_queued = Signal(str)
    sig_message = Signal(str)
    sig_setup_channels = Signal()

    def __init__(
        self,
        comms: CommsService,
        outbox: OutboxService,
        incident: Incident,
        parent: QWidget | None = None,
        *,
        draft: Draft | None = None,
        readiness: Callable[[], Readiness] | None = None,
        tasks: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self._comms = comms
        self._outbox = outbox
        self._incident = incident
        self._draft_id = draft.id if draft else None
        self._readiness_source = readiness
        self._tasks = tasks
        self.composition: Composition | None = None
        self._setup_ui()
        if draft is None:
            drafts = comms.drafts(incident.id)
            draft = drafts[0] if drafts else None
            self._draft_id = draft.id if draft else None
        if draft is not None:
            self._load_draft(draft)
        else:
            self._on_template_changed()  # the template's own audience
        self._show_record_values()
        self._show_fields()  # the record decides which fields are needed
        self.refresh_readiness()

    # -- building --------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        title = f"Compose update — {self._incident.ref}"
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.resize(1100, 720)
        self.template_combo = QComboBox(self)
        self.template_combo.setAccessibleName("Template")
        for template in self._comms.templates():
            self.template_combo.addItem(template.name, template.key)
        self.audience_combo = QComboBox(self)
        self.audience_combo.setAccessibleName("Audience")
        for audience in Audience:
            self.audience_combo.addItem(audience.label, audience.value)
        self.channel_combo = QComboBox(self)
        self.channel_combo.setAccessibleName("Channel")
        for channel in Channel:
            self.channel_combo.addItem(channel.label, channel.value)
        choose = QGridLayout()
        for column, (label, combo) in enumerate(
            (
                ("&Template", self.template_combo),
                ("&Audience", self.audience_combo),
                ("C&hannel", self.channel_combo),
            )
        ):
            caption = QLabel(label, self)
            caption.setBuddy(combo)
            choose.addWidget(caption, 0, column)
            choose.addWidget(combo, 1, column)
            choose.setColumnStretch(column, 2 if column == 0 else 1)

        self.fields = ComposerFields(self)
        self.fields.sig_changed.connect(self.update_preview)
        self.field_edits = self.fields.edits
        scroll = QScrollArea(self)
        scroll.setWidget(self.fields)
        scroll.setWidgetResizable(True)
        scroll.setAccessibleName("Fields")
        self.empty_label = QLabel(self)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAccessibleName("Empty fields")
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("<b>Fields</b> this template uses", self))
        left_layout.addWidget(scroll, 1)
        left_layout.addWidget(self.empty_label)

        self.preview_browser = QTextBrowser(self)
        self.preview_browser.setAccessibleName("Preview")
        self.payload_view = QPlainTextEdit(self)
        self.payload_view.setReadOnly(True)
        self.payload_view.setAccessibleName("Payload JSON")
        self.preview_tabs = QTabWidget(self)
        self.preview_tabs.setAccessibleName("Preview tabs")
        self.preview_tabs.addTab(self.preview_browser, "&Preview")
        self.preview_tabs.addTab(self.payload_view, "Pa&yload (JSON)")
        self.counters_label = QLabel(self)
        self.counters_label.setAccessibleName("Limits")
        self.counters_label.setWordWrap(True)
        self.problems_label = QLabel(self)
        self.problems_label.setAccessibleName("Problems")
        self.problems_label.setWordWrap(True)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.preview_tabs, 1)
        right_layout.addWidget(self.counters_label)
        right_layout.addWidget(self.problems_label)

        splitter = QSplitter(self)
        splitter.setAccessibleName("Fields and preview")
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([420, 680])
        splitter.setChildrenCollapsible(False)

        self.copy_button = QPushButton("Copy &text", self)
        self.copy_button.setAccessibleName("Copy as plain text")
        self.copy_md_button = QPushButton("Copy &Markdown", self)
        self.copy_md_button.setAccessibleName("Copy as Markdown")
        self.draft_button = QPushButton("Save &draft", self)
        self.draft_button.setAccessibleName("Save draft")
        self.send_button = QPushButton("&Send", self)
        self.send_button.setAccessibleName("Send")
        self.send_button.setDefault(True)
        self.close_button = QPushButton("Close", self)
        self.close_button.setAccessibleName("Close")
        self.status_label = QLabel(self)
        self.status_label.setAccessibleName("Composer status")
        self.status_label.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status_label, 1)
        for button in (
            self.copy_button,
            self.copy_md_button,
            self.draft_button,
            self.send_button,
            self.close_button,
        ):
            buttons.addWidget(button)

        self.channels = ChannelReadiness(
            self.channel_combo, self, self._readiness_source, self._tasks
        )
        self.channel_note = self.channels.note
        self.setup_button = self.channels.setup_button
        self.channels.sig_setup_requested.connect(self.sig_setup_channels)
        self.channels.sig_changed.connect(self.update_preview)

        layout = QVBoxLayout(self)
        layout.addLayout(choose)
        layout.addLayout(self.channels.row)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

        self.template_combo.currentIndexChanged.connect(self._on_template_changed)
        self.audience_combo.currentIndexChanged.connect(self.update_preview)
        self.copy_button.clicked.connect(lambda: self.copy(markdown=False))
        self.copy_md_button.clicked.connect(lambda: self.copy(markdown=True))
        self.draft_button.clicked.connect(self.save_draft)
        self.send_button.clicked.connect(self.send)
        self.close_button.clicked.connect(self.reject)

    # -- values ----------------------------------------------------------------------------

    def set_choice(self, *, template: str, audience: Audience, channel: Channel) -> None:
        self.template_combo.setCurrentIndex(self.template_combo.findData(template))
        self.audience_combo.setCurrentIndex(self.audience_combo.findData(audience.value))
        self.channel_combo.setCurrentIndex(self.channel_combo.findData(channel.value))

    def typed(self) -> dict[str, str]:
        return self.fields.typed()

    def _template_key(self) -> str:
        return str(self.template_combo.currentData())

    def _audience(self) -> Audience:
        return Audience(self.audience_combo.currentData())

    def _channel(self) -> Channel:
        return Channel(self.channel_combo.currentData())

    def _load_draft(self, draft: Draft) -> None:
        self.set_choice(template=draft.template_key, audience=draft.audience, channel=draft.channel)
        self.fields.set_values(draft.fields)
        self.status_label.setText(f"Draft by {draft.author} restored")

    def _show_record_values(self) -> None:
        """An empty field shows what the record will put there, as its placeholder."""
        try:
            record = self._comms.record_fields(self._incident.id)
        except CommanderError:
            return
        self.fields.set_procedure_names(self._comms.procedure_field_names())
        self.fields.set_record(record)

    def _on_template_changed(self) -> None:
        """The user picked a template: its audience, and the fields it uses."""
        key = self.template_combo.currentData()
        if key is None or not hasattr(self, "fields"):
            return
        try:
            template = self._comms.template(str(key))
        except CommanderError as err:
            self.status_label.setText(str(err))
            return
        self.audience_combo.setCurrentIndex(self.audience_combo.findData(template.audience.value))
        self._show_fields()

    def _show_fields(self) -> None:
        try:
            used = used_fields(self._comms.template(self._template_key()))
        except CommanderError:
            used = []  # a broken user template: the preview names the problem
        self.fields.show_for(used)
        self.update_preview()

    # -- channels --------------------------------------------------------------------------

    @property
    def readiness(self) -> Readiness | None:
        """Which channels can deliver (None until the worker has answered)."""
        return self.channels.readiness

    def refresh_readiness(self) -> None:
        self.channels.refresh()

    def channel_problem(self) -> str | None:
        return self.channels.problem()

    # -- preview ---------------------------------------------------------------------------

    def update_preview(self) -> None:
        if not hasattr(self, "send_button"):
            return  # still building
        try:
            composition = self._comms.compose(
                self._incident.id,
                self._template_key(),
                channel=self._channel(),
                audience=self._audience(),
                typed=self.typed(),
            )
        except CommanderError as err:
            self.composition = None
            self.preview_browser.setPlainText("")
            self.payload_view.setPlainText("")
            self.counters_label.setText("")
            self._show_problems([f"Template problem: {err}"], blocked=True)
            self.empty_label.setText("")
            return
        self.composition = composition
        preview = composition.preview
        self.preview_browser.setHtml(preview_html(preview))
        self.payload_view.setPlainText(preview.payload_json())
        self.counters_label.setText("Limits — " + " · ".join(preview.counters))
        empty = composition.rendered.empty
        self.empty_label.setText(
            "Still empty (shown as <…> in the message): " + ", ".join(field_label(n) for n in empty)
            if empty
            else "Every field the template uses is filled."
        )
        set_role(self.empty_label, "warning" if empty else "")
        lines = [("Cannot send: " if p.blocks else "Warning: ") + p.text for p in preview.problems]
        problem = self.channel_problem()
        blocked = preview.blocked
        if problem is not None and self._channel().deliverable:
            lines.insert(0, f"Cannot send: {problem}")
            blocked = True
        self._show_problems(lines, blocked=blocked)

    def _show_problems(self, lines: list[str], *, blocked: bool) -> None:
        self.problems_label.setText("\n".join(lines))
        self.problems_label.setVisible(bool(lines))
        set_role(self.problems_label, "error" if blocked else "warning")
        self.send_button.setEnabled(not blocked)

    # -- actions ---------------------------------------------------------------------------

    def copy(self, *, markdown: bool) -> str:
        if self.composition is None:
            return ""
        rendered = self.composition.rendered
        text = as_markdown(rendered) if markdown else as_plain_text(rendered)
        QGuiApplication.clipboard().setText(text)
        self.status_label.setText("Copied as Markdown" if markdown else "Copied as text")
        return text

    def save_draft(self) -> None:
        try:
            self._draft_id = self._comms.save_draft(
                self._incident.id,
                template_key=self._template_key(),
                audience=self._audience(),
                channel=self._channel(),
                typed=self.typed(),
                draft_id=self._draft_id,
            )
        except CommanderError as err:
            self.status_label.setText(str(err))
            set_role(self.status_label, "error")
            return
        set_role(self.status_label, "")
        self.status_label.setText("Draft saved")

    def send(self) -> None:
        try:
            item = self._outbox.queue(
                self._incident.id,
                self._template_key(),
                channel=self._channel(),
                audience=self._audience(),
                typed=self.typed(),
                draft_id=self._draft_id,
            )
        except CommanderError as err:
            self.status_label.setText(str(err))
            set_role(self.status_label, "error")
            return
        self._draft_id = None
        self.sig_queued.emit(item.id)
        self.sig_message.emit(f"{item.channel.label} message queued in the outbox")
        self.accept()
