"""Use cases: each opens its own transaction and returns what changed. No Qt here."""
