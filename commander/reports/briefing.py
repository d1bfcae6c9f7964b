"""The handoff briefing as Markdown: ``core.briefing`` decides what it says, the layout is
``templates/briefing.md.j2``."""

from __future__ import annotations

from commander.core.briefing import (
    NO_KEY_EVENTS,
    NO_OPEN_ACTIONS,
    NO_OPEN_QUESTIONS,
    BriefingFacts,
    briefing_model,
)
from commander.core.entry_kinds import KEY_ICON
from commander.reports.render import render


def render_briefing(facts: BriefingFacts) -> str:
    """The briefing as Markdown."""
    return render(
        "briefing.md.j2",
        b=briefing_model(facts),
        key_icon=KEY_ICON,
        no_open_questions=NO_OPEN_QUESTIONS,
        no_key_events=NO_KEY_EVENTS,
        no_open_actions=NO_OPEN_ACTIONS,
    )
