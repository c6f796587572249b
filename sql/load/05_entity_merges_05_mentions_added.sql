insert into entity_mentions by name select * from merged_mentions;
