-- One table is copied again whole ($1: the table).
delete from copied_files where table_name = $1;
