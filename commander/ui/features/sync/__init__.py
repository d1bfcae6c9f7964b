"""Sync in the window: the connect dialog, the status-bar widget and the worker thread."""
