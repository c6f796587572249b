insert into entity_mentions by name select * from batch_entity_mentions;
