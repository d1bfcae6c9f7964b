"""The demo incident: its story, cast, alerts and drafted review."""
