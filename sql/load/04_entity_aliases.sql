-- A surface form already known for its entity is not added twice; rows loaded before forms
-- kept their own id gain it.
insert into entity_aliases by name select * from batch_entity_aliases
on conflict (alias, entity_id) do update
set alias_entity_id = coalesce(entity_aliases.alias_entity_id, excluded.alias_entity_id);
