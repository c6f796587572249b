-- One type per entity, decided from all its mentions: the type most articles gave it (ties go
-- to the name that sorts first), for the entities this batch mentions and those it merged into.
update entities
set entity_type = voted.entity_type
from (
    select entity_id, first(entity_type order by articles desc, entity_type) as entity_type
    from (
        select entity_id, entity_type, count(*) as articles
        from entity_mentions
        where entity_type is not null
            and entity_id in (
                select entity_id from batch_entities
                union all
                select entity_id from pending_entity_merges
            )
        group by entity_id, entity_type
    )
    group by entity_id
) as voted
where entities.entity_id = voted.entity_id and entities.entity_type <> voted.entity_type;
