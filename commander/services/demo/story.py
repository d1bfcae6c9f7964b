"""The demo incident's story: what happened, minute by minute (its cast and data: ``demo_cast``).

The procedure's own P1 example, "Certificate expiry causing authentication failures", worked
through every phase. Only the telling lives here; ``services.demo`` supplies the scribe that
writes each step through the services at the minute it happened.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from commander.core.channels import Channel
from commander.services.demo.cast import (
    CERTS,
    COMMS,
    CUSTOMER_NOTICE,
    CUSTOMERS_CURVE,
    DEMO_PEOPLE,
    ERROR_CURVE,
    IC,
    PARTNER_NOTICE,
    RESOLUTION,
    SRE,
    TECH,
    UPDATE_1,
    UPDATE_2,
    UPDATE_3,
)
from commander.services.people import PeopleService

DEMO_INCIDENT_ID = "01936a2e-5c00-7d3e-8a1f-c3e7d2b4a901"
DEMO_TITLE = "Certificate expiry causing authentication failures on customer API"
STORY_MINUTES = 150  # the alert fired this long before now


class Scribe(Protocol):
    """What the story needs to write itself down: each step at ``minute`` after the alert."""

    people: PeopleService

    def declare(
        self, minute: float, *, title: str, severity: str, services: list[str], impact: str
    ) -> None: ...
    def note(self, minute: float, event: str, action: str = "", owner: str = "") -> str: ...
    def met(self, minute: float, key: str, how: str) -> None: ...
    def sent(
        self, minute: float, template: str, channel: Channel, typed: dict[str, str]
    ) -> None: ...
    def impact(self, minute: float, metric: str, curve: Sequence[tuple[float, float]]) -> None: ...
    def assign(self, minute: float, role: str, handle: str, note: str = "") -> None: ...
    def change(self, minute: float, field: str, value: str) -> None: ...
    def strike(self, minute: float, entry_id: str, reason: str) -> None: ...
    def amend(self, minute: float, entry_id: str, event: str) -> None: ...


def _known(people: PeopleService, handle: str) -> bool:
    return any(p.handle == handle for p in people.people())


def tell_story(s: Scribe) -> None:
    """Narrate the incident minute by minute, from the first alert to the review invite."""
    # Phase 1: detection and initial response (0-15 min). Declared at +5; the scribe
    # back-fills the alerts that came before with their real times.
    s.declare(
        5,
        title=DEMO_TITLE,
        severity="P2",
        services=["customer-api", "auth-service", "partner-gateway"],
        impact="Some API clients report 401 errors; scope unknown.",
    )
    s.note(
        0,
        "Alert fired: CertificateExpired for api.example.com (Certificate Monitoring)",
        "On-call SRE paged",
        SRE,
    )
    s.note(
        1,
        "Prometheus alert AuthFailureSpike: 38% of /oauth/token requests failing",
        "Grafana auth dashboard opened",
        SRE,
    )
    s.note(3, "Alert acknowledged", "Incident commander paged", SRE)
    s.met(3, "response", "Alert acknowledged by the on-call SRE")
    for person in DEMO_PEOPLE:
        if not _known(s.people, person.handle):
            s.people.save_person(person)
    s.assign(5, "incident_commander", "tom", "On-call SRE takes command until an IC joins")
    s.note(
        7,
        "Support escalates 14 tickets: 'SSL handshake failed' from API customers",
        "Linked tickets to the incident",
        COMMS,
    )
    s.change(8, "severity", "P1")
    s.note(
        8,
        "Severity assessed: ~40% of API clients failing authentication — matches P1 "
        "'Certificate expiry causing authentication failures'",
        "Management notification due within 1 h; customer comms within 1 h",
        IC,
    )
    s.note(
        10,
        "Response team formed: IC Dana Okafor, Tech Lead Priya Raman, Comms Lead "
        "Marcus Lee, Certificate Manager Sofia Alvarez",
        "Bridge opened in #inc-cert-expiry",
        IC,
    )
    s.assign(10, "incident_commander", "dana", "Tom briefed Dana on the bridge; Tom back on triage")
    s.assign(10, "technical_lead", "priya")
    s.assign(10, "communications_lead", "marcus")
    s.assign(10, "certificate_manager", "sofia")
    s.change(
        11,
        "impact",
        "≈40% of customer API requests failing authentication "
        "(401 / TLS handshake errors); partner webhooks failing mTLS.",
    )
    # Phase 2: investigation and diagnosis (15-60 min).
    s.change(13, "phase", "investigation")
    s.note(
        14,
        "kubectl get pods --all-namespaces | grep -v Running: nothing unhealthy",
        "Platform failure ruled out",
        TECH,
    )
    s.note(
        16,
        "kubectl get certificates --all-namespaces: edge/api-gateway-tls READY=False (expired)",
        "Certificate expiry confirmed as the cause",
        CERTS,
    )
    s.note(
        19,
        "openssl s_client -connect api.example.com:443 -servername api.example.com: "
        "verify error 10 'certificate has expired'",
        "",
        TECH,
    )
    s.note(
        21,
        "curl -v --cert client.crt --key client.key https://partner.example.net/health: "
        "mTLS handshake fails on the same chain",
        "Partner integrations affected",
        TECH,
    )
    s.change(21, "partners_affected", "yes")
    s.note(
        24,
        "Partner notice sent to partner technical contacts (30-minute deadline met)",
        "Technical details shared; ETA 60 min",
        COMMS,
    )
    s.sent(24, "partner", Channel.EMAIL, PARTNER_NOTICE)
    s.met(24, "partner_comms", "Partner notice to technical contacts")
    s.note(26, "Management notified (P1 escalation)", "VP Engineering on the bridge", IC)
    s.met(26, "escalation", "Management notified: VP Engineering on the bridge")
    s.note(
        28,
        "Root cause: cert-manager renewal CronJob failing for 9 days — ACME DNS-01 "
        "solver lost write access to the Azure DNS zone after a role cleanup",
        "Plan: emergency certificate renewal",
        CERTS,
    )
    s.change(29, "status", "identified")
    s.note(
        30,
        "Internal update #1 to #incident and the distribution list",
        "Status identified; ETA 45 min; next update in 30 min",
        COMMS,
    )
    s.sent(30, "update", Channel.SLACK, UPDATE_1)
    s.sent(30, "update", Channel.EMAIL, UPDATE_1)
    s.met(30, "internal_update", "Update #1 to #incident and the distribution list")
    wrong = s.note(
        32,
        "Failing customer-api over to the backup cluster",
        "kubectl patch configmap app-config (DB_URL → backup cluster)",
        TECH,
    )
    # Phase 3: containment and mitigation.
    s.change(33, "phase", "containment")
    s.strike(34, wrong, "Entered in error: failover was discussed, never executed")
    s.note(
        35,
        "kubectl logs -n cert-manager deploy/cert-manager: AuthorizationFailed writing "
        "the _acme-challenge TXT record",
        "",
        CERTS,
    )
    s.note(
        38,
        "DNS Zone Contributor role restored for the cert-manager managed identity",
        "Change recorded as emergency change",
        CERTS,
    )
    s.note(
        40,
        "kubectl create job --from=cronjob/cert-renewal manual-renewal-1764318000 -n cert-manager",
        "Emergency certificate renewal triggered",
        CERTS,
    )
    s.note(
        44,
        "Customer notice published on the status page and by email (within 1 h)",
        "Impact, retry advice, next update in 30 min",
        COMMS,
    )
    s.sent(44, "status-page", Channel.STATUSPAGE, CUSTOMER_NOTICE)
    s.sent(44, "status-page", Channel.EMAIL, CUSTOMER_NOTICE)
    s.met(44, "customer_comms", "Status page and e-mail notice")
    s.note(46, "Renewal job completed: new certificate issued, valid 90 days", "", CERTS)
    s.note(
        48,
        "kubectl delete pod -n edge -l app=api-gateway (pods reload the new secret)",
        "Gateway pods restarted one by one",
        TECH,
    )
    s.note(
        52, "openssl s_client shows the new certificate; auth failures falling 38% → 6%", "", TECH
    )
    stale = s.note(55, "Auth failure rate back to the 0.2% baseline", "", TECH)
    s.amend(
        58,
        stale,
        "Auth failure rate 1.5%, still above the 0.2% baseline (the first "
        "reading came from a stale dashboard panel)",
    )
    s.note(60, "Internal update #2", "Mitigated, failures draining; next update in 30 min", COMMS)
    s.sent(60, "update", Channel.SLACK, UPDATE_2)
    s.met(60, "internal_update", "Update #2")
    s.note(62, "Partner mTLS handshakes succeeding; webhook retry queue draining", "", TECH)
    s.change(64, "status", "monitoring")
    # Phase 4: resolution and recovery.
    s.change(65, "phase", "resolution")
    s.note(70, "Gradual restoration: partner-gateway traffic 25% → 50% → 100%", "", TECH)
    s.note(
        78, "Health verification: all health checks green; every certificate READY=True", "", CERTS
    )
    s.note(85, "Performance validation: p95 latency 180 ms, within SLA", "", TECH)
    s.note(90, "Internal update #3", "Monitoring; resolution expected within 15 min", COMMS)
    s.sent(90, "update", Channel.SLACK, UPDATE_3)
    s.met(90, "internal_update", "Update #3")
    s.note(
        92,
        "Customer validation: no new auth tickets for 20 min; three largest customers "
        "confirm normal service",
        "",
        COMMS,
    )
    s.change(105, "status", "resolved")
    s.note(
        106,
        "Resolution notification sent: INCIDENT RESOLVED - P1, duration 1 h 45 min",
        "Status page and partner channel updated",
        COMMS,
    )
    s.sent(106, "resolved", Channel.SLACK, RESOLUTION)
    s.sent(106, "status-page", Channel.STATUSPAGE, CUSTOMER_NOTICE)
    # Post-incident activities.
    s.change(110, "phase", "post-incident")
    s.note(
        112,
        "Enhanced monitoring for 48 h: alerts on renewal job failures and on "
        "certificates expiring within 14 days",
        "",
        CERTS,
    )
    s.note(115, "Alert tuning: CertificateExpiringSoon raised from 24 h to 14 days", "", CERTS)
    s.note(
        125,
        "Impact assessment: 1 h 45 min degraded; ~40% of API calls failed at peak; "
        "3 partners affected",
        "",
        IC,
    )
    s.met(125, "timeline_impact", "Timeline and impact assessment written")
    s.impact(126, "customers_pct", CUSTOMERS_CURVE)
    s.impact(127, "error_rate", ERROR_CURVE)
    s.impact(128, "partners", [(0, 0), (20, 3), (50, 3), (62, 1), (70, 0)])
    s.note(
        130,
        "Action items drafted: renewal-failure alert (short-term); certificate "
        "inventory review (medium-term)",
        "",
        IC,
    )
    s.note(135, "Post-incident review scheduled within 1 week", "Invite sent", IC)
