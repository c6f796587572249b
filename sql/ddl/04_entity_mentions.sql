-- One row per entity per article.
create table if not exists entity_mentions (
    article_id varchar not null,
    entity_id varchar not null,
    mention_count integer not null,
    first_paragraph_no integer not null,
    surface_forms varchar[] not null,
    entity_type varchar
);
-- Warehouses made before each mention kept its story's type gain the column.
alter table entity_mentions add column if not exists entity_type varchar;
