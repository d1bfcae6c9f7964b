"""An incident's checklists as a tree: phase → checklist → step, with progress and ticks.

Steps are checkable items, so a click on the box or Space on the focused step ticks it (the
view's delegate does that); the model does not write: it asks through ``sig_tick_requested``
and shows the new state when the panel reloads it from the service. Reloads with the same
steps update cells in place, so the expanded rows and the focused step stay where they are.

Signals:
    sig_tick_requested(str, bool): the user ticked (True) or unticked a step (by key).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase

from commander.core.policy import Phase
from commander.services.checklists import ChecklistProgress, IncidentChecklists, StepState
from commander.ui.common.zones import FollowsZone

COLUMNS = ("Step", "Done")
COL_STEP, COL_DONE = range(len(COLUMNS))
KEY_ROLE = Qt.ItemDataRole.UserRole
PROGRESS_ROLE = Qt.ItemDataRole.UserRole + 1  # (done, total) for phase and checklist rows
KIND_ROLE = Qt.ItemDataRole.UserRole + 2  # "phase", "checklist" or "step"

_Index = QModelIndex | QPersistentModelIndex


@dataclass
class _Node:
    kind: str
    key: str
    parent: _Node | None
    row: int
    children: list[_Node] = field(default_factory=list)
    phase: Phase | None = None
    checklist: ChecklistProgress | None = None
    state: StepState | None = None
    progress: tuple[int, int] = (0, 0)


class ChecklistModel(QAbstractItemModel, FollowsZone):
    sig_tick_requested = Signal(str, bool)

    def __init__(self, zone: tzinfo, parent: Any = None) -> None:
        super().__init__(parent)
        self._zone = zone
        self._root = _Node("root", "", None, 0)
        self.current_phase: Phase | None = None
        self._bold = QFont()
        self._bold.setBold(True)
        self._mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)

    # -- loading ------------------------------------------------------------------------------

    def set_progress(self, progress: IncidentChecklists | None, phase: Phase | None) -> None:
        root = _build(progress)
        self.current_phase = phase
        if _shape(root) == _shape(self._root):
            # Same steps: new values into the existing nodes (indexes point at them).
            _copy_into(self._root, root)
            self._changed_below(QModelIndex(), self._root)
            return
        old = self._root
        self.beginResetModel()
        self._root = root
        self.endResetModel()
        del old  # only now: the view let go of indexes into the old tree

    def _changed_below(self, parent: QModelIndex, node: _Node) -> None:
        if not node.children:
            return
        last = len(node.children) - 1
        self.dataChanged.emit(self.index(0, 0, parent), self.index(last, len(COLUMNS) - 1, parent))
        for child in node.children:
            self._changed_below(self.index(child.row, 0, parent), child)

    def step_index(self, step_key: str) -> QModelIndex:
        for phase in self._root.children:
            for checklist in phase.children:
                for step in checklist.children:
                    if step.key == step_key:
                        return self.createIndex(step.row, 0, step)
        return QModelIndex()

    def phase_index(self, phase: Phase) -> QModelIndex:
        for node in self._root.children:
            if node.phase == phase:
                return self.createIndex(node.row, 0, node)
        return QModelIndex()

    def state_at(self, index: _Index) -> StepState | None:
        return self._node(index).state if index.isValid() else None

    # -- the model ----------------------------------------------------------------------------

    def _node(self, index: _Index) -> _Node:
        if not index.isValid():
            return self._root
        node = index.internalPointer()
        assert isinstance(node, _Node)
        return node

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        # hasIndex asks rowCount, so a cell of the Done column has no children here either
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        return self.createIndex(row, column, self._node(parent).children[row])

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        up = self._node(index).parent
        if up is None or up is self._root:
            return QModelIndex()
        return self.createIndex(up.row, 0, up)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._node(index).kind == "step" and index.column() == COL_STEP:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        node = self._node(index)
        if role != Qt.ItemDataRole.CheckStateRole or node.state is None:
            return False
        done = _checked(value)
        if done != node.state.done:
            self.sig_tick_requested.emit(node.key, done)
        return False  # the reload from the service shows the change

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._node(index)
        column = index.column()
        if role == KEY_ROLE:
            return node.key
        if role == KIND_ROLE:
            return node.kind
        if role == PROGRESS_ROLE and node.kind != "step":
            return node.progress
        if node.kind == "step":
            return self._step_data(node, column, role)
        done, total = node.progress
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_DONE:
                return f"{done}/{total}"
            if node.kind == "phase" and node.phase is not None:
                current = " (current phase)" if node.phase == self.current_phase else ""
                return f"{node.phase.label}{current}"
            assert node.checklist is not None
            return node.checklist.checklist.title
        if role == Qt.ItemDataRole.FontRole and node.kind == "phase":
            return self._bold
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self.data(index.sibling(index.row(), COL_STEP))}: {done} of {total} done"
        return None

    def _step_data(self, node: _Node, column: int, role: int) -> Any:
        state = node.state
        assert state is not None
        step = state.step
        if column == COL_STEP:
            if role == Qt.ItemDataRole.DisplayRole:
                return step.text if state.applies else f"{step.text} (no longer applies)"
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if state.done else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.FontRole and step.text == step.command:
                return self._mono
            if role == Qt.ItemDataRole.ToolTipRole:
                lines = [f"{state.ref.number}  {step.text}"]
                lines += [text for text in (step.detail, step.note) if text]
                if step.command and step.command != step.text:
                    lines.append(f"$ {step.command}")
                lines.append("Space ticks or unticks")
                return "\n".join(lines)
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return f"{step.text}, {'done' if state.done else 'not done'}"
        if column == COL_DONE and role == Qt.ItemDataRole.DisplayRole and state.at:
            return f"{state.at.astimezone(self._zone):%H:%M} {state.author}"
        return None


def _checked(value: Any) -> bool:
    if isinstance(value, Qt.CheckState):
        return value == Qt.CheckState.Checked
    return int(value) == Qt.CheckState.Checked.value


def _build(progress: IncidentChecklists | None) -> _Node:
    root = _Node("root", "", None, 0)
    if progress is None:
        return root
    for phase in Phase:
        lists = [c for c in progress.checklists if c.checklist.phase == phase]
        if not lists:
            continue
        phase_node = _Node(
            "phase",
            phase.value,
            root,
            len(root.children),
            phase=phase,
            progress=progress.phase_progress(phase),
        )
        root.children.append(phase_node)
        for checklist in lists:
            list_node = _Node(
                "checklist",
                checklist.checklist.key,
                phase_node,
                len(phase_node.children),
                checklist=checklist,
                progress=(checklist.done, checklist.total),
            )
            phase_node.children.append(list_node)
            for state in checklist.steps:
                list_node.children.append(
                    _Node("step", state.step.key, list_node, len(list_node.children), state=state)
                )
    return root


def _copy_into(old: _Node, new: _Node) -> None:
    old.phase, old.checklist, old.state, old.progress = (
        new.phase,
        new.checklist,
        new.state,
        new.progress,
    )
    for old_child, new_child in zip(old.children, new.children, strict=True):
        _copy_into(old_child, new_child)


def _shape(node: _Node) -> tuple[Any, ...]:
    return (node.key, tuple(_shape(child) for child in node.children))
