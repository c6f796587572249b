-- Short forms across the archive: a story that names an entity only by a short form ('Xi')
-- gives it the short form's own id. The load merges that id into the entity other stories use
-- the short form for ('Xi Jinping') when the archive makes that clear:
-- - at least two stories name that entity and use the short form for it, so one story's odd
--   span ('Alibaba' inside 'TikTok and Alibaba Group Holding') decides nothing;
-- - the archive's stories use the short form (in any spelling) for that entity at least three
--   times as often as for all others together: 'Trump' is Donald Trump in 40 stories and a
--   'Trump 2020' span in one, where 'S&P' is the S&P 500 Index in 7 and S&P Global in 3 and
--   stays apart;
-- - more stories name the entity than name the short form alone: 'Coca-Cola' is its own company
--   (Coca-Cola Co., whose key it shares) before it is short for Coca-Cola Bottlers Japan;
-- - the short form is the first or last words of the entity's name ('Xi', 'Powell', 'Goldman'),
--   or its name is the short form's web address ('Amazon' / 'Amazon.com Inc.');
-- - both have one type.
-- Ids merged by an earlier load that a story brings back are merged again. The pairs found here
-- are applied by the next files, before types are voted (05_entity_types.sql).
create or replace temp table pending_entity_merges as
with pairs as (
    select alias_entity_id as merged_id, entity_id, list(distinct alias) as forms
    from entity_aliases
    where resolution = 'short_form' and alias_entity_id is not null
        and alias_entity_id <> entity_id
    group by alias_entity_id, entity_id
),
support as (
    -- For each entity a short form stands for: the stories that use the short form for it.
    select pairs.merged_id, pairs.entity_id, any_value(pairs.forms) as forms,
        count(distinct mentions.article_id) as stories
    from pairs
    inner join entity_mentions as mentions
        on mentions.entity_id = pairs.entity_id
        and list_has_any(mentions.surface_forms, pairs.forms)
    group by pairs.merged_id, pairs.entity_id
),
ranked as (
    select
        *,
        sum(stories) over (partition by merged_id) as all_stories,
        row_number() over (partition by merged_id order by stories desc, entity_id) as place
    from support
),
short_forms as (
    select merged_id, entity_id, forms
    from ranked
    where place = 1 and stories >= 2 and stories >= 3 * (all_stories - stories)
),
supported as (
    select
        short_forms.merged_id,
        short_forms.entity_id,
        min(form) as alias,
        'archive_short_form' as resolution
    from short_forms
    inner join entities as kept on short_forms.entity_id = kept.entity_id
    cross join unnest(short_forms.forms) as named(form)
    where starts_with(kept.name, form || ' ') or ends_with(kept.name, ' ' || form)
        or starts_with(kept.name, form || '.com')
    group by short_forms.merged_id, short_forms.entity_id
    having (
        select count(distinct mentions.article_id)
        from entity_mentions as mentions
        where mentions.entity_id = short_forms.entity_id
    ) > (
        select count(distinct mentions.article_id)
        from entity_mentions as mentions
        where mentions.entity_id = short_forms.merged_id
    )
),
candidates as (
    select merged_id, entity_id, alias, resolution from entity_id_merges
    union all
    select merged_id, entity_id, alias, resolution from supported
    where merged_id not in (select merged_id from entity_id_merges)
)
select candidates.*, kept.entity_type
from candidates
inner join entities as merged on candidates.merged_id = merged.entity_id
inner join entities as kept on candidates.entity_id = kept.entity_id
where merged.entity_type = kept.entity_type
    and candidates.entity_id not in (select merged_id from candidates);
