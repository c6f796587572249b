-- A form's resolution is relative to the entity's name in the warehouse, not to the name its
-- batch chose: a later batch that spelled the name otherwise ('Brindlemoor Shipping Ltd.' for
-- 'Brindlemoor Shipping') records a spelling, as a full refresh of the same stories would.
update entity_aliases
set resolution = case when entity_aliases.alias = entities.name then 'name' else 'spelling' end
from entities
where entity_aliases.entity_id = entities.entity_id
    and entity_aliases.resolution in ('name', 'spelling')
    and (entity_aliases.resolution = 'name') <> (entity_aliases.alias = entities.name)
    and entity_aliases.entity_id in (select entity_id from batch_entities);
