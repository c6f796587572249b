insert into pipeline_runs by name select * from batch_pipeline_runs;
