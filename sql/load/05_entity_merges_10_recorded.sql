insert into entity_id_merges by name
select merged_id, entity_id, alias, resolution from pending_entity_merges
on conflict (merged_id) do nothing;
