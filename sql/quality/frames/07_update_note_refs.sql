-- Each update note's paragraph references as rows, beside its article's paragraph count
-- (expectations/update_note_refs.json).
create or replace table update_note_refs as
with refs as (
    select article_id, note_no, unnest(paragraph_refs) as paragraph_ref
    from update_notes
)
select r.article_id, r.note_no, r.paragraph_ref, a.paragraph_count
from refs as r
left join articles as a on a.article_id = r.article_id;
