-- Every surface form an entity was seen under, and how it was resolved to it (name, spelling,
-- alias_list, short_form, archive_short_form): what analysts read to see what was merged and
-- why. alias_entity_id is the id the form has on its own, which the load's archive merges read.
create table if not exists entity_aliases (
    alias varchar not null,
    entity_id varchar not null,
    resolution varchar not null,
    alias_entity_id varchar,
    primary key (alias, entity_id)
);
-- Warehouses made before the column gain it (null on their rows).
alter table entity_aliases add column if not exists alias_entity_id varchar;
