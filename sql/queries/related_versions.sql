-- Version keys of the loaded articles that this batch's new articles (batch_new_keys) can be
-- grouped with: every version of every story with an article that shares a new article's
-- headline within the version window ($1 days), or its lede (one that is not boilerplate yet:
-- $2 differently headlined articles). No other story can change, so grouping these articles
-- and the new ones equals grouping the whole warehouse (flows.versions.assign_versions), at a
-- cost that follows the batch, not the archive.
-- paragraph_prints must equal flows.versions.paragraph_print of each numbered story paragraph.
with boilerplate_ledes as (
    select lede_key
    from articles
    where lede_key <> ''
    group by lede_key
    having count(distinct headline_key) >= $2
),

touched_stories as (
    select articles.story_id
    from articles
    inner join batch_new_keys as new_keys
        on articles.headline_key = new_keys.headline_key
    where
        new_keys.headline_key <> ''
        and abs(date_diff('day', articles.published_date, new_keys.published_date)) <= $1
    union
    select articles.story_id
    from articles
    where
        articles.lede_key in (select lede_key from batch_new_keys where lede_key <> '')
        and articles.lede_key not in (select lede_key from boilerplate_ledes)
),

related as (
    select *
    from articles
    where story_id in (select story_id from touched_stories)
),

note_counts as (
    select article_id, count(*)::integer as note_count
    from update_notes
    where article_id in (select article_id from related)
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
    where paragraph_no is not null and article_id in (select article_id from related)
    group by article_id
)

select
    related.article_id,
    related.published_date,
    related.headline_key,
    related.lede_key,
    coalesce(note_counts.note_count, 0) as note_count,
    related.paragraph_count,
    related.story_id,
    related.version,
    related.is_latest,
    paragraph_prints.paragraph_prints
from related
left join note_counts on note_counts.article_id = related.article_id
left join paragraph_prints on paragraph_prints.article_id = related.article_id;
