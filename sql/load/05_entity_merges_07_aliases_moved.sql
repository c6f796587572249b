delete from entity_aliases where entity_id in (select merged_id from pending_entity_merges);
