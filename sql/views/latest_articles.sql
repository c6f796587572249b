-- The newest version of every story.
create or replace view latest_articles as
select *
from articles
where is_latest;
