-- Carries the article's publication month, the store's partition key.
select paragraphs.*, strftime(articles.published_date, '%Y-%m') as published_month
from paragraphs
join articles using (article_id);
