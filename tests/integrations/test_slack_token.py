"""The Slack bot token: trimmed and kept in the keyring under its own service, refused in one
sentence when empty or not a Slack token, deleted on disconnect."""

from __future__ import annotations

import pytest

from commander.core.errors import ValidationError
from commander.integrations.memory_keyring import MemoryKeyring
from commander.integrations.secrets import Kind
from commander.integrations.slack_token import TOKEN_KEY, TOKEN_SERVICE, SlackToken


def test_the_token_is_kept_trimmed_in_the_keyring(tmp_path, memory_keyring: MemoryKeyring) -> None:  # type: ignore[no-untyped-def]
    token = SlackToken(data_dir=tmp_path)
    assert token.get() is None
    keeper = token.set("  xoxb-123-abc \n")
    assert keeper.kind is Kind.KEYRING
    assert memory_keyring.passwords[(TOKEN_SERVICE, TOKEN_KEY)] == "xoxb-123-abc"
    assert SlackToken(data_dir=tmp_path).get() == "xoxb-123-abc"
    token.delete()
    assert SlackToken(data_dir=tmp_path).get() is None
    assert list(tmp_path.iterdir()) == []  # nothing written beside the workspace


NOT_A_TOKEN = "That is not a Slack token (a bot token starts with xoxb-); nothing was stored."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   ", "The token is empty; nothing was stored."),
        ("sk-live-123", NOT_A_TOKEN),
        ("xoxb-12 34", NOT_A_TOKEN),
    ],
)
def test_what_is_not_a_token_is_refused_and_not_stored(
    tmp_path, memory_keyring: MemoryKeyring, text: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        SlackToken(data_dir=tmp_path).set(text)
    assert str(caught.value) == message
    assert memory_keyring.passwords == {}
