-- What was merged into each entity, and why: every surface form other than the entity's own
-- name, with how it was resolved (spelling: case, punctuation, possessive or legal suffix;
-- alias_list: a fixed alias such as 'U.S.'; short_form: a story gave the name in full).
create or replace view entity_merges as
select
    entities.entity_id,
    entities.name,
    entities.entity_type,
    entity_aliases.alias,
    entity_aliases.resolution
from entity_aliases
inner join entities using (entity_id)
where entity_aliases.alias <> entities.name;
