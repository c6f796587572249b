select * from source_files;
