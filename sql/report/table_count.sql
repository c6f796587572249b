-- Current row count of one table; the name is bound, never formatted into the query.
select count(*) as row_count
from query_table($table_name)
