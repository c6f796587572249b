insert into dq_results by name select * from batch_dq_results;
