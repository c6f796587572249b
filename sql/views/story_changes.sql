-- What changed from one version of a story to the next, paragraph by paragraph, and whether
-- the update notes of the later version name the paragraphs that really changed.
--
-- One row per numbered story paragraph (the numbering update notes use) of a later version
-- that was added or changed, per paragraph of the previous version that was removed, and per
-- paragraph a note of the later version names even though it did not change ('unchanged') or
-- does not exist ('missing').
--
-- Alignment: paragraphs with the same text (spaces collapsed) are the same paragraph wherever
-- they stand; of the rest, a later and an earlier paragraph are one changed paragraph when
-- each is the other's most similar (share of distinct words in common >= 0.3, nearer
-- position first on ties); what is left was added (later) or removed (earlier).
create or replace view story_changes as
with version_pairs as (
    select
        later.story_id,
        later.version,
        later.article_id,
        earlier.article_id as previous_article_id
    from articles as later
    inner join articles as earlier
        on earlier.story_id = later.story_id and earlier.version = later.version - 1
),

numbered_paragraphs as (
    select
        paragraphs.article_id,
        paragraphs.paragraph_no,
        paragraphs.text,
        regexp_replace(trim(paragraphs.text), '\s+', ' ', 'g') as text_key
    from paragraphs
    semi join (
        select article_id from version_pairs
        union all
        select previous_article_id from version_pairs
    ) as versioned on versioned.article_id = paragraphs.article_id
    where paragraphs.paragraph_no is not null
),

later_paragraphs as (
    select
        version_pairs.*,
        numbered_paragraphs.paragraph_no,
        numbered_paragraphs.text,
        numbered_paragraphs.text_key,
        row_number() over (
            partition by version_pairs.article_id, numbered_paragraphs.text_key
            order by numbered_paragraphs.paragraph_no
        ) as occurrence
    from version_pairs
    inner join numbered_paragraphs on numbered_paragraphs.article_id = version_pairs.article_id
),

earlier_paragraphs as (
    select
        version_pairs.*,
        numbered_paragraphs.paragraph_no as previous_paragraph_no,
        numbered_paragraphs.text,
        numbered_paragraphs.text_key,
        row_number() over (
            partition by version_pairs.article_id, numbered_paragraphs.text_key
            order by numbered_paragraphs.paragraph_no
        ) as occurrence
    from version_pairs
    inner join numbered_paragraphs
        on numbered_paragraphs.article_id = version_pairs.previous_article_id
),

same_text as (
    select
        later_paragraphs.article_id,
        later_paragraphs.paragraph_no,
        earlier_paragraphs.previous_paragraph_no
    from later_paragraphs
    inner join earlier_paragraphs
        on earlier_paragraphs.article_id = later_paragraphs.article_id
        and earlier_paragraphs.text_key = later_paragraphs.text_key
        and earlier_paragraphs.occurrence = later_paragraphs.occurrence
),

later_unmatched as (
    select
        later_paragraphs.*,
        list_distinct(
            list_filter(regexp_split_to_array(lower(text), '[^a-z0-9]+'), lambda word: word <> '')
        ) as words
    from later_paragraphs
    anti join same_text
        on same_text.article_id = later_paragraphs.article_id
        and same_text.paragraph_no = later_paragraphs.paragraph_no
),

earlier_unmatched as (
    select
        earlier_paragraphs.*,
        list_distinct(
            list_filter(regexp_split_to_array(lower(text), '[^a-z0-9]+'), lambda word: word <> '')
        ) as words
    from earlier_paragraphs
    anti join same_text
        on same_text.article_id = earlier_paragraphs.article_id
        and same_text.previous_paragraph_no = earlier_paragraphs.previous_paragraph_no
),

similar_pairs as (
    select
        later_unmatched.article_id,
        later_unmatched.paragraph_no,
        earlier_unmatched.previous_paragraph_no,
        len(list_intersect(later_unmatched.words, earlier_unmatched.words)) / greatest(
            len(list_distinct(list_concat(later_unmatched.words, earlier_unmatched.words))), 1
        ) as similarity
    from later_unmatched
    inner join earlier_unmatched on earlier_unmatched.article_id = later_unmatched.article_id
),

