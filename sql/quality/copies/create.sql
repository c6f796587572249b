-- The staged Parquet files each table of a validation database was copied from, as they were
-- then (a file rewritten in place has another size, time or inode), so a later build copies
-- only the files added since (flows.quality.database.copy_ahead).
create table if not exists copied_files (
    table_name varchar not null,
    file varchar not null,
    size_bytes bigint not null,
    mtime_ns bigint not null,
    inode bigint not null
);
