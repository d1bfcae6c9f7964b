"""The procedure's checklists, verbatim: every step and every diagnostic or recovery command.

Quoted from ``incident-response-procedures.md`` (a copy lives in ``docs/procedure.md``; a test
parses it and checks that every command of its code blocks is a step here, unchanged). Texts,
commands and placeholders are the procedure's own; the keys are ours and never change, since
ticks on incidents refer to them.
"""

from __future__ import annotations

from commander.core.checklists import Checklist, Step
from commander.core.policy import Phase


def _s(key: str, text: str, detail: str = "", command: str = "", note: str = "") -> Step:
    return Step(key=key, text=text, detail=detail, command=command, note=note)


def _cmd(key: str, command: str, note: str) -> Step:
    """A command step: the procedure names it only by the code block's comment."""
    return Step(key=key, text=command, detail="", command=command, note=note)


_HEALTH = "Quick system health check"
_EXTERNAL = "Test external connectivity"
_ISTIO = "Check Istio service mesh"

BUILTIN_CHECKLISTS: tuple[Checklist, ...] = (
    Checklist(
        key="initial-response",
        phase=Phase.DETECTION,
        title="Initial Response Steps",
        steps=(
            _s("initial.acknowledge", "Acknowledge Alert", "Confirm incident detection"),
            _s("initial.severity", "Assess Severity", "Determine initial severity level"),
            _s("initial.team", "Form Response Team", "Assemble appropriate responders"),
            _s("initial.record", "Create Incident Record", "Document incident in tracking system"),
            _s("initial.investigate", "Begin Investigation", "Start initial diagnostic steps"),
        ),
    ),
    Checklist(
        key="system-health",
        phase=Phase.INVESTIGATION,
        title="System Health Assessment",
        steps=(
            _cmd("health.pods", "kubectl get pods --all-namespaces | grep -v Running", _HEALTH),
            _cmd("health.nodes", "kubectl get nodes | grep -v Ready", _HEALTH),
            _cmd("health.top-nodes", "kubectl top nodes", _HEALTH),
            _cmd(
                "health.top-pods",
                "kubectl top pods --all-namespaces | sort -k3 -nr | head -20",
                _HEALTH,
            ),
        ),
    ),
    Checklist(
        key="certificate-health",
        phase=Phase.INVESTIGATION,
        title="Certificate Health Check",
        steps=(
            _cmd(
                "cert.certificates",
                "kubectl get certificates --all-namespaces",
                "Check certificate expiry across system",
            ),
            _cmd(
                "cert.s-client",
                "openssl s_client -connect <customer-api>:443 -servername <hostname>",
                "Check certificate expiry across system",
            ),
            _cmd(
                "cert.partner-mtls",
                "curl -v --cert client.crt --key client.key https://<partner-endpoint>",
                "Check certificate expiry across system",
            ),
        ),
    ),
    Checklist(
        key="database-connectivity",
        phase=Phase.INVESTIGATION,
        title="Database Connectivity",
        steps=(
            _cmd(
                "db.ping",
                'mongosh "mongodb+srv://<cluster>/test" --username <user> '
                "--eval \"db.adminCommand('ping')\"",
                "Test MongoDB connection",
            ),
            _cmd(
                "db.pool-logs",
                "kubectl logs -n <namespace> <pod> | grep -i mongo | tail -50",
                "Check connection pool status",
            ),
        ),
    ),
    Checklist(
        key="network-diagnostics",
        phase=Phase.INVESTIGATION,
        title="Network Diagnostics",
        steps=(
            _cmd("net.partner-head", "curl -I https://<partner-endpoint>", _EXTERNAL),
            _cmd("net.nslookup", "nslookup <mongodb-cluster>", _EXTERNAL),
            _cmd("net.traceroute", "traceroute <external-service>", _EXTERNAL),
            _cmd("net.proxy-status", "istioctl proxy-status", _ISTIO),
            _cmd(
                "net.proxy-config",
                "istioctl proxy-config cluster <pod> | grep <service>",
                _ISTIO,
            ),
        ),
    ),
    Checklist(
        key="service-recovery",
        phase=Phase.CONTAINMENT,
        title="Service Recovery Actions",
        steps=(
            _s(
                "recovery.pod-restart",
                "Pod Restart",
                "Restart failing pods",
                "kubectl delete pod <pod-name> -n <namespace>",
            ),
            _s(
                "recovery.cert-renewal",
                "Certificate Renewal",
                "Emergency certificate renewal",
                "kubectl create job --from=cronjob/<cert-renewal-job> manual-renewal-$(date +%s)",
                "Trigger certificate renewal job",
            ),
            _s(
                "recovery.rerouting",
                "Traffic Rerouting",
                "Redirect traffic away from failing components",
                "kubectl apply -f emergency-routing.yaml",
                "Update Istio destination rules",
            ),
            _s(
                "recovery.db-failover",
                "Database Failover",
                "Switch to backup database if needed",
                "kubectl patch configmap app-config --patch "
                '\'{"data":{"DB_URL":"mongodb+srv://backup-cluster"}}\'',
                "Update connection strings to backup cluster",
            ),
        ),
    ),
    Checklist(
        key="service-restoration",
        phase=Phase.RESOLUTION,
        title="Service Restoration",
        steps=(
            _s(
                "restore.gradual",
                "Gradual Restoration",
                "Slowly restore traffic to repaired services",
            ),
            _s("restore.health", "Health Verification", "Confirm all health checks pass"),
            _s("restore.performance", "Performance Validation", "Verify response times within SLA"),
            _s("restore.customer", "Customer Validation", "Confirm customer-facing functionality"),
        ),
    ),
    Checklist(
        key="monitoring-enhancement",
        phase=Phase.RESOLUTION,
        title="Monitoring Enhancement",
        steps=(
            _s(
                "monitoring.increased",
                "Increased Monitoring",
                "Temporary enhanced monitoring during recovery",
            ),
            _s("monitoring.alerts", "Alert Tuning", "Adjust alert thresholds if needed"),
            _s(
                "monitoring.baselines",
                "Performance Baselines",
                "Update baselines based on incident learnings",
            ),
        ),
    ),
    Checklist(
        key="post-incident-immediate",
        phase=Phase.POST_INCIDENT,
        title="Immediate Actions (Within 24 hours)",
        steps=(
            _s("post.monitoring", "Service Monitoring", "Enhanced monitoring for 24-48 hours"),
            _s("post.timeline", "Incident Timeline", "Document detailed timeline of events"),
            _s("post.impact", "Impact Assessment", "Quantify customer and business impact"),
            _s("post.lessons", "Initial Lessons", "Capture immediate lessons learned"),
        ),
    ),
)

BUILTIN_BY_KEY = {checklist.key: checklist for checklist in BUILTIN_CHECKLISTS}
