select * from pipeline_runs;
