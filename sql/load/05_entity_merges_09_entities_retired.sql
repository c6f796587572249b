-- The merged id leaves entities and is recorded with the entity it now names, so an id saved
-- before the merge still resolves (view entity_ids).
delete from entities where entity_id in (select merged_id from pending_entity_merges);
