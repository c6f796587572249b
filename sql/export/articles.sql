-- Partitioned by publication month so engines reading the Parquet store can prune.
select *, strftime(published_date, '%Y-%m') as published_month
from articles;
