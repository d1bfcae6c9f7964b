"""Fixtures the checklist and runbook tests share."""

from __future__ import annotations

import pytest

from commander.services.checklists import ChecklistService
from commander.services.runbooks import RunbookService
from commander.services.workspace import Workspace


@pytest.fixture
def checklists(workspace: Workspace) -> ChecklistService:
    return ChecklistService(workspace)


@pytest.fixture
def runbooks(workspace: Workspace, checklists: ChecklistService) -> RunbookService:
    return RunbookService(workspace, checklists)
