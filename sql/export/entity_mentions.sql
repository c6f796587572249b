-- Carries the article's publication month, the store's partition key.
select entity_mentions.*, strftime(articles.published_date, '%Y-%m') as published_month
from entity_mentions
join articles using (article_id);
