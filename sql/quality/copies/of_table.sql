-- The files one table holds the rows of, in the order they were staged ($1: the table).
select file, size_bytes, mtime_ns, inode
from copied_files
where table_name = $1
order by file;
