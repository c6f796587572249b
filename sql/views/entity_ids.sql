-- Every entity id newswire has handed out, current or merged since, with the entity it names
-- now: look up an id saved before a merge here ('where id = ?') and get today's entity.
create or replace view entity_ids as
select entities.entity_id as id, entities.entity_id, entities.name, entities.entity_type
from entities
union all
select merges.merged_id, entities.entity_id, entities.name, entities.entity_type
from entity_id_merges as merges
inner join entities on merges.entity_id = entities.entity_id
where merges.merged_id not in (select entity_id from entities);
