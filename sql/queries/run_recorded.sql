-- A run's batch and records are committed together, so its pipeline_runs row marks both.
select count(*) > 0 as recorded from pipeline_runs where run_id = ?;
