-- Mentions per entity per publication day: how often, and in how many stories.
create or replace view entity_mentions_daily as
select
    entities.entity_id,
    entities.name,
    entities.entity_type,
    articles.published_date,
    count(distinct articles.story_id) as stories,
    count(*) as articles,
    sum(entity_mentions.mention_count) as mentions
from entity_mentions
join entities using (entity_id)
join articles using (article_id)
group by all;
