-- The newest run before this one ($1) that published a Parquet snapshot: every run but a
-- 'failed' one, whose only rows are its own records.
select run_id
from pipeline_runs
where status <> 'failed' and run_id <> $1
order by started_at desc, run_id desc
limit 1;
