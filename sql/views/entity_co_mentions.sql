-- Pairs of entities named in the same story (latest version), with how many stories share them.
create or replace view entity_co_mentions as
with latest_mentions as (
    select articles.story_id, entity_mentions.entity_id
    from entity_mentions
    join articles using (article_id)
    where articles.is_latest
)

select
    left_side.entity_id as entity_id,
    left_entity.name as name,
    left_entity.entity_type as entity_type,
    right_side.entity_id as other_entity_id,
    right_entity.name as other_name,
    right_entity.entity_type as other_entity_type,
    count(distinct left_side.story_id) as stories
from latest_mentions as left_side
join latest_mentions as right_side
    on left_side.story_id = right_side.story_id and left_side.entity_id <> right_side.entity_id
join entities as left_entity on left_entity.entity_id = left_side.entity_id
join entities as right_entity on right_entity.entity_id = right_side.entity_id
group by all;
