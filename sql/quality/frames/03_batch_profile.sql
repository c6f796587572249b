-- One row of batch-wide statistics that flag a broken extractor
-- (expectations/batch_profile.json); no row for a batch without articles.
create or replace table batch_profile as
select
    count(*) as articles,
    avg(entity_count)::double as mean_entities_per_article,
    avg(case when has_entity then 0 else 1 end)::double as share_without_entity,
    avg(headline_length)::double as mean_headline_length,
    avg(word_count)::double as mean_word_count
from article_checks
having count(*) > 0;
