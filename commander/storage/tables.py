"""Table definitions (SQLAlchemy 2.0 typed mappings).

The op log is the truth; ``incident`` and ``entry`` are materialized from it in the same
transaction and exist so the UI reads compact rows instead of replaying history. Times in
materialized tables are integer milliseconds (compact, fast to sort); ops keep ISO strings.
"""

from __future__ import annotations

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Meta(Base):
    """Workspace facts: node id, last HLC, chain head."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class OpRow(Base):
    __tablename__ = "op"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    op_id: Mapped[str] = mapped_column(String, unique=True)
    node_id: Mapped[str] = mapped_column(String)
    hlc: Mapped[str] = mapped_column(String)
    incident_id: Mapped[str] = mapped_column(String)
    entity: Mapped[str] = mapped_column(String)
    entity_id: Mapped[str] = mapped_column(String)
    field: Mapped[str] = mapped_column(String)
    value: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String)
    schema_version: Mapped[int] = mapped_column(Integer)
    prev_hash: Mapped[str] = mapped_column(String)
    hash: Mapped[str] = mapped_column(String)

    __table_args__ = (Index("ix_op_node_seq", "node_id", "seq"),)


class Register(Base):
    """Which op currently holds each last-writer-wins field."""

    __tablename__ = "register"
    entity: Mapped[str] = mapped_column(String, primary_key=True)
    entity_id: Mapped[str] = mapped_column(String, primary_key=True)
    field: Mapped[str] = mapped_column(String, primary_key=True)
    hlc: Mapped[str] = mapped_column(String)
    node_id: Mapped[str] = mapped_column(String)
    op_id: Mapped[str] = mapped_column(String)


class IncidentRow(Base):
    __tablename__ = "incident"
    id: Mapped[str] = mapped_column(String, primary_key=True)
    ref: Mapped[str] = mapped_column(String, unique=True)
    title: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String)
    status: Mapped[str] = mapped_column(String)
    phase: Mapped[str] = mapped_column(String)
    services: Mapped[str] = mapped_column(Text, default="[]")
    impact: Mapped[str] = mapped_column(Text, default="")
    declared_at: Mapped[int] = mapped_column(Integer)
    declared_by: Mapped[str] = mapped_column(String)
    updated_at: Mapped[int] = mapped_column(Integer)


class EntryRow(Base):
    """A timeline entry; never updated except to record a strike or an amendment."""

    __tablename__ = "entry"
    id: Mapped[str] = mapped_column(String, primary_key=True)
    incident_id: Mapped[str] = mapped_column(String)
    occurred_at: Mapped[int] = mapped_column(Integer)
    hlc: Mapped[str] = mapped_column(String)
    node_id: Mapped[str] = mapped_column(String)
    kind: Mapped[str] = mapped_column(String, default="note")
    event: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(String, default="")
    author: Mapped[str] = mapped_column(String)
    struck: Mapped[int] = mapped_column(Integer, default=0)
    strike_reason: Mapped[str] = mapped_column(Text, default="")
    amended_event: Mapped[str | None] = mapped_column(Text, nullable=True)
    amended_action: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (Index("ix_entry_incident_order", "incident_id", "occurred_at", "hlc"),)


meta_table = Meta.__table__
op_table = OpRow.__table__
register_table = Register.__table__
incident_table = IncidentRow.__table__
entry_table = EntryRow.__table__
