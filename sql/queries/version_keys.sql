-- What story versioning needs to know about every article already loaded. paragraph_prints
-- must equal flows.versions.paragraph_print of each numbered story paragraph.
with note_counts as (
    select article_id, count(*)::integer as note_count
    from update_notes
    group by article_id
),

paragraph_prints as (
    select
        article_id,
        list(
            distinct left(
                md5(
                    left(
                        lower(trim(regexp_replace(left(text, 160), '[^A-Za-z0-9]+', ' ', 'g'))),
                        120
                    )
                ),
                8
            )
        ) as paragraph_prints
    from paragraphs
    where paragraph_no is not null
    group by article_id
)

select
    articles.article_id,
    articles.published_date,
    articles.headline_key,
    articles.lede_key,
    coalesce(note_counts.note_count, 0) as note_count,
    articles.paragraph_count,
    articles.story_id,
    articles.version,
    articles.is_latest,
    paragraph_prints.paragraph_prints
from articles
left join note_counts on note_counts.article_id = articles.article_id
left join paragraph_prints on paragraph_prints.article_id = articles.article_id;
