select * from run_stages;
