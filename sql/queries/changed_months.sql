-- The Parquet store's partitions (publication months) a load changes, run while the batch's
-- views exist: the months of its new articles (every partitioned table gains rows there), and
-- of the earlier versions it renumbered (their articles rows change). The month is the same
-- expression as the export's partition key (sql/export/articles.sql).
select distinct strftime(published_date, '%Y-%m') as published_month, true as new_rows
from batch_articles
union
select distinct strftime(articles.published_date, '%Y-%m'), false
from articles
join batch_version_changes using (article_id);
