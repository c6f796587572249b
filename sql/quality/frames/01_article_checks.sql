-- One row per batch article with what its paragraphs and mentions say about it
-- (expectations/article_checks.json). Subheads are story parts editors do not number, so
-- they are counted apart from numbered paragraphs. Nulls are the tables' own suites' to
-- report; here they only must not break the frame.
create or replace table article_checks as
with by_paragraphs as (
    select
        article_id,
        count(*) filter (where kind = 'story') as story_paragraphs,
        count(paragraph_no) as numbered_paragraphs,
        case when max(paragraph_no) < 0 then 0 else max(paragraph_no) end as max_paragraph_no,
        count(*) as parts,
        case when max(position) < 0 then 0 else max(position) end as max_position
    from paragraphs
    group by article_id
),
by_mentions as (
    select
        article_id,
        count(*) as entity_count,
        case when max(first_paragraph_no) < 0 then 0 else max(first_paragraph_no) end
            as max_mention_paragraph
    from entity_mentions
    group by article_id
)
select
    a.article_id,
    a.paragraph_count,
    coalesce(p.story_paragraphs, 0) as story_paragraphs,
    coalesce(p.numbered_paragraphs, 0) as numbered_paragraphs,
    p.max_paragraph_no,
    coalesce(p.parts, 0) as parts,
    p.max_position,
    coalesce(m.entity_count, 0) as entity_count,
    m.max_mention_paragraph,
    length(a.headline) as headline_length,
    a.word_count,
    a.paragraph_count - coalesce(p.story_paragraphs, 0) as paragraph_count_gap,
    coalesce(m.entity_count, 0) > 0 as has_entity
from articles as a
left join by_paragraphs as p on p.article_id = a.article_id
left join by_mentions as m on m.article_id = a.article_id;
