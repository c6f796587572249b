-- Tables and views of the warehouse, so the report can skip what a young warehouse lacks.
select table_name
from information_schema.tables
where table_schema = 'main'
order by table_name
