-- crm_settings: one row per store setting that the CRM links of the call list read (the
-- store's origin, the Salesforce instance URL, the HubSpot portal id and UI domain), as the
-- connectors or the file import wrote them; a setting never written has no row.
SELECT key, value
FROM meta
WHERE key IN ('origin', 'salesforce_instance_url', 'hubspot_portal_id', 'hubspot_ui_domain')
ORDER BY key
