"""The demo incident's material: its cast, what monitoring saw, and the messages the comms
lead wrote. Data only; ``services.demo.story`` tells the story that uses it, minute by minute.
"""

from __future__ import annotations

from commander.core.people import Person

IC = "Dana Okafor (IC)"
TECH = "Priya Raman (Tech Lead)"
COMMS = "Marcus Lee (Comms Lead)"
CERTS = "Sofia Alvarez (Certificate Manager)"
SRE = "Tom Becker (on-call SRE)"

# The story's impact as monitoring saw it: (minutes after the first alert, value).
CUSTOMERS_CURVE = [
    (0, 2),
    (5, 18),
    (10, 34),
    (15, 40),
    (20, 41),
    (25, 40),
    (30, 39),
    (35, 40),
    (40, 38),
    (45, 31),
    (50, 12),
    (55, 3),
    (60, 1),
    (70, 0.5),
    (80, 0.3),
    (90, 0.2),
    (100, 0.2),
]
ERROR_CURVE = [
    (0, 4),
    (5, 21),
    (10, 36),
    (15, 38),
    (20, 38),
    (25, 37),
    (30, 38),
    (35, 37),
    (40, 35),
    (45, 22),
    (50, 6),
    (52, 6),
    (55, 0.4),
    (60, 0.3),
    (70, 0.2),
    (80, 0.2),
    (90, 0.2),
    (100, 0.2),
]


DEMO_PEOPLE = (
    Person(
        "dana",
        "Dana Okafor",
        "SRE",
        "dana.okafor@example.com",
        "+1 555 0101",
        ("incident_commander",),
    ),
    Person(
        "priya",
        "Priya Raman",
        "Platform",
        "priya.raman@example.com",
        "+1 555 0102",
        ("technical_lead",),
    ),
    Person(
        "marcus",
        "Marcus Lee",
        "Support",
        "marcus.lee@example.com",
        "+1 555 0103",
        ("communications_lead",),
    ),
    Person(
        "sofia",
        "Sofia Alvarez",
        "Security",
        "sofia.alvarez@example.com",
        "+1 555 0104",
        ("certificate_manager", "security_lead"),
    ),
    Person(
        "tom",
        "Tom Becker",
        "SRE",
        "tom.becker@example.com",
        "+1 555 0105",
        ("incident_commander", "technical_lead"),
    ),
)


# What the comms lead typed into the composer for each message the story sends.
PARTNER_NOTICE = {
    "impact": "Webhook deliveries and mTLS calls to the partner API fail",
    "technical_details": "The partner-gateway certificate expired at 08:00 UTC; TLS handshakes "
    "fail with 'certificate has expired'",
    "timeline": "Renewed certificate expected within 60 minutes",
}
UPDATE_1 = {
    "impact": "About 40% of customer API calls fail authentication",
    "eta": "45 minutes",
    "next_steps": "Emergency certificate renewal",
    "progress": "Root cause found: cert-manager lost write access to the DNS zone",
}
UPDATE_2 = {
    "impact": "Auth failures down to 1.5% and draining",
    "eta": "30 minutes",
    "next_steps": "Restore partner-gateway traffic gradually",
    "progress": "New certificate issued and rolled out to the gateway pods",
}
UPDATE_3 = {
    "impact": "None measurable; monitoring",
    "eta": "15 minutes",
    "next_steps": "Customer validation, then resolve",
    "progress": "All health checks green; p95 latency within SLA",
}
CUSTOMER_NOTICE = {
    "service_description": "sign-in to the customer API",
    "impact": "Some API requests fail with an authentication error; retrying succeeds more "
    "often as the fix rolls out",
}
RESOLUTION = {
    "service_description": "sign-in to the customer API",
    "impact": "About 40% of API calls failed at peak; 3 partners affected",
    "root_cause": "An expired certificate: its automatic renewal had failed for 9 days",
    "review_date": "within one week",
    "report": "to follow with the post-incident review",
}
