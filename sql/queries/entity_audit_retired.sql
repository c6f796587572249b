-- How many ids the archive-level merges retired, for `newswire eval`; 0 in a warehouse made
-- before entity_id_merges existed (its next run creates the table).
select count(*) from entity_id_merges
