"""What a procedure calls each severity level, and reading what a user types back.

Incidents store the four levels as ``P0``–``P3`` (most severe first), so sync, history and
every stored op stay as they are whatever file is loaded; a procedure file names the levels its
own way (``SEV1 Critical`` …), in the same order. Everything a person reads or types goes
through :class:`SeverityNames`: the file's key, its name, or the stored key.
"""

from __future__ import annotations

from dataclasses import dataclass

from commander.core.errors import ValidationError
from commander.core.policy import Severity, parse_severity
from commander.core.procedure_file import seed_procedure
from commander.core.procedure_model import Procedure, SeveritySpec

MAX_LEVELS = len(Severity)


@dataclass(frozen=True)
class SeverityNames:
    """The key and name of each stored level under one procedure (its severities in order)."""

    keys: tuple[str, ...]  # the file's key of P0, P1, … (as many as the file has)
    names: tuple[str, ...]
    builtin: bool = False
    specs: tuple[SeveritySpec, ...] = ()  # the file's rows: definition, response time …

    @classmethod
    def of(cls, procedure: Procedure) -> SeverityNames:
        specs = procedure.severities[:MAX_LEVELS]
        return cls(
            tuple(s.key for s in specs),
            tuple(s.name for s in specs),
            builtin=[s.key for s in specs] == [s.value for s in Severity],
            specs=tuple(specs),
        )

    def spec(self, level: Severity) -> SeveritySpec | None:
        """The file's row for ``level``, or None when the file has fewer levels."""
        return self.specs[level.rank] if level.rank < len(self.specs) else None

    def key(self, level: Severity) -> str:
        """``SEV1`` for P0 under a SEV file; the stored key for a level the file lacks."""
        return self.keys[level.rank] if level.rank < len(self.keys) else level.value

    def name(self, level: Severity) -> str:
        """``Critical``; a level the file lacks keeps the built-in procedure's name."""
        return self.names[level.rank] if level.rank < len(self.names) else level.level.name

    def label(self, level: Severity) -> str:
        """``SEV1 Critical``: what lists, headers and reports show."""
        return f"{self.key(level)} {self.name(level)}"

    def levels(self) -> list[Severity]:
        """The levels this procedure offers, most severe first."""
        return list(Severity)[: max(1, len(self.keys))]

    def parse(self, text: str) -> Severity:
        """The level ``text`` names: the file's key or name (any case), or a stored key.

        Raises:
            ValidationError: one sentence listing what the procedure accepts.
        """
        wanted = str(text).strip().casefold()
        for rank, (key, name) in enumerate(zip(self.keys, self.names, strict=True)):
            if wanted in (key.casefold(), name.casefold()):
                return Severity(f"P{rank}")
        if self.builtin:
            return parse_severity(text)
        stored = {s.value.casefold(): s for s in self.levels()}
        shadowed = any(k.casefold() in {s.value.casefold() for s in Severity} for k in self.keys)
        if wanted in stored and not shadowed:
            return stored[wanted]
        choices = ", ".join(f"{k} ({n})" for k, n in zip(self.keys, self.names, strict=True))
        raise ValidationError(f"Unknown severity {str(text).strip()!r}: use one of {choices}.")


BUILTIN = SeverityNames.of(seed_procedure())  # P0 Critical … P3 Low
