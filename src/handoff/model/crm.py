"""Links from a lead to its record in the CRM it came from.

The store's meta settings say where the data came from (`origin`: files, salesforce,
hubspot, ...) and how to reach the CRM's pages (`salesforce_instance_url`,
`hubspot_portal_id`, `hubspot_ui_domain`, written by the syncs). Without an `origin`, a store
holding one CRM's settings only is that CRM's. Each setting is checked before it becomes part
of a URL, and the lead id is URL-quoted, so no value from the data can turn a link into
another address:

- Salesforce: `{instance_url}/lightning/r/Lead/{lead_id}/view`, with an https instance URL
  on a Salesforce host (salesforce.com, force.com, salesforce.mil, cloudforce.com) and
  nothing after the host;
- HubSpot: `https://{ui_domain}/contacts/{portal_id}/record/0-1/{lead_id}`, with a portal id
  of digits and HubSpot's app domain (app.hubspot.com, the default, or app-eu1.hubspot.com
  and the like).

Anything else (files, the sample, an upload, a setting that fails its check) has no link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import pandas as pd

from handoff.model import Model, run_sql, sql_text

SALESFORCE = "salesforce"
HUBSPOT = "hubspot"
SYSTEM_NAMES = {SALESFORCE: "Salesforce", HUBSPOT: "HubSpot"}
DEFAULT_HUBSPOT_UI_DOMAIN = "app.hubspot.com"

_SALESFORCE_HOST = re.compile(
    r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:salesforce\.com|force\.com|salesforce\.mil|cloudforce\.com)"
)
_HUBSPOT_HOST = re.compile(r"app(?:-[a-z0-9]{1,20})?\.hubspot\.com")
_PORTAL_ID = re.compile(r"[0-9]{1,20}")


@dataclass(frozen=True)
class CrmLinks:
    """Where a store's leads live: the CRM (None: no links) and the base of a lead's URL."""

    system: str | None = None  # salesforce, hubspot or None
    prefix: str = ""  # the URL up to the lead id
    suffix: str = ""  # the URL after the lead id
    problem: str | None = None  # why a CRM store has no links (a setting failed its check)

    @property
    def name(self) -> str | None:
        """The CRM's name as people read it ("Salesforce"), None without links."""
        return SYSTEM_NAMES.get(self.system or "")

    def url(self, lead_id: object) -> str | None:
        """The lead's record page, its id quoted as one path segment; None without links."""
        if self.system is None or lead_id is None or (isinstance(lead_id, float) and pd.isna(lead_id)):
            return None
        text = str(lead_id)
        if not text:
            return None
        segment = quote(text, safe="")
        if segment in (".", ".."):  # a dot segment would move the link up the path
            segment = segment.replace(".", "%2E")
        return f"{self.prefix}{segment}{self.suffix}"


def salesforce_base(instance_url: str | None) -> str | None:
    """`https://host` of a valid Salesforce instance URL, else None."""
    if not instance_url:
        return None
    try:
        parts = urlsplit(instance_url.strip())
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if (
        parts.scheme.lower() != "https"
        or parts.username is not None
        or parts.password is not None
        or port not in (None, 443)
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or not _SALESFORCE_HOST.fullmatch(host)
    ):
        return None
    return f"https://{host}"


def hubspot_domain(ui_domain: str | None) -> str | None:
    """A valid HubSpot UI host (default app.hubspot.com), else None."""
    host = (ui_domain or DEFAULT_HUBSPOT_UI_DOMAIN).strip().lower()
    return host if _HUBSPOT_HOST.fullmatch(host) else None


def links_from(settings: dict[str, str]) -> CrmLinks:
    """The links a store with these meta settings gets."""
    origin = (settings.get("origin") or "").strip().lower()
    if not origin:
        has_salesforce = bool(settings.get("salesforce_instance_url"))
        has_hubspot = bool(settings.get("hubspot_portal_id"))
        origin = (
            SALESFORCE if has_salesforce and not has_hubspot else HUBSPOT if has_hubspot and not has_salesforce else ""
        )
    if origin == SALESFORCE:
        base = salesforce_base(settings.get("salesforce_instance_url"))
        if base is None:
            return CrmLinks(problem="the Salesforce instance URL is missing or not an https Salesforce address")
        return CrmLinks(SALESFORCE, f"{base}/lightning/r/Lead/", "/view")
    if origin == HUBSPOT:
        portal = (settings.get("hubspot_portal_id") or "").strip()
        domain = hubspot_domain(settings.get("hubspot_ui_domain"))
        if not _PORTAL_ID.fullmatch(portal):
            return CrmLinks(problem="the HubSpot portal id is missing or not a number")
        if domain is None:
            return CrmLinks(
                problem="the HubSpot app domain is not HubSpot's (app.hubspot.com or app-<region>.hubspot.com)"
            )
        return CrmLinks(HUBSPOT, f"https://{domain}/contacts/{portal}/record/0-1/", "")
    return CrmLinks()


def store_links(model: Model) -> CrmLinks:
    """The CRM links of the model's store, from its meta settings."""
    rows = run_sql(model.con.cursor(), sql_text("crm_settings.sql"), {})
    return links_from({str(k): str(v) for k, v in zip(rows["key"], rows["value"], strict=True) if v is not None})
