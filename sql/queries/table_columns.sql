-- Columns of one table or view, for the shell's .schema command.
select column_name, data_type
from information_schema.columns
where table_name = ?
order by ordinal_position;
