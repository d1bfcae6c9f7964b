"""The command line; ``main`` is the ``commander`` entry point."""

from commander.cli.main import main

__all__ = ["main"]
