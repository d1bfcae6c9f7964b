"""The war-room display: a read-only, full-screen view of the incident for the wall.

It reads the workspace (or a replica pulled from the shared database) and never writes:
no editable widget, no action that changes an incident.
"""
