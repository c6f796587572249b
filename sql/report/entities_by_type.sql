-- Distinct entities per entity type.
select
    coalesce(entity_type, '(none)') as entity_type,
    count(*) as entities
from entities
group by all
order by entities desc, entity_type
