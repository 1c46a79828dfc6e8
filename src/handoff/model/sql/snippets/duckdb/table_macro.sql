-- table_macro(name, parameters...): what makes a table macro file's query a table macro, read
-- as `name(arguments)`; its parameters are read in the query by name.
CREATE OR REPLACE MACRO {name}({parameters}) AS TABLE
