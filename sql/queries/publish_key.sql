-- Names a published version of the warehouse: every publish adds exactly one run row.
select count(*) as runs, max(run_id) as last_run
from pipeline_runs;
