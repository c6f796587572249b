-- Short forms across the archive: a story that names an entity only by a short form ('Xi')
-- gives it the short form's own id; when the archive's stories that give a name in full use
-- that short form for exactly one entity ('Xi Jinping'), and the two have one type, the two
-- are one entity. PERSON and ORG count as one here: the model often types a surname alone as
-- an organization ('Trump', 'Okonkwo'); the moved mentions take the kept entity's type. Ids merged by an earlier load that a story brings back are merged again. The
-- pairs found here are applied by the next files, before types are voted (05_entity_types).
create or replace temp table pending_entity_merges as
with short_forms as (
    select
        alias_entity_id as merged_id,
        min(entity_id) as entity_id,
        min(alias) as alias,
        'archive_short_form' as resolution
    from entity_aliases
    where resolution = 'short_form' and alias_entity_id is not null
        and alias_entity_id <> entity_id
    group by alias_entity_id
    having count(distinct entity_id) = 1
),
candidates as (
    select merged_id, entity_id, alias, resolution from entity_id_merges
    union all
    select merged_id, entity_id, alias, resolution from short_forms
    where merged_id not in (select merged_id from entity_id_merges)
)
select candidates.*, kept.entity_type
from candidates
inner join entities as merged on candidates.merged_id = merged.entity_id
inner join entities as kept on candidates.entity_id = kept.entity_id
where (
        merged.entity_type = kept.entity_type
        or (merged.entity_type in ('PERSON', 'ORG') and kept.entity_type in ('PERSON', 'ORG'))
    )
    and candidates.entity_id not in (select merged_id from candidates);
