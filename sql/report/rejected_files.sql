-- The most recent rejected files with their reasons.
select
    source_file,
    reason,
    detail,
    run_id,
    rejected_at
from rejected_files
order by rejected_at desc nulls last, source_file
limit $limit
