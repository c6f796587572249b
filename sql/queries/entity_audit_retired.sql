-- The ids retired into another entity, by how (entity_id_merges.resolution: archive-level
-- short forms, or a full refresh that resolved their mentions anew), for `newswire eval`.
-- None in a warehouse made before entity_id_merges existed (its next run creates the table).
select resolution, count(*) from entity_id_merges group by resolution order by resolution
