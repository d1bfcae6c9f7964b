"""Ties to the world outside the workspace: secrets (keyring) and the delivery channels."""
