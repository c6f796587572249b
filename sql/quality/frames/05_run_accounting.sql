-- The run's file counts beside the rows the whole batch holds for them
-- (expectations/run_accounting.json). Files a rerun found unchanged are recorded in
-- unchanged_files rather than source_files, and count as seen files' rows too.
-- $status is the run status a batch that passes the gate is recorded with.
create or replace table run_accounting as
select
    $files_seen::bigint as files_seen,
    $files_new::bigint as files_new,
    $files_skipped::bigint as files_skipped,
    $files_rejected::bigint as files_rejected,
    $files_duplicate::bigint as files_duplicate,
    $files_unchanged::bigint as files_unchanged,
    ($files_seen - $files_new - $files_skipped - $files_rejected)::bigint as unaccounted,
    (select count(*) from source_files) + (select count(*) from unchanged_files)
        as source_file_rows,
    (select count(*) from rejected_files) as rejected_file_rows,
    (select count(*) from articles) as batch_articles,
    $status::varchar as status;
