"""Placeholders, filling and the destructive-command rules."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commander.core.errors import ValidationError
from commander.core.procedure_checklists import BUILTIN_CHECKLISTS
from commander.core.runbooks import (
    check_value,
    destructive_reasons,
    fill,
    is_safe_value,
    placeholders,
    values_from_incident,
)

COMMANDS = {s.key: s.command for c in BUILTIN_CHECKLISTS for s in c.steps if s.command}


def test_placeholders_are_found_once_each_in_order() -> None:
    assert placeholders(COMMANDS["cert.s-client"]) == ["customer-api", "hostname"]
    assert placeholders(COMMANDS["db.ping"]) == ["cluster", "user"]
    assert placeholders("a <x> b <y> c <x>") == ["x", "y"]
    assert placeholders(COMMANDS["health.pods"]) == []
    assert placeholders(COMMANDS["recovery.cert-renewal"]) == ["cert-renewal-job"]


def test_fill_puts_values_in_and_reports_what_is_missing() -> None:
    filled = fill(COMMANDS["recovery.pod-restart"], {"namespace": "payments"})
    assert filled.missing == ("pod-name",)
    assert filled.text is None
    assert filled.preview == "kubectl delete pod <pod-name> -n payments"
    done = fill(COMMANDS["recovery.pod-restart"], {"namespace": "payments", "pod-name": "api-7f"})
    assert done.text == "kubectl delete pod api-7f -n payments"
    assert [p.name for p in done.parts if p.name] == ["pod-name", "namespace"]


def test_fill_keeps_quotes_and_shell_syntax_of_the_procedure() -> None:
    filled = fill(COMMANDS["db.ping"], {"cluster": "c0.ab1.mongodb.net", "user": "ops"})
    assert filled.text == (
        'mongosh "mongodb+srv://c0.ab1.mongodb.net/test" --username ops '
        "--eval \"db.adminCommand('ping')\""
    )
    renewal = fill(COMMANDS["recovery.cert-renewal"], {"cert-renewal-job": "cert-renew"})
    assert renewal.text == "kubectl create job --from=cronjob/cert-renew manual-renewal-$(date +%s)"


@pytest.mark.parametrize("bad", ["prod; rm -rf /", "a b", "$(id)", "x`y`", "'q'", "a|b", ""])
def test_unsafe_values_are_refused_and_never_filled(bad: str) -> None:
    with pytest.raises(ValidationError):
        check_value("namespace", bad)
    assert fill("kubectl get pods -n <namespace>", {"namespace": bad}).missing == ("namespace",)


def test_safe_values_pass() -> None:
    assert check_value("cluster", " c0.ab1.mongodb.net ") == "c0.ab1.mongodb.net"
    assert check_value("partner-endpoint", "api.partner.example:8443/health") == (
        "api.partner.example:8443/health"
    )


def test_the_record_fills_service_only_when_it_names_exactly_one() -> None:
    assert values_from_incident(["api-gateway"]) == {"service": "api-gateway"}
    assert values_from_incident(["api", "auth"]) == {}
    assert values_from_incident(["customer api"]) == {}  # not a shell word: ask instead


def test_the_procedures_recovery_commands_are_destructive_with_reasons() -> None:
    assert "deletes a pod" in destructive_reasons(COMMANDS["recovery.pod-restart"])[0]
    assert destructive_reasons(COMMANDS["recovery.cert-renewal"]) == [
        "starts a job in the cluster (kubectl create job)"
    ]
    assert "kubectl apply" in destructive_reasons(COMMANDS["recovery.rerouting"])[0]
    failover = destructive_reasons(COMMANDS["recovery.db-failover"])
    assert failover == [
        "changes live configuration (kubectl patch)",
        "switches the database connection (failover)",
    ]


def test_the_procedures_diagnostics_are_not_destructive() -> None:
    diagnostics = [c for k, c in COMMANDS.items() if not k.startswith("recovery.")]
    assert len(diagnostics) == 14
    for command in diagnostics:
        assert destructive_reasons(command) == [], command


@pytest.mark.parametrize(
    "command",
    [
        "kubectl -n prod delete deployment api",
        "kubectl scale deploy api --replicas=0",
        "kubectl rollout restart deployment/api",
        "kubectl get pods | xargs rm -f",
        "curl -X DELETE https://api/x",
        "curl --data '{}' https://api/x",
        'mongosh "mongodb+srv://c/test" --eval "db.users.deleteMany({})"',
        "helm rollback api 3",
        "istioctl uninstall --purge",
        "kubectl patch deploy api -p '{unbalanced",
    ],
)
def test_other_changing_commands_are_caught(command: str) -> None:
    assert destructive_reasons(command)


@pytest.mark.parametrize(
    "command",
    ["kubectl -n prod get pods", "kubectl describe pod api", "curl -sS https://api/health"],
)
def test_reading_commands_are_not_flagged(command: str) -> None:
    assert destructive_reasons(command) == []


def test_placeholder_names_are_checked() -> None:
    from commander.core.runbooks import check_name

    assert check_name("<pod-name>") == "pod-name"
    assert check_name(" namespace ") == "namespace"
    for bad in ("foo bar", "", "<>", "1st", "a;b"):
        with pytest.raises(ValidationError):
            check_name(bad)


_NAMES = st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True)
_VALUES = st.text(min_size=1, max_size=30)


@given(st.lists(_NAMES, min_size=1, max_size=4), st.dictionaries(_NAMES, _VALUES, max_size=6))
def test_fill_never_puts_an_unsafe_value_in_and_knows_what_is_missing(names, values) -> None:
    command = "run " + " ".join(f"--{n} <{n}>" for n in names)
    filled = fill(command, values)
    usable = {n for n, v in values.items() if is_safe_value(v)}
    assert set(filled.missing) == set(names) - usable
    if not filled.missing:
        assert filled.text == "run " + " ".join(f"--{n} {values[n]}" for n in names)
    for part in filled.parts:
        if part.value is not None:
            assert is_safe_value(part.value)
