"""The demo incident's post-incident review: written sections, action items and the meeting.

Told after the incident story (``services.demo.story``), with the same pinned clock, so the
reports and the Review tab have real content to show. Everything goes through
``ReviewService`` and ``ActionItemService``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta

from commander.core.business_hours import BusinessHours
from commander.services.action_items import ActionItemService
from commander.services.review import ReviewService
from commander.services.workspace import Workspace

REVIEW_TEXT = {
    "services_affected": "customer-api, auth-service, partner-gateway",
    "customer_impact": (
        "1 h 45 min of degraded service: about 40% of customer API requests failed "
        "authentication at peak (401 / TLS handshake errors); partner webhooks failed mTLS."
    ),
    "users_affected": "≈ 2,300 API clients (40% at peak); 3 partner integrations",
    "revenue_impact": (
        "No lost transactions (clients retried); SLA credits estimated at $18k for the three "
        "largest customers"
    ),
    "primary_cause": (
        "The api-gateway TLS certificate expired: the cert-manager renewal CronJob had been "
        "failing for 9 days because the ACME DNS-01 solver lost write access to the DNS zone "
        "after a role cleanup."
    ),
    "contributing_factors": (
        "Renewal job failures raised no alert. CertificateExpiringSoon fired only 24 h "
        "before expiry, during a weekend. The role cleanup had no check for service "
        "identities."
    ),
    "detection": (
        "CertificateExpired and AuthFailureSpike alerts at expiry; 14 customer tickets "
        "within 7 minutes."
    ),
    "prevention": (
        "Renewal was automated, so nobody watched it; the only control was the 24 h "
        "expiry warning, which routed to a channel nobody read on weekends."
    ),
    "resolution_steps": (
        "Restored the DNS Zone Contributor role; triggered a manual renewal job; restarted "
        "the gateway pods to load the new secret; restored partner traffic gradually."
    ),
    "verification": (
        "openssl s_client shows the new certificate; auth failure rate back to the 0.2% "
        "baseline; every certificate READY=True; three largest customers confirmed."
    ),
    "monitoring": (
        "Enhanced monitoring for 48 h: alerts on renewal job failures and on certificates "
        "expiring within 14 days."
    ),
    "what_happened": (
        "An expired certificate on the API gateway made 40% of API authentications fail "
        "for 1 h 45 min."
    ),
    "why_it_happened": (
        "Automated renewal failed silently for 9 days after a permissions cleanup removed "
        "the solver's DNS write access."
    ),
    "how_we_responded": (
        "Acknowledged in 3 min, root cause in 28 min, mitigated in 64 min. Customer and "
        "partner notices went out on time; one wrong entry (a failover never executed) was "
        "struck from the timeline."
    ),
    "what_we_learned": (
        "Automation needs its own alerts; a 24 h expiry warning is too late; identity "
        "cleanups must list what uses each role."
    ),
    "what_we_will_change": "See the action items: renewal alerts, 14-day warning, inventory.",
    "agenda_timeline_review": "Walk the timeline from the first alert to resolution (15 min).",
    "agenda_response_effectiveness": "Severity upgrade P2 → P1 at +8 min: fast enough?",
    "agenda_root_cause": "Why the renewal failure stayed invisible for 9 days.",
    "agenda_contributing_factors": "Role cleanup process; weekend alert routing.",
    "agenda_action_items": "Agree owners and terms; link each to the tracker.",
}

ACTION_ITEMS = (
    # (title, owner, term, status, tracker, from the timeline entry starting with)
    (
        "Alert when a cert-manager renewal job fails",
        "Sofia Alvarez",
        "short",
        "in_progress",
        "https://tracker.example.com/OPS-1412",
        "Root cause:",
    ),
    (
        "Raise CertificateExpiringSoon to 14 days in every cluster",
        "Sofia Alvarez",
        "short",
        "done",
        "https://tracker.example.com/OPS-1413",
        "Alert tuning:",
    ),
    (
        "Certificate inventory review across all clusters",
        "Priya Raman",
        "medium",
        "open",
        "",
        "Action items drafted:",
    ),
    (
        "Check service identities before role cleanups",
        "Dana Okafor",
        "medium",
        "open",
        "https://tracker.example.com/SEC-207",
        "",
    ),
    (
        "Staged certificate rotation with canary checks",
        "Priya Raman",
        "long",
        "open",
        "",
        "",
    ),
)


def tell_review(
    workspace: Workspace, incident_id: str, at: Callable[[float], datetime], minute: float
) -> None:
    """Write the review from ``minute`` of the story on (``at(minute)`` moves the clock)."""
    review = ReviewService(workspace, hours=BusinessHours(zone=workspace.zone))
    items = ActionItemService(workspace)
    at(minute)
    for key, text in REVIEW_TEXT.items():
        review.set_field(incident_id, key, text)
    entries, _ = review.timeline(incident_id)
    for title, owner, term, status, tracker, entry_start in ACTION_ITEMS:
        entry = next(
            (e.id for e in entries if entry_start and e.event.startswith(entry_start)), None
        )
        items.add_action_item(
            incident_id,
            title,
            owner=owner,
            term=term,
            status=status,
            tracker_url=tracker,
            entry_id=entry,
        )
    resolved = review.metrics(incident_id).resolved_at
    if resolved is not None:
        day = (resolved + timedelta(days=3)).astimezone(workspace.zone).date()
        when = datetime.combine(day, time(14, 0), tzinfo=workspace.zone)
        review.schedule_review(incident_id, when, minutes=60)
