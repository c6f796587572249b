-- The latest runs for `newswire status`, newest first.
select
    run_id,
    started_at,
    status,
    files_seen as seen,
    files_new as new,
    files_skipped as skipped,
    files_rejected as rejected,
    articles_loaded as loaded,
    round(epoch(finished_at - started_at), 1) as seconds,
    message
from pipeline_runs
order by started_at desc nulls last, run_id desc
limit ?;
