-- Every load writes the run's id into source_files (new files' rows, and last_seen_run of the
-- files seen again), so a committed batch leaves it there: a retried load must stop.
select count(*) > 0 as loaded from source_files where last_seen_run = ?;
