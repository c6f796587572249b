-- An id merged earlier into an entity merged now names the entity it was merged into.
update entity_id_merges
set entity_id = pending.entity_id
from pending_entity_merges as pending
where entity_id_merges.entity_id = pending.merged_id;
