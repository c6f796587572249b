-- Each update note's actions as rows: GX checks scalars, not lists
-- (expectations/update_note_actions.json).
create or replace table update_note_actions as
select article_id, note_no, unnest(actions) as action
from update_notes;
