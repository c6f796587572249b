-- Every expectation that failed in one of the most recent runs, with its outcome in each of them
-- (success is null where the run did not evaluate it), oldest run first.
with recent as (
    select run_id, started_at, status
    from pipeline_runs
    order by started_at desc nulls last, run_id desc
    limit $limit
),

failing as (
    select distinct d.table_name, d.expectation, d.severity
    from dq_results as d
    inner join recent as r on r.run_id = d.run_id
    where not d.success
)

select
    f.table_name,
    f.expectation,
    f.severity,
    r.run_id,
    r.started_at,
    r.status,
    d.success,
    d.unexpected_count
from failing as f
cross join recent as r
left join dq_results as d
    on
        d.run_id = r.run_id
        and d.table_name = f.table_name
        and d.expectation = f.expectation
        and d.severity is not distinct from f.severity
order by f.severity = 'error' desc, f.table_name, f.expectation, r.started_at nulls first, r.run_id
