"""What a peer lacks: the heads it sends are checked here, and the op log answers from
``storage.peer_queries`` (each node's head here, this workspace's ops after a peer's heads).
"""

from __future__ import annotations

from typing import Any

from commander.core.errors import ValidationError
from commander.storage.peer_queries import node_heads, ops_after

_HEX = frozenset("0123456789abcdef")


def checked_heads(value: Any) -> dict[str, str]:
    """A peer's heads as it sent them, or ``ValidationError``: node id -> 64 hex digits."""
    if not isinstance(value, dict) or not all(
        isinstance(node, str)
        and isinstance(op_hash, str)
        and len(op_hash) == 64
        and set(op_hash) <= _HEX
        for node, op_hash in value.items()
    ):
        raise ValidationError("The peer sent heads that are not node ids and op hashes.")
    return dict(value)


__all__ = ["checked_heads", "node_heads", "ops_after"]