ranked_pairs as (
    select
        *,
        row_number() over (
            partition by article_id, paragraph_no
            order by
                similarity desc, abs(paragraph_no - previous_paragraph_no), previous_paragraph_no
        ) as rank_for_later,
        row_number() over (
            partition by article_id, previous_paragraph_no
            order by similarity desc, abs(paragraph_no - previous_paragraph_no), paragraph_no
        ) as rank_for_earlier
    from similar_pairs
    where similarity >= 0.3
),

changed_pairs as (
    select article_id, paragraph_no, previous_paragraph_no, similarity
    from ranked_pairs
    where rank_for_later = 1 and rank_for_earlier = 1
),

named_paragraphs as (
    select article_id, paragraph_no, list(distinct note_no order by note_no) as note_nos
    from (
        select update_notes.article_id, update_notes.note_no, unnest(update_notes.paragraph_refs)
            as paragraph_no
        from update_notes
        inner join version_pairs on version_pairs.article_id = update_notes.article_id
    )
    group by article_id, paragraph_no
),

differences as (
    select
        later_unmatched.story_id,
        later_unmatched.version,
        later_unmatched.article_id,
        later_unmatched.previous_article_id,
        case when changed_pairs.paragraph_no is null then 'added' else 'changed' end as change,
        later_unmatched.paragraph_no,
        changed_pairs.previous_paragraph_no,
        changed_pairs.similarity
    from later_unmatched
    left join changed_pairs
        on changed_pairs.article_id = later_unmatched.article_id
        and changed_pairs.paragraph_no = later_unmatched.paragraph_no

    union all

    select
        earlier_unmatched.story_id,
        earlier_unmatched.version,
        earlier_unmatched.article_id,
        earlier_unmatched.previous_article_id,
        'removed' as change,
        null as paragraph_no,
        earlier_unmatched.previous_paragraph_no,
        null as similarity
    from earlier_unmatched
    anti join changed_pairs
        on changed_pairs.article_id = earlier_unmatched.article_id
        and changed_pairs.previous_paragraph_no = earlier_unmatched.previous_paragraph_no

    union all

    select
        version_pairs.story_id,
        version_pairs.version,
        version_pairs.article_id,
        version_pairs.previous_article_id,
        'unchanged' as change,
        same_text.paragraph_no,
        same_text.previous_paragraph_no,
        1.0 as similarity
    from same_text
    inner join version_pairs on version_pairs.article_id = same_text.article_id
    semi join named_paragraphs
        on named_paragraphs.article_id = same_text.article_id
        and named_paragraphs.paragraph_no = same_text.paragraph_no

    union all

    select
        version_pairs.story_id,
        version_pairs.version,
        version_pairs.article_id,
        version_pairs.previous_article_id,
        'missing' as change,
        named_paragraphs.paragraph_no,
        null as previous_paragraph_no,
        null as similarity
    from named_paragraphs
    inner join version_pairs on version_pairs.article_id = named_paragraphs.article_id
    anti join later_paragraphs
        on later_paragraphs.article_id = named_paragraphs.article_id
        and later_paragraphs.paragraph_no = named_paragraphs.paragraph_no
)

select
    differences.story_id,
    differences.version,
    differences.article_id,
    differences.previous_article_id,
    differences.change,
    differences.paragraph_no,
    differences.previous_paragraph_no,
    later_text.text,
    earlier_text.text as previous_text,
    differences.similarity,
    named_paragraphs.note_nos is not null as named_in_note,
    named_paragraphs.note_nos,
    case
        when named_paragraphs.note_nos is not null
            then differences.change in ('added', 'changed')
    end as note_ref_confirmed
from differences
left join numbered_paragraphs as later_text
    on later_text.article_id = differences.article_id
    and later_text.paragraph_no = differences.paragraph_no
left join numbered_paragraphs as earlier_text
    on earlier_text.article_id = differences.previous_article_id
    and earlier_text.paragraph_no = differences.previous_paragraph_no
left join named_paragraphs
    on named_paragraphs.article_id = differences.article_id
    and named_paragraphs.paragraph_no = differences.paragraph_no;
