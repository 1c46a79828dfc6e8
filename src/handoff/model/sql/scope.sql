-- handoff_scope: one row per handoff of the selection (the rows of lead_handoff that the
-- filters keep). Every aggregate reads this table macro as `handoff_scope($filters)`, so the
-- sidebar's filters mean the same thing everywhere. `filters` is one STRUCT: the MQL dates,
-- one list per filtered dimension (NULL: all) and the placeholders of empty values.
-- `{conditions}` is written by handoff.model.dimensions from its declared dimensions.
-- (A table macro on DuckDB, a temporary view per question on Spark: snippets/<engine>/table_macro.sql.)
{table_macro(handoff_scope, filters)}
SELECT *
FROM lead_handoff
WHERE {conditions}
