-- Ids that an archive-level merge retired, and the entity each now names: an id an analyst
-- saved before the merge still resolves (view entity_ids). Kept through a full refresh.
create table if not exists entity_id_merges (
    merged_id varchar primary key,
    entity_id varchar not null,
    alias varchar not null,
    resolution varchar not null
);
