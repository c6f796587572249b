-- The most recent runs, newest first.
select *
from pipeline_runs
order by started_at desc nulls last, run_id desc
limit $limit
