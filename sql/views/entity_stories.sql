-- Every story version that mentions an entity, with its update notes gathered in one list.
create or replace view entity_stories as
with notes_per_article as (
    select
        article_id,
        list(text order by note_no) as update_notes,
        list_distinct(flatten(list(actions))) as note_actions
    from update_notes
    group by article_id
)

select
    entities.entity_id,
    entities.name,
    entities.entity_type,
    articles.story_id,
    articles.article_id,
    articles.version,
    articles.is_latest,
    articles.published_date,
    articles.headline,
    entity_mentions.mention_count,
    entity_mentions.first_paragraph_no,
    coalesce(notes_per_article.update_notes, []) as update_notes,
    coalesce(notes_per_article.note_actions, []) as note_actions
from entity_mentions
join entities using (entity_id)
join articles using (article_id)
left join notes_per_article using (article_id);
