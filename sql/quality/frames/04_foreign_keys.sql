-- One row per distinct child key; missing_key holds it when no parent row in the batch has it
-- (expectations/foreign_keys.json), so GX reports the orphaned keys themselves.
create or replace table foreign_keys as
with child_keys as (
    select distinct 'paragraphs.article_id' as reference, article_id as key
    from paragraphs where article_id is not null
    union all
    select distinct 'entity_mentions.article_id', article_id
    from entity_mentions where article_id is not null
    union all
    select distinct 'entity_mentions.entity_id', entity_id
    from entity_mentions where entity_id is not null
    union all
    select distinct 'update_notes.article_id', article_id
    from update_notes where article_id is not null
    union all
    select distinct 'related_links.article_id', article_id
    from related_links where article_id is not null
)
select
    c.reference,
    c.key,
    case when e.entity_id is null and a.article_id is null then c.key end as missing_key
from child_keys as c
left join (select distinct entity_id from entities) as e
    on c.reference = 'entity_mentions.entity_id' and e.entity_id = c.key
left join (select distinct article_id from articles) as a
    on c.reference <> 'entity_mentions.entity_id' and a.article_id = c.key
order by c.reference, c.key;
