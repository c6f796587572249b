-- Entities mentioned by the most articles, counting each story's latest version once.
select
    e.entity_id,
    e.name,
    e.entity_type,
    count(distinct m.article_id) as articles,
    sum(m.mention_count) as mentions
from entity_mentions as m
inner join articles as a on a.article_id = m.article_id and a.is_latest
inner join entities as e on e.entity_id = m.entity_id
group by e.entity_id, e.name, e.entity_type
order by articles desc, mentions desc, e.name
limit $limit
