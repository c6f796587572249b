insert into run_stages by name select * from batch_run_stages;
