-- Files the quality checks rejected in runs other than the one the report shows.
select
    count(*) as files,
    count(distinct run_id) as runs
from rejected_files
where starts_with(reason, 'dq_') and run_id is distinct from $run_id
