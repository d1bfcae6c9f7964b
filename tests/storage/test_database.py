"""Opening, migrating and refusing workspace files."""

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text

from commander.core.errors import WorkspaceError
from commander.storage.database import DB_FILENAME, open_engine
from commander.storage.migrations import HEAD, REVISIONS

MIGRATIONS = Path(__file__).parents[2] / "commander" / "storage" / "migrations"


def _script() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", "commander.storage:migrations")
    return ScriptDirectory.from_config(config)


def test_revision_list_matches_alembic() -> None:
    script = _script()
    assert script.get_current_head() == HEAD
    chain = [rev.revision for rev in script.walk_revisions()][::-1]
    assert chain == REVISIONS


def test_migration_files_sort_in_chain_order_with_unique_numbers() -> None:
    """File names only order the folder for a reader; revision ids stay as released (existing
    workspaces store them), so a file's name may differ from its id."""
    files = sorted(p for p in (MIGRATIONS / "versions").glob("[0-9]*.py"))
    numbers = [p.name.split("_", 1)[0] for p in files]
    assert len(set(numbers)) == len(numbers)
    by_file = {Path(rev.path).name: rev.revision for rev in _script().walk_revisions()}
    assert [by_file[p.name] for p in files] == REVISIONS


def test_new_workspace_is_durable_wal_at_head(tmp_path: Path) -> None:
    engine = open_engine(tmp_path)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
    assert not list(tmp_path.glob("*.bak"))  # nothing to back up on a new file


def test_corrupt_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / DB_FILENAME
    garbage = b"this is not a database" * 100
    path.write_bytes(garbage)
    with pytest.raises(WorkspaceError, match="not a Commander workspace"):
        open_engine(tmp_path)
    assert path.read_bytes() == garbage


def test_damaged_sqlite_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    open_engine(tmp_path).dispose()
    path = tmp_path / DB_FILENAME
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # smash the first page after the header
    path.write_bytes(bytes(data))
    with pytest.raises(WorkspaceError, match=r"corrupt|not a Commander"):
        open_engine(tmp_path)
    assert path.read_bytes() == bytes(data)


def test_file_from_a_newer_version_is_refused_and_left_untouched(tmp_path: Path) -> None:
    open_engine(tmp_path).dispose()
    path = tmp_path / DB_FILENAME
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    before = path.read_bytes()
    with pytest.raises(WorkspaceError, match="newer version"):
        open_engine(tmp_path)
    assert path.read_bytes() == before


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / DB_FILENAME) as conn:
        conn.execute("CREATE TABLE photos(id)")
    with pytest.raises(WorkspaceError, match="not a Commander workspace"):
        open_engine(tmp_path)


def test_unwritable_data_dir_gets_a_clear_message(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(WorkspaceError, match="cannot be written"):
        open_engine(blocker / "workspace")


def test_upgrade_backs_up_first_and_keeps_data(tmp_path: Path) -> None:
    """A copy of the migrations with one more revision stands in for a newer release."""
    location = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, location, ignore=shutil.ignore_patterns("__pycache__"))
    (location / "versions" / "9000_test.py").write_text(
        '"""Add a column."""\n'
        "import sqlalchemy as sa\nfrom alembic import op\n\n"
        f"revision = '9000_test'\ndown_revision = {HEAD!r}\n"
        "branch_labels = None\ndepends_on = None\n\n"
        "def upgrade():\n"
        "    with op.batch_alter_table('incident') as batch:\n"
        "        batch.add_column(sa.Column('extra', sa.Text(), nullable=True))\n\n"
        "def downgrade():\n    pass\n"
    )
    data_dir = tmp_path / "ws"
    engine = open_engine(data_dir)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO meta(key, value) VALUES ('marker', 'kept')"))
    engine.dispose()

    upgraded = open_engine(data_dir, migrations_location=str(location))
    with upgraded.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "9000_test"
        assert conn.execute(text("SELECT value FROM meta WHERE key='marker'")).scalar() == "kept"
        columns = [row[1] for row in conn.exec_driver_sql("PRAGMA table_info(incident)")]
        assert "extra" in columns
    backups = list(data_dir.glob(f"{DB_FILENAME}.*.bak"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD
        assert conn.execute("SELECT value FROM meta WHERE key='marker'").fetchone()[0] == "kept"
