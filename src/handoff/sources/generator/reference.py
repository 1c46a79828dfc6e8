"""The generator's reference data: the company's reps and teams, lead sources and regions,
the people and companies leads come from, how outcomes decay with the response time, and
the kinds of activity a rep or a sequence logs.

Plain data only; the simulation reads it and the tables turn its codes into text.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from handoff.policy import DEFAULT_CODES
from handoff.schema import SPEED_BUCKETS

TIMEZONES = (
    "America/New_York",
    "America/Los_Angeles",
    "Europe/London",
    "Asia/Kolkata",
    "Australia/Sydney",
)
TZ_INDEX = {tz: i for i, tz in enumerate(TIMEZONES)}

# rep_id, name, team, role, timezone, country, active
REPS = (
    ("R01", "Avery Johnson", "SDR East", "SDR", "America/New_York", "US", True),
    ("R02", "Marcus Bell", "SDR East", "SDR", "America/New_York", "US", True),
    ("R03", "Sofia Alvarez", "SDR East", "SDR", "America/New_York", "US", True),
    ("R04", "Jordan Price", "SDR East", "SDR", "America/New_York", "US", False),
    ("R05", "Tasha Greene", "SDR East", "SDR", "America/New_York", "US", True),
    ("R06", "Kevin Nguyen", "SDR West", "SDR", "America/Los_Angeles", "US", True),
    ("R07", "Emily Carter", "SDR West", "SDR", "America/Los_Angeles", "US", True),
    ("R08", "Diego Ramirez", "SDR West", "SDR", "America/Los_Angeles", "US", True),
    ("R09", "Hannah Lee", "SDR West", "SDR", "America/Los_Angeles", "US", True),
    ("R10", "Oliver Hughes", "SDR EMEA", "SDR", "Europe/London", "GB", True),
    ("R11", "Amelia Clarke", "SDR EMEA", "SDR", "Europe/London", "GB", True),
    ("R12", "Lukas Becker", "SDR EMEA", "SDR", "Europe/London", "GB", False),
    ("R13", "Chloe Martin", "SDR EMEA", "SDR", "Europe/London", "GB", True),
    ("R14", "Priya Sharma", "SDR APAC", "SDR", "Asia/Kolkata", "IN", True),
    ("R15", "Arjun Mehta", "SDR APAC", "SDR", "Asia/Kolkata", "IN", True),
    ("R16", "Jack Wilson", "SDR APAC", "SDR", "Australia/Sydney", "AU", True),
    ("R17", "Mia Thompson", "SDR APAC", "SDR", "Australia/Sydney", "AU", True),
    ("R18", "Daniel Brooks", "Enterprise", "AE", "America/New_York", "US", True),
    ("R19", "Rachel Kim", "Enterprise", "AE", "America/New_York", "US", True),
    ("R20", "Nathan Ortiz", "Enterprise", "AE", "America/Los_Angeles", "US", True),
    ("R21", "Charlotte Evans", "Enterprise", "AE", "Europe/London", "GB", True),
    ("R22", "Grace Patterson", "SDR East", "Manager", "America/New_York", "US", True),
    ("R23", "Ethan Walker", "SDR West", "Manager", "America/Los_Angeles", "US", True),
    ("R24", "Isabel Moore", "SDR EMEA", "Manager", "Europe/London", "GB", True),
    ("R25", "Liam O'Connor", "SDR APAC", "Manager", "Australia/Sydney", "AU", True),
)
CALENDARS = tuple(dict.fromkeys((r[4], r[5]) for r in REPS))
"""The reps' business calendars: (timezone, holiday country)."""
TEAMS = ("SDR East", "SDR West", "SDR EMEA", "SDR APAC", "Enterprise")
QUEUE_IDS = ("00G-INBOUND-QUEUE", "00G-PARTNER-QUEUE")  # owners that are not reps
EMAIL_DOMAIN = "northwind.example"


@dataclass(frozen=True)
class Source:
    name: str
    tier: str
    share: float
    meeting_base: float  # meeting probability for an instant response
    dispositions: tuple[float, ...]  # Qualified, Wrong Persona, Wrong Timing, Bad Fit, Unresponsive
    campaigns: tuple[str, ...]


