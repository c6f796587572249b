-- Carries the article's publication month, the store's partition key.
select related_links.*, strftime(articles.published_date, '%Y-%m') as published_month
from related_links
join articles using (article_id);
