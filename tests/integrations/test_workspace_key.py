"""The workspace's id file that keys its secrets: one id, however many processes start at once."""

from __future__ import annotations

from pathlib import Path

from commander.integrations.workspace_key import workspace_key


def test_processes_starting_at_once_agree_on_the_workspace_id(tmp_path: Path) -> None:
    """A half-written id file, read by a second starter, was once replaced with a new id."""
    import threading

    for round_ in range(20):
        folder = tmp_path / f"ws-{round_}"
        folder.mkdir()
        start = threading.Barrier(8)
        ids: list[str] = []

        def one(
            folder: Path = folder, start: threading.Barrier = start, ids: list[str] = ids
        ) -> None:
            start.wait()
            ids.append(workspace_key(folder).id)

        threads = [threading.Thread(target=one) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(set(ids)) == 1 and workspace_key(folder).id == ids[0]
        assert [p.name for p in folder.iterdir()] == ["workspace-id.json"]  # nothing left aside
