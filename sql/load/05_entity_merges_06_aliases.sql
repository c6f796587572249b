-- The merged entity's forms become forms of the kept one, resolved across the archive.
insert into entity_aliases by name
select aliases.alias, pending.entity_id, pending.resolution, aliases.alias_entity_id
from entity_aliases as aliases
inner join pending_entity_merges as pending on aliases.entity_id = pending.merged_id
on conflict (alias, entity_id) do nothing;
