-- handoff_scope: the handoffs a view is about. Every aggregate reads this table macro, so
-- the sidebar's filters mean the same thing everywhere. A NULL argument means "all".
CREATE OR REPLACE MACRO handoff_scope(date_from, date_to, sources, tiers, teams, owners, segments) AS TABLE
SELECT *
FROM lead_handoff
WHERE (date_from IS NULL OR mql_date >= date_from)
  AND (date_to IS NULL OR mql_date <= date_to)
  AND (sources IS NULL OR list_contains(sources, coalesce(source, '(none)')))
  AND (tiers IS NULL OR list_contains(tiers, tier))
  AND (teams IS NULL OR list_contains(teams, coalesce(team, '(unassigned)')))
  AND (owners IS NULL OR list_contains(owners, coalesce(owner_id, '(unassigned)')))
  AND (segments IS NULL OR list_contains(segments, coalesce(segment, '(none)')))
