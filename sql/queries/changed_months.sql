-- The Parquet store's partitions (publication months) a load changes, run while the batch's
-- views exist: the months of its new articles (every partitioned table gains rows there), of
-- the earlier versions it renumbered (their articles rows change), and of the articles whose
-- mentions an archive merge moved (their entity_mentions rows change; temp table from
-- sql/load/05_entity_merges_02_articles.sql). The month is the same expression as the export's
-- partition key (sql/export/articles.sql).
select distinct strftime(published_date, '%Y-%m') as published_month, 'new' as change
from batch_articles
union
select distinct strftime(articles.published_date, '%Y-%m'), 'renumbered'
from articles
join batch_version_changes using (article_id)
union
select distinct strftime(articles.published_date, '%Y-%m'), 'remapped'
from articles
join merged_articles using (article_id);
