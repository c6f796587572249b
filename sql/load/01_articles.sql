insert into articles by name select * from batch_articles;
