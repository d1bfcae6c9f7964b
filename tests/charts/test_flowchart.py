"""charts.flowchart: the escalation flowchart highlights the critical path for the incident."""

from __future__ import annotations

import pytest
from matplotlib.colors import to_hex

from commander.charts.data import FlowchartData
from commander.charts.flowchart import critical_path, flowchart_figure
from commander.charts.theme import ACCENT
from commander.core.policy import Phase, Severity


@pytest.mark.parametrize(
    ("severity", "partners", "expected"),
    [
        (Severity.P0, False, {"executive", "customer"}),
        (Severity.P1, True, {"management", "customer", "partner"}),
        (Severity.P2, False, {"team_lead"}),
        (Severity.P3, False, set()),
    ],
)
def test_flowchart_highlights_the_critical_path(severity, partners, expected) -> None:  # type: ignore[no-untyped-def]
    data = FlowchartData(severity, partners, Phase.INVESTIGATION)
    branches = {"executive", "management", "team_lead", "customer", "partner", "security"}
    assert critical_path(data) & branches == expected
    figure = flowchart_figure(data)
    nodes = {
        p.get_gid().split(":", 1)[1]: p
        for p in figure.axes[0].patches
        if (p.get_gid() or "").startswith("node:")
    }
    for key in branches:
        assert (to_hex(nodes[key].get_edgecolor()) == ACCENT) is (key in expected), key
    assert to_hex(nodes["investigation"].get_facecolor()) == ACCENT  # the current step
    assert any("now" in t.get_text() for t in figure.axes[0].texts)
