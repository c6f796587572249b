-- The articles whose mentions a merge moves (their Parquet partitions are rewritten).
create or replace temp table merged_articles as
select distinct article_id
from entity_mentions
where entity_id in (select merged_id from pending_entity_merges);
