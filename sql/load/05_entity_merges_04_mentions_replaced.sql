-- The rows merged above leave; their merged rows take their place (next file).
delete from entity_mentions
where article_id in (select article_id from merged_articles)
    and (
        entity_id in (select merged_id from pending_entity_merges)
        or entity_id in (select entity_id from pending_entity_merges)
    );
