"""Ties to the world outside the workspace: secrets (keyring) and, later, delivery channels."""
