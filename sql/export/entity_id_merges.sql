select * from entity_id_merges;
