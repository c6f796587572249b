-- The most recently ingested stories (latest versions), to eyeball what the parser produced.
select
    story_id,
    version,
    published_date,
    headline,
    wire,
    dateline,
    word_count,
    source_file
from articles
where is_latest
order by ingested_at desc nulls last, published_date desc nulls last, story_id
limit $limit
