-- A run's records (pipeline_runs, dq_results, run_stages) are committed together.
select count(*) > 0 as recorded from pipeline_runs where run_id = ?;
