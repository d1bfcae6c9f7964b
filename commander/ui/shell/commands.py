"""Every action a window offers, found at the moment it is asked for, and a fuzzy matcher.

The command palette and the shortcut cheat sheet both read ``collect_commands(window)``: menus
first (with their path, "Incident › Declare…"), then any other action owned by the window. It
walks the live widgets, so actions other features add later appear without being registered.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

HIDDEN_PROPERTY = "commander_palette_hidden"  # set True on an action the palette should skip
PATH_SEPARATOR = " › "


def plain(text: str) -> str:
    """Menu text without its ``&`` mnemonics (``&&`` is a literal ampersand)."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


@dataclass(frozen=True)
class Command:
    """One action as the palette lists it."""

    action: QAction
    path: str  # the menus that lead to it, "" for an action in no menu

    @property
    def text(self) -> str:
        return plain(self.action.text())

    @property
    def shortcut(self) -> str:
        return self.action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)

    @property
    def group(self) -> str:
        """The top-level menu ("Incident"), or "Other"."""
        return self.path.split(PATH_SEPARATOR)[0] if self.path else "Other"

    @property
    def haystack(self) -> str:
        return f"{self.text} {self.path}"


def _is_command(action: QAction, include_hidden: bool) -> bool:
    return (
        not action.isSeparator()
        and action.menu() is None
        and action.isVisible()
        and bool(plain(action.text()).strip())
        and (include_hidden or not action.property(HIDDEN_PROPERTY))
    )


def collect_commands(window: QMainWindow, *, include_hidden: bool = False) -> list[Command]:
    """The window's actions: menu bar order first, then the rest it owns.

    ``include_hidden`` also lists actions marked ``HIDDEN_PROPERTY`` (the palette's own action,
    which the cheat sheet shows but the palette does not).
    """
    seen: set[int] = set()
    out: list[Command] = []

    def add(action: QAction, path: str) -> None:
        if _is_command(action, include_hidden) and id(action) not in seen:
            seen.add(id(action))
            out.append(Command(action, path))

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            sub = action.menu()
            if isinstance(sub, QMenu):
                walk(sub, f"{path}{PATH_SEPARATOR}{plain(action.text())}")
            else:
                add(action, path)

    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            walk(menu, plain(top.text()))
    for action in window.findChildren(QAction):
        add(action, "")
    return out


def fuzzy_score(query: str, text: str) -> int | None:
    """How well ``query`` matches ``text`` as a subsequence (higher is better), or None.

    Every typed character must appear in order; runs of consecutive characters and matches at
    the start of words score more, so "cs" ranks "Change severity" above "Discuss"; each typed
    word that starts a word of ``text`` scores most, so "sound alerts" finds "Sound on deadline
    alerts" before "Alerts › Sources and checks".
    """
    words = query.lower().split()
    query = "".join(words)
    if not query:
        return 0
    lowered = text.lower()
    text_words = "".join(c if c.isalnum() else " " for c in lowered).split()
    whole = sum(30 for word in words if any(w.startswith(word) for w in text_words))
    score, position, previous = 0, 0, -2
    for char in query:
        found = lowered.find(char, position)
        if found < 0:
            return None
        score += 1
        if found == previous + 1:
            score += 3
        if found == 0 or not lowered[found - 1].isalnum():
            score += 5
        previous, position = found, found + 1
    return (score + whole) * 100 - len(text)


def filter_commands(commands: list[Command], query: str) -> list[Command]:
    """The commands matching ``query``, best first (menu order when the query is empty)."""
    if not query.strip():
        return list(commands)
    scored = [(fuzzy_score(query, c.haystack), n, c) for n, c in enumerate(commands)]
    hits = [(score, n, c) for score, n, c in scored if score is not None]
    hits.sort(key=lambda item: (-item[0], item[1]))
    return [c for _, _, c in hits]
