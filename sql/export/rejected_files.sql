select * from rejected_files;
