"""Last-writer-wins registers (storage/registers.py): a field is held by the op with the
highest ``(hlc, node_id)``; a tie of stamps goes to the higher node id, an older op loses."""

from __future__ import annotations

from pathlib import Path

from commander.core.ops import Entity, Field
from commander.storage import registers
from commander.storage.database import open_engine
from tests.storage.foreign_ops import op, rows


def test_the_newest_op_holds_the_field_in_any_arrival_order(tmp_path: Path) -> None:
    engine = open_engine(tmp_path)
    with engine.begin() as conn:
        newer = op(5, Entity.INCIDENT, "inc", Field.TITLE, {}, node="a")
        older = op(3, Entity.INCIDENT, "inc", Field.TITLE, {}, node="z")
        assert registers.register_holder(conn, Entity.INCIDENT, "inc", Field.TITLE) is None
        assert registers.wins(conn, newer, Field.TITLE)
        assert not registers.wins(conn, older, Field.TITLE)  # a higher node, an older stamp
        assert registers.register_holder(conn, Entity.INCIDENT, "inc", Field.TITLE) == "a-5"
        assert not registers.wins(conn, newer, Field.TITLE)  # the holder again: no change
        newest = op(6, Entity.INCIDENT, "inc", Field.TITLE, {}, node="a")
        assert registers.wins(conn, newest, Field.TITLE)
        assert registers.register_holder(conn, Entity.INCIDENT, "inc", Field.TITLE) == "a-6"
    engine.dispose()


def test_a_tie_of_stamps_goes_to_the_higher_node(tmp_path: Path) -> None:
    def severity(node: str):  # type: ignore[no-untyped-def]
        return op(5, Entity.INCIDENT, "inc", Field.SEVERITY, {}, node=node)

    engine = open_engine(tmp_path)
    with engine.begin() as conn:
        assert registers.wins(conn, severity("b"), Field.SEVERITY)
        assert not registers.wins(conn, severity("a"), Field.SEVERITY)
        assert registers.wins(conn, severity("c"), Field.SEVERITY)
        assert registers.register_holder(conn, Entity.INCIDENT, "inc", Field.SEVERITY) == "c-5"
    engine.dispose()


def test_each_entity_and_field_is_its_own_register(tmp_path: Path) -> None:
    engine = open_engine(tmp_path)
    with engine.begin() as conn:
        create = op(9, Entity.INCIDENT, "inc", Field.CREATE, {}, node="a")
        assert registers.wins(conn, create, Field.TITLE)
        assert registers.wins(conn, create, Field.SEVERITY)  # one op may hold several fields
        assert registers.wins(conn, op(1, Entity.INCIDENT, "other", Field.TITLE, {}), Field.TITLE)
        assert registers.wins(conn, op(1, Entity.ENTRY, "inc", Field.STRIKE, {}), Field.STRIKE)
        assert rows(
            conn, "SELECT entity, entity_id, field, op_id FROM register ORDER BY 1, 2, 3"
        ) == [
            ("entry", "inc", "strike", "a-1"),
            ("incident", "inc", "severity", "a-9"),
            ("incident", "inc", "title", "a-9"),
            ("incident", "other", "title", "a-1"),
        ]
        assert registers.register_holder(conn, Entity.ENTRY, "inc", Field.TITLE) is None
    engine.dispose()
