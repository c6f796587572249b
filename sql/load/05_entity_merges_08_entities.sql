-- The kept entity gains the merged one's forms and keeps its own (fuller) name.
update entities
set aliases = list_sort(list_distinct(list_concat(entities.aliases, merged.aliases)))
from (
    select pending.entity_id, flatten(list(gone.aliases)) as aliases
    from pending_entity_merges as pending
    inner join entities as gone on pending.merged_id = gone.entity_id
    group by pending.entity_id
) as merged
where entities.entity_id = merged.entity_id;
