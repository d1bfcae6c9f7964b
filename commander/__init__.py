"""Commander: an offline-first incident commander console."""

__version__ = "0.1.0"
