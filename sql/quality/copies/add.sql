-- One staged file copied into a table.
insert into copied_files values ($1, $2, $3, $4, $5);
