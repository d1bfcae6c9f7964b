"""A matplotlib figure inside Qt, with Export PNG/SVG on right-click.

matplotlib is imported here, so this module is imported only when a chart is first shown
(it costs 0.6 s; start-up must not pay it).
"""

from __future__ import annotations

from collections.abc import Callable

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QVBoxLayout, QWidget

from commander.charts.export import save_figure
from commander.core.errors import CommanderError


class ChartView(QWidget):
    """Shows one figure at a time.

    Signals:
        sig_message(str): a short note for the status bar (export done or failed).
    """

    sig_message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figure: Figure | None = None
        self.canvas: FigureCanvasQTAgg | None = None
        self.ask_path: Callable[[str], str] = self._ask_path  # tests replace the file dialog
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._on_context_menu)

    def set_figure(self, figure: Figure) -> FigureCanvasQTAgg:
        """Replace the shown figure; returns its canvas (for live blitting updates)."""
        if self.canvas is not None:
            self._layout.removeWidget(self.canvas)
            self.canvas.deleteLater()
        self.figure = figure
        self.canvas = FigureCanvasQTAgg(figure)
        self.canvas.setAccessibleName("Chart")
        self.canvas.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.canvas.setMinimumHeight(120)
        self._layout.addWidget(self.canvas)
        self.canvas.draw_idle()
        return self.canvas

    def export(self, path: str) -> bool:
        if self.figure is None or not path:
            return False
        try:
            save_figure(self.figure, path)
        except CommanderError as err:
            self.sig_message.emit(str(err))
            return False
        self.sig_message.emit(f"Chart saved to {path}")
        return True

    def _on_context_menu(self, position) -> None:  # type: ignore[no-untyped-def]
        if self.figure is None:
            return
        menu = QMenu(self)
        for fmt in ("png", "svg"):
            action = QAction(f"Export as {fmt.upper()}…", menu)
            action.triggered.connect(lambda _=False, f=fmt: self.export(self.ask_path(f)))
            menu.addAction(action)
        menu.exec(self.mapToGlobal(position))

    def _ask_path(self, fmt: str) -> str:
        path, _ = QFileDialog.getSaveFileName(
            self, f"Export chart as {fmt.upper()}", f"chart.{fmt}", f"{fmt.upper()} (*.{fmt})"
        )
        if path and not path.lower().endswith(f".{fmt}"):
            path += f".{fmt}"
        return path
