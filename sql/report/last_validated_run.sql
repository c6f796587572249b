-- The most recent run with expectation results: a run that read no new file validates nothing,
-- and a run that broke before validation has none.
select *
from pipeline_runs
where run_id in (select run_id from dq_results)
order by started_at desc nulls last, run_id desc
limit 1
