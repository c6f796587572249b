-- Expectation results of one run: failures first, errors before warnings.
select
    table_name,
    expectation,
    severity,
    success,
    unexpected_count,
    details
from dq_results
where run_id = $run_id
order by
    success nulls first,
    severity = 'error' desc nulls last,
    table_name,
    expectation