SOURCES = (
    Source(
        "Demo request",
        "high",
        0.10,
        0.62,
        (0.34, 0.07, 0.15, 0.12, 0.32),
        ("Website demo form", "Paid search - demo", "G2 demo CTA"),
    ),
    Source(
        "Contact sales", "high", 0.06, 0.55, (0.30, 0.09, 0.16, 0.13, 0.32), ("Website contact form", "Chat to sales")
    ),
    Source(
        "Pricing page",
        "high",
        0.07,
        0.48,
        (0.26, 0.10, 0.20, 0.12, 0.32),
        ("Pricing page form", "Paid search - pricing"),
    ),
    Source(
        "Free trial",
        "medium",
        0.14,
        0.34,
        (0.20, 0.14, 0.21, 0.13, 0.32),
        ("Product signup", "Trial - paid social", "Trial - organic"),
    ),
    Source(
        "Content download",
        "low",
        0.27,
        0.12,
        (0.07, 0.31, 0.28, 0.10, 0.24),
        ("State of Sales report", "Lead routing playbook", "ROI calculator", "SLA template"),
    ),
    Source(
        "Webinar",
        "low",
        0.14,
        0.16,
        (0.09, 0.26, 0.28, 0.10, 0.27),
        ("Webinar - speed to lead", "Webinar - pipeline reviews", "Webinar - product tour"),
    ),
    Source(
        "Event",
        "low",
        0.12,
        0.20,
        (0.11, 0.21, 0.26, 0.13, 0.29),
        ("SaaStr booth", "Regional roadshow", "Partner summit"),
    ),
    Source(
        "Partner referral", "low", 0.10, 0.38, (0.24, 0.10, 0.20, 0.15, 0.31), ("Partner program", "Reseller referral")
    ),
)
DISPOSITIONS = tuple(DEFAULT_CODES)

# region, timezone, share, team, countries, country weights
REGIONS = (
    ("US East", "America/New_York", 0.35, "SDR East", ("US", "CA"), (0.9, 0.1)),
    ("US West", "America/Los_Angeles", 0.22, "SDR West", ("US", "CA", "MX"), (0.85, 0.1, 0.05)),
    (
        "EMEA",
        "Europe/London",
        0.25,
        "SDR EMEA",
        ("GB", "DE", "FR", "NL", "IE", "SE"),
        (0.4, 0.2, 0.14, 0.1, 0.08, 0.08),
    ),
    ("India", "Asia/Kolkata", 0.08, "SDR APAC", ("IN",), (1.0,)),
    ("ANZ", "Australia/Sydney", 0.10, "SDR APAC", ("AU", "NZ", "SG"), (0.75, 0.15, 0.1)),
)
# by segment, in the order of handoff.schema.SEGMENTS
SEGMENT_SHARES = (0.52, 0.31, 0.17)
SEGMENT_AMOUNT = (12_000.0, 38_000.0, 120_000.0)
SEGMENT_MEETING = (0.9, 1.05, 1.2)

TITLES = (  # (title, junior?)
    ("VP of Sales", False),
    ("Head of Revenue Operations", False),
    ("Sales Director", False),
    ("CMO", False),
    ("VP Marketing", False),
    ("Marketing Operations Manager", False),
    ("Sales Operations Manager", False),
    ("CRO", False),
    ("Founder", False),
    ("Demand Generation Manager", False),
    ("Account Executive", False),
    ("Marketing Coordinator", True),
    ("Marketing Intern", True),
    ("Student", True),
    ("Sales Development Rep", True),
    ("Consultant", True),
)
COMPANY_STEMS = (
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Vandelay",
    "Stark",
    "Wayne",
    "Tyrell",
    "Soylent",
    "Cyberdyne",
    "Massive",
    "Nimbus",
    "Bluepeak",
    "Redwood",
    "Ironclad",
    "Brightline",
    "Northstar",
    "Silverline",
    "Quantum",
    "Evergreen",
    "Blue Harbor",
    "Cobalt",
    "Summit",
    "Keystone",
    "Lumen",
    "Orbit",
    "Pioneer",
    "Sterling",
    "Vertex",
    "Atlas",
    "Beacon",
    "Cedar",
    "Driftwood",
    "Falcon",
    "Granite",
    "Helix",
    "Juniper",
    "Kestrel",
    "Maple",
    "Nova",
    "Oakridge",
    "Pinnacle",
    "Riverbend",
    "Sapphire",
    "Tidewater",
    "Unity",
    "Willow",
    "Zenith",
    "Arcadia",
)
COMPANY_SUFFIXES = (
    "Inc",
    "Labs",
    "Systems",
    "Group",
    "Health",
    "Logistics",
    "Software",
    "Analytics",
    "Partners",
    "Technologies",
    "Capital",
    "Media",
    "Robotics",
    "Foods",
    "Energy",
)

