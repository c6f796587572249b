-- Whether the validation database has a table of this name yet ($1: the table).
select 1 from duckdb_tables() where table_name = $1;
