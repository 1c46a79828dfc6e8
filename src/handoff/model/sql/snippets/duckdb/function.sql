-- function(name, parameters...): a function definition (units.sql, business_time.sql,
-- functions.sql) as a DuckDB macro, for SQL that is run without compose.render.
CREATE OR REPLACE MACRO {name}({parameters}) AS
