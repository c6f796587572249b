-- Expectation pass counts of the most recent runs, oldest first; runs without results keep 0.
with recent as (
    select run_id, started_at, status
    from pipeline_runs
    order by started_at desc nulls last, run_id desc
    limit $limit
)
select
    r.run_id,
    r.started_at,
    r.status,
    count(d.run_id) as total,
    count(*) filter (where d.success) as passed,
    count(*) filter (where not d.success and d.severity = 'error') as failed_errors,
    count(*) filter (where not d.success and d.severity is distinct from 'error') as failed_warnings
from recent as r
left join dq_results as d on d.run_id = r.run_id
group by r.run_id, r.started_at, r.status
order by r.started_at nulls first, r.run_id
