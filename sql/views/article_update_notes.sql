-- Update notes with the headline and date of the article they belong to.
create or replace view article_update_notes as
select
    articles.story_id,
    articles.version,
    articles.published_date,
    articles.headline,
    update_notes.*
from update_notes
join articles using (article_id);
