"""Runbook commands: placeholders, filling them, and knowing which commands change things.

The app never runs a command. It fills the procedure's placeholders (``<namespace>``,
``<pod-name>``, ``<partner-endpoint>`` ...) from the incident or from values asked once, and
hands the text to the clipboard. Two rules keep that safe:

- a value is a single shell word of plain characters (letters, digits and ``. _ - : / @ + =``),
  so a value typed once, or synced from another laptop, cannot smuggle ``; rm -rf`` or a
  quote into a command someone pastes into a terminal;
- a command that deletes, patches, applies or fails over is *destructive*: the reasons are
  named, and the UI asks for a confirmation before copying it.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from commander.core import limits
from commander.core.errors import ValidationError

VALUE_MAX = limits.RUNBOOK_VALUE_MAX
PLACEHOLDER = re.compile(r"<([A-Za-z][A-Za-z0-9_-]*)>")
_SAFE_VALUE = re.compile(r"^[A-Za-z0-9._:/@+=-]+$")

# Placeholders the incident record can fill, and how (see ``values_from_incident``).
INCIDENT_PLACEHOLDERS = {"service": "the incident's service (when it names exactly one)"}


def placeholders(command: str) -> list[str]:
    """The placeholder names in ``command``, each once, in order of appearance."""
    names: list[str] = []
    for match in PLACEHOLDER.finditer(command):
        if match.group(1) not in names:
            names.append(match.group(1))
    return names


def check_name(name: str) -> str:
    """A placeholder name as written between ``<`` and ``>`` (the brackets may be given)."""
    text = (name or "").strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if not PLACEHOLDER.fullmatch(f"<{text}>"):
        raise ValidationError(
            f"{name!r} is not a placeholder name: letters, digits, - and _ (e.g. pod-name)."
        )
    return text


def check_value(name: str, value: str) -> str:
    """``value`` stripped, if it is safe to put in a command in place of ``<name>``.

    Raises:
        ValidationError: empty, too long, or holding a character a shell would interpret.
    """
    text = (value or "").strip()
    if not text:
        raise ValidationError(f"<{name}> needs a value.")
    if len(text) > VALUE_MAX:
        raise ValidationError(f"<{name}> is longer than {VALUE_MAX} characters.")
    if not _SAFE_VALUE.match(text):
        raise ValidationError(
            f"<{name}> may hold only letters, digits and . _ - : / @ + = "
            f"(no spaces, quotes or shell characters); got {text!r}."
        )
    return text


def is_safe_value(value: str) -> bool:
    return bool(value) and len(value) <= VALUE_MAX and bool(_SAFE_VALUE.match(value))


def values_from_incident(services: Sequence[str]) -> dict[str, str]:
    """What the record fills: ``<service>`` when the incident names exactly one safe service."""
    if len(services) == 1 and is_safe_value(services[0]):
        return {"service": services[0]}
    return {}


@dataclass(frozen=True)
class Part:
    """A piece of a filled command: literal text, or a placeholder with its value (or None)."""

    text: str
    name: str | None = None
    value: str | None = None

    @property
    def is_missing(self) -> bool:
        return self.name is not None and self.value is None


@dataclass(frozen=True)
class Filled:
    """A command with what could be filled filled; ``text`` is None until nothing is missing."""

    template: str
    parts: tuple[Part, ...]
    missing: tuple[str, ...]

    @property
    def text(self) -> str | None:
        if self.missing:
            return None
        return "".join(p.value if p.name is not None else p.text for p in self.parts)  # type: ignore[misc]

    @property
    def preview(self) -> str:
        """The command with values in, and the missing placeholders left as written."""
        return "".join(p.value if p.value is not None else p.text for p in self.parts)


def fill(command: str, values: Mapping[str, str]) -> Filled:
    """Split ``command`` at its placeholders and put in the (safe) values known for them."""
    parts: list[Part] = []
    missing: list[str] = []
    end = 0
    for match in PLACEHOLDER.finditer(command):
        if match.start() > end:
            parts.append(Part(command[end : match.start()]))
        name = match.group(1)
        value = values.get(name)
        if value is not None and not is_safe_value(value):
            value = None
        if value is None and name not in missing:
            missing.append(name)
        parts.append(Part(match.group(0), name, value))
        end = match.end()
    if end < len(command):
        parts.append(Part(command[end:]))
    return Filled(command, tuple(parts), tuple(missing))


# -- destructive commands -----------------------------------------------------------------------

_KUBECTL_CHANGES = {
    "delete": "deletes Kubernetes resources",
    "patch": "changes live configuration (kubectl patch)",
    "apply": "changes the cluster from a manifest (kubectl apply)",
    "replace": "replaces Kubernetes resources",
    "edit": "edits live Kubernetes resources",
    "create": "creates Kubernetes resources",
    "scale": "changes the number of running replicas",
    "drain": "evicts every pod from a node",
    "cordon": "stops scheduling on a node",
    "uncordon": "resumes scheduling on a node",
    "taint": "changes where pods may run",
    "label": "changes resource labels",
    "annotate": "changes resource annotations",
    "set": "changes live resources (kubectl set)",
    "exec": "runs a command inside a pod",
    "rollout": "restarts or rolls back a deployment",
}
_KUBECTL_READS = {
    "get",
    "describe",
    "logs",
    "top",
    "explain",
    "version",
    "cluster-info",
    "api-resources",
    "config",
    "auth",
    "diff",
    "wait",
    "events",
    "port-forward",
}
_ISTIOCTL_CHANGES = {"install", "uninstall", "upgrade", "kube-inject", "x", "experimental"}
_KUBECTL_VERBS = set(_KUBECTL_CHANGES) | _KUBECTL_READS
_HELM_CHANGES = {"install", "uninstall", "upgrade", "rollback", "delete"}
_MONGO_WRITES = re.compile(
    r"\b(drop|dropDatabase|deleteOne|deleteMany|remove|updateOne|updateMany|replaceOne|"
    r"insertOne|insertMany|shutdownServer|renameCollection|stepDown)\s*\(",
)
_HTTP_WRITES = {"DELETE", "POST", "PUT", "PATCH"}
_SEPARATORS = re.compile(r"\|\||&&|[|;&]")


def destructive_reasons(command: str) -> list[str]:
    """Why ``command`` changes something, one reason per finding; empty for read-only ones.

    The rules cover the tools the procedure uses (kubectl, istioctl, helm, mongosh, curl) and
    plain file removal; a user can mark any other step destructive by hand.
    """
    reasons: list[str] = []
    for segment in _SEPARATORS.split(command):
        words = _unwrapped(_words(segment))
        if not words:
            continue
        tool = words[0].rsplit("/", 1)[-1]
        args = [w for w in words[1:] if not w.startswith("-")]
        if tool in ("kubectl", "oc"):
            # The verb is the first known one: flags' values (-n prod) may come before it.
            at = next((n for n, a in enumerate(args) if a in _KUBECTL_VERBS), None)
            verb = args[at] if at is not None else ""
            if verb in _KUBECTL_CHANGES:
                assert at is not None
                kind = args[at + 1] if at + 1 < len(args) else ""
                reason = _KUBECTL_CHANGES[verb]
                if verb == "delete" and kind in ("pod", "pods", "po"):
                    reason = "deletes a pod (it restarts, dropping its in-flight requests)"
                elif verb == "create" and kind == "job":
                    reason = "starts a job in the cluster (kubectl create job)"
                reasons.append(reason)
            if verb == "patch" and "DB_URL" in segment:
                reasons.append("switches the database connection (failover)")
        elif tool == "istioctl" and args and args[0] in _ISTIOCTL_CHANGES:
            reasons.append(f"changes the service mesh (istioctl {args[0]})")
        elif tool == "helm" and args and args[0] in _HELM_CHANGES:
            reasons.append(f"changes a release (helm {args[0]})")
        elif tool in ("mongosh", "mongo") and _MONGO_WRITES.search(segment):
            reasons.append("writes to or drops data in the database")
        elif tool == "curl" and _curl_writes(words):
            reasons.append("sends a request that changes data (HTTP write method)")
        elif tool in ("rm", "rmdir", "dd", "mkfs", "shutdown", "reboot", "kill", "pkill"):
            reasons.append(f"{tool} removes or stops things")
    return list(dict.fromkeys(reasons))


_WRAPPERS = {"sudo", "xargs", "env", "nohup", "time", "watch", "timeout", "nice", "exec"}


def _unwrapped(words: list[str]) -> list[str]:
    """The command a wrapper runs (``sudo kubectl ...``, ``xargs rm``), judged as itself."""
    while words and words[0].rsplit("/", 1)[-1] in _WRAPPERS:
        words = words[1:]
        while words and (words[0].startswith("-") or words[0].isdigit()):
            words = words[1:]
    return words


def _words(segment: str) -> list[str]:
    try:
        return shlex.split(segment)
    except ValueError:  # an unbalanced quote: judge the plain words
        return segment.split()


def _curl_writes(words: list[str]) -> bool:
    for n, word in enumerate(words):
        if word in ("-X", "--request") and n + 1 < len(words):
            return words[n + 1].upper() in _HTTP_WRITES
        if word.startswith("-X") and len(word) > 2:
            return word[2:].upper() in _HTTP_WRITES
        if word in ("-d", "--data", "--data-raw", "--data-binary", "-F", "--form", "-T"):
            return True
    return False
