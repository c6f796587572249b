-- Carries the article's publication month, the store's partition key.
select update_notes.*, strftime(articles.published_date, '%Y-%m') as published_month
from update_notes
join articles using (article_id);