OPEN_BUCKET_MINUTES = 7 * 24 * 60
RESPONSE_KNOTS = np.array([float(OPEN_BUCKET_MINUTES if upper is None else upper) for _, upper in SPEED_BUCKETS])
"""Wall-clock response minutes at which the decay multipliers below hold: each speed
bucket's upper bound, 7 days for the open one; in between, interpolated in log-time."""
CONVERSION_MULT = np.array([1.0, 0.62, 0.45, 0.30, 0.18, 0.11, 0.07])
WIN_MULT = np.array([1.0, 0.93, 0.86, 0.76, 0.63, 0.56, 0.50])
VALUE_MULT = np.array([1.0, 0.96, 0.92, 0.86, 0.78, 0.74, 0.70])
BEST_WIN_RATE = 0.36


# Activity kinds: (type, direction, automated, [(subject, weight)], [(outcome, weight)])
KINDS = (
    (
        "email",
        "outbound",
        True,  # 0 sequence welcome, seconds after MQL
        (("Thanks for your interest", 5), ("Here is the content you requested", 3), ("Your free trial is ready", 2)),
        (("Sent", 4), ("Opened", 5), ("Clicked", 1)),
    ),
    (
        "email",
        "outbound",
        True,  # 1 sequence nurture step
        (
            ("Quick follow-up", 4),
            ("Resources you might like", 3),
            ("Customer story: cutting response time", 2),
            ("Still interested?", 2),
        ),
        (("Sent", 5), ("Opened", 4), ("Bounced", 1)),
    ),
    (
        "call",
        "outbound",
        False,  # 2
        (("Call", 5), ("Follow-up call", 3), ("Intro call", 2)),
        (("Connected", 2), ("Left voicemail", 4), ("No answer", 4), ("Busy", 1), ("Wrong number", 0.3)),
    ),
    (
        "email",
        "outbound",
        False,  # 3
        (("Following up", 4), ("Quick question", 3), ("Re: your request", 3), ("Checking in", 2), ("Next steps", 1)),
        (("Sent", 5), ("Opened", 4), ("Replied", 1), ("Bounced", 0.4)),
    ),
    (
        "linkedin",
        "outbound",
        False,  # 4
        (("Connection request", 3), ("InMail", 2)),
        (("Sent", 5), ("Accepted", 3), ("Replied", 1)),
    ),
    (
        "sms",
        "outbound",
        False,  # 5
        (("Text message", 1),),
        (("Delivered", 5), ("Replied", 1)),
    ),
    (
        "email",
        "inbound",
        False,  # 6
        (("Re: Following up", 3), ("Question about pricing", 2), ("Re: Quick question", 2), ("Out of office", 1)),
        (("Received", 1),),
    ),
    (
        "call",
        "inbound",
        False,  # 7
        (("Inbound call", 1),),
        (("Connected", 3), ("Missed", 1)),
    ),
    (
        "other",
        "outbound",
        False,  # 8
        (("Research account", 3), ("Update lead record", 2), ("Enrichment", 1)),
        (("Completed", 1),),
    ),
    (
        "meeting",
        "outbound",
        False,  # 9
        (("Intro meeting", 3), ("Discovery meeting", 2)),
        (("Held", 1),),
    ),
)
K_WELCOME, K_NURTURE, K_CALL, K_EMAIL, K_LINKEDIN, K_SMS, K_IN_EMAIL, K_IN_CALL, K_OTHER, K_MEETING = range(10)
TOUCH_KINDS = np.array([K_CALL, K_EMAIL, K_LINKEDIN, K_SMS])
TOUCH_KIND_WEIGHTS = np.array([0.40, 0.38, 0.14, 0.08])

OPPORTUNITY_STAGES = ("Discovery", "Proposal", "Negotiation", "Closed Won", "Closed Lost")
