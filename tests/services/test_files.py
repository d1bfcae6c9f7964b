"""Reading a file a user names: its bytes up to the limit, one sentence otherwise."""

from __future__ import annotations

import pytest

from commander.core.errors import ValidationError
from commander.services.files import read_bounded


def test_a_file_within_the_limit_is_read_whole(tmp_path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"12345")
    assert read_bounded(path, limit=5) == b"12345"
    assert read_bounded(str(path), limit=100) == b"12345"


def test_a_file_over_the_limit_is_refused_by_the_given_name(tmp_path) -> None:
    path = tmp_path / "big.bin"
    path.write_bytes(b"x" * 6)
    with pytest.raises(ValidationError, match=r"^the attachment is larger than"):
        read_bounded(path, limit=5, what="the attachment")
    with pytest.raises(ValidationError, match=r"big\.bin is larger than .*, the limit"):
        read_bounded(path, limit=5)


def test_an_endless_file_stops_at_the_limit() -> None:
    with pytest.raises(ValidationError, match=r"^/dev/zero is larger than"):
        read_bounded("/dev/zero", limit=1024)


def test_a_missing_file_or_a_folder_is_one_sentence(tmp_path) -> None:
    missing = tmp_path / "nope.txt"
    gone = r"^Cannot read .*nope\.txt: No such file or directory\.$"
    with pytest.raises(ValidationError, match=gone):
        read_bounded(missing, limit=10)
    with pytest.raises(ValidationError, match=r"^Cannot read .*: Is a directory\.$"):
        read_bounded(tmp_path, limit=10)
