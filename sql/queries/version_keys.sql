-- What story versioning needs to know about every article already loaded.
select
    articles.article_id,
    articles.published_date,
    articles.headline_key,
    articles.lede_key,
    count(update_notes.note_no)::integer as note_count,
    articles.paragraph_count,
    articles.story_id,
    articles.version,
    articles.is_latest
from articles
left join update_notes on update_notes.article_id = articles.article_id
group by all;
