-- The most recent pipeline run, whatever its status.
select *
from pipeline_runs
order by started_at desc nulls last, run_id desc
limit 1
