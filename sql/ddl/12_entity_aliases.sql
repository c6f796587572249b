-- Every surface form an entity was seen under, and how it was resolved to it (name, spelling,
-- alias_list, short_form): what analysts read to see what was merged and why.
create table if not exists entity_aliases (
    alias varchar not null,
    entity_id varchar not null,
    resolution varchar not null,
    primary key (alias, entity_id)
);
