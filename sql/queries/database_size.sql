-- The block size and the blocks in use that the DuckDB file's header counts: a file shorter
-- than those blocks was cut short (flows.store.warehouse.check_whole). Free blocks at the end
-- may be missing from a healthy file, so they do not count.
select block_size, used_blocks from pragma_database_size() where database_name = current_database();
