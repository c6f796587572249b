-- Those articles' mentions of both ids, as one row per article and entity: counts added, the
-- first paragraph the earliest, forms together. The type is the kept entity's: the story named
-- it only by a short form, which the archive resolved (as a story's own short forms take the
-- type of the name they resolve to).
create or replace temp table merged_mentions as
select
    mentions.article_id,
    coalesce(pending.entity_id, mentions.entity_id) as entity_id,
    sum(mentions.mention_count)::integer as mention_count,
    min(mentions.first_paragraph_no) as first_paragraph_no,
    list_sort(list_distinct(flatten(list(mentions.surface_forms)))) as surface_forms,
    first(
        coalesce(pending.entity_type, mentions.entity_type)
        order by pending.merged_id is not null, mentions.entity_type
    ) as entity_type
from entity_mentions as mentions
left join pending_entity_merges as pending on mentions.entity_id = pending.merged_id
where mentions.article_id in (select article_id from merged_articles)
    and (
        mentions.entity_id in (select merged_id from pending_entity_merges)
        or mentions.entity_id in (select entity_id from pending_entity_merges)
    )
group by mentions.article_id, coalesce(pending.entity_id, mentions.entity_id);
