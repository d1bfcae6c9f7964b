"""Exercise mode: replaying a scenario, the debrief, scenarios from past incidents, and the
outbox that never sends."""
