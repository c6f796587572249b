-- A surface form already known for its entity is not added twice.
insert into entity_aliases by name select * from batch_entity_aliases
on conflict (alias, entity_id) do nothing;
