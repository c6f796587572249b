insert into update_notes by name select * from batch_update_notes;
