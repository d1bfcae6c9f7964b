"""The rows a filter shows: ascending store positions, as a list or (large) a numpy array.

A small timeline's answer is a list and never needs numpy; a large one's comes from the index
as a numpy array. These few operations work on either, so the model need not care.
"""

from __future__ import annotations

from typing import Any


def insert(rows: Any, at: int, value: int) -> Any:
    if isinstance(rows, list):
        rows.insert(at, value)
        return rows
    import numpy as np

    return np.insert(rows, at, value)


def delete(rows: Any, at: int) -> Any:
    if isinstance(rows, list):
        del rows[at]
        return rows
    import numpy as np

    return np.delete(rows, at)


def shift(rows: Any, start: int, by: int) -> Any:
    """Positions from index ``start`` on move by ``by`` (entries were inserted before them)."""
    if isinstance(rows, list):
        rows[start:] = [p + by for p in rows[start:]]
    else:
        rows[start:] += by
    return rows


def insert_all(first: Any, rest: Any) -> Any:
    """``first`` (positions before all of ``rest``) followed by ``rest``."""
    if isinstance(first, list) and isinstance(rest, list):
        return first + rest
    import numpy as np

    return np.concatenate((np.asarray(first, dtype=np.int32), np.asarray(rest, dtype=np.int32)))


def rows_of(rows: Any) -> Any:
    """A search answer as kept: a list, or a numpy array of 32-bit positions (half the size)."""
    if isinstance(rows, list):
        return rows
    import numpy as np

    return rows.astype(np.int32)
