-- A full refresh resolves the whole archive again, and a resolver that has learned since (a
-- fixed alias: 'BofA' is Bank of America) hands some mentions to another id than before. An id
-- that named an entity before the refresh and names none after it is retired here into the id
-- that now holds most of its stories' mentions of the same forms, so an id an analyst saved
-- still resolves (view entity_ids). The mentions as they were come from
-- sql/queries/truncate_batch_tables.sql; a load that is not a full refresh has none.
create temp table if not exists refreshed_mentions (
    entity_id varchar,
    article_id varchar,
    surface_forms varchar[]
);

insert into entity_id_merges by name
with vanished as (
    select distinct entity_id as merged_id
    from refreshed_mentions
    where entity_id not in (select entity_id from entities)
        and entity_id not in (select merged_id from entity_id_merges)
),
successors as (
    select
        vanished.merged_id,
        new_mentions.entity_id,
        min(
            list_min(list_intersect(new_mentions.surface_forms, old_mentions.surface_forms))
        ) as alias,
        count(distinct old_mentions.article_id) as stories
    from vanished
    inner join refreshed_mentions as old_mentions on old_mentions.entity_id = vanished.merged_id
    inner join entity_mentions as new_mentions
        on new_mentions.article_id = old_mentions.article_id
        and list_has_any(new_mentions.surface_forms, old_mentions.surface_forms)
    group by vanished.merged_id, new_mentions.entity_id
),
ranked as (
    select
        *,
        row_number() over (partition by merged_id order by stories desc, entity_id) as place
    from successors
)
select merged_id, entity_id, alias, 're_resolved' as resolution
from ranked
where place = 1;

-- An id retired earlier into an id this refresh retired names that id's successor now.
update entity_id_merges
set entity_id = successor.entity_id
from entity_id_merges as successor
where entity_id_merges.entity_id = successor.merged_id
    and successor.resolution = 're_resolved';

drop table refreshed_mentions;
