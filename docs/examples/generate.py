"""Regenerate the example reports in this folder: the demo incident in every format.

    QT_QPA_PLATFORM=offscreen python docs/examples/generate.py

The demo story is told into a scratch workspace on a fixed clock (resolved, with a written
review and action items, as it would look at the post-incident review), then exported exactly
as ``commander export`` does.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from commander.core.business_hours import BusinessHours  # noqa: E402
from commander.core.clock import FakeClock  # noqa: E402
from commander.services.deadlines import DeadlineService  # noqa: E402
from commander.services.demo import create_demo  # noqa: E402
from commander.services.report import ReportService  # noqa: E402
from commander.services.review import ReviewService  # noqa: E402
from commander.services.workspace import Workspace  # noqa: E402
from commander.ui.report_pdf import write_pdf  # noqa: E402

HERE = Path(__file__).resolve().parent
NOW = datetime(2026, 11, 28, 13, 0, tzinfo=UTC)
REVIEW = {
    "customer_impact": "About 40% of customer API calls failed for 25 minutes; 14 support "
    "tickets; 3 partner integrations failed mTLS.",
    "users_affected": "≈ 41% of API customers at the peak (10:50)",
    "primary_cause": "The api-gateway TLS certificate expired: cert-manager's automatic "
    "renewal had been failing for 9 days.",
    "contributing_factors": "The ACME DNS-01 solver lost write access to the Azure DNS zone "
    "after a role cleanup.\nRenewal failures were logged but not alerted on.",
    "detection": "Certificate Monitoring alert (CertificateExpired) at 10:30, then the "
    "AuthFailureSpike alert.",
    "prevention": "The expiry alert fired only at expiry; there was no alert on failed renewals.",
    "resolution_steps": "Restored the DNS role, forced renewal with cert-manager, restarted "
    "the gateway pods.",
    "verification": "openssl s_client shows the new chain; auth failure rate back to 0.2% "
    "baseline; partner health checks green.",
    "monitoring": "Enhanced monitoring for 48 h; alert on renewal failures and 14 days before "
    "expiry.",
    "what_happened": "An expired certificate broke TLS and mTLS for the customer API.",
    "why_it_happened": "A permissions change silently broke automated renewal.",
    "how_we_responded": "Acknowledged in 3 minutes, cause confirmed in 11, mitigated in 59.",
    "what_we_learned": "Automation that fails quietly is worse than a manual calendar.",
    "what_we_will_change": "Alert on every failed renewal; own the DNS role in code.",
}
ITEMS = (
    ("Alert on cert-manager renewal failures", "Sofia Alvarez", "short", date(2026, 12, 12)),
    ("Expiry alert 14 days ahead for every certificate", "Tom Becker", "short", date(2026, 12, 12)),
    ("Manage the ACME DNS role in Terraform", "Priya Raman", "medium", date(2027, 2, 28)),
    ("Certificate inventory and ownership review", "Dana Okafor", "long", date(2027, 5, 28)),
)


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        ws = Workspace.open(Path(scratch), author="Dana Okafor", clock=FakeClock(NOW), zone=UTC)
        try:
            incident_id = create_demo(ws).incident.id
            review = ReviewService(ws, hours=BusinessHours(zone=UTC))
            for key, text in REVIEW.items():
                review.set_field(incident_id, key, text)
            for title, owner, term, due in ITEMS:
                review.add_action_item(incident_id, title, owner=owner, term=term, due=due)
            service = ReportService(ws, DeadlineService(ws, hours=BusinessHours(zone=UTC)))
            for fmt, name in (
                ("md", "demo-report.md"),
                ("html", "demo-report.html"),
                ("pdf", "demo-report.pdf"),
                ("json", "demo-incident.json"),
                ("ics214", "demo-ics214.csv"),
            ):
                result = service.export(incident_id, fmt, HERE / name, pdf_writer=write_pdf)
                for path in result.files:
                    print(path.relative_to(HERE.parents[1]))
        finally:
            ws.close()


if __name__ == "__main__":
    main()
