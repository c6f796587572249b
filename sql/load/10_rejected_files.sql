insert into rejected_files by name select * from batch_rejected_files;
