-- The block size and the number of blocks the DuckDB file's header counts: a file shorter
-- than its header promises was cut short (flows.store.warehouse.check_whole).
select block_size, total_blocks from pragma_database_size() where database_name = current_database();
