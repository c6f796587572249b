-- A full refresh rebuilds every data table from the input; run history stays, and so does the
-- span cache (ner_spans): re-resolving the archive must not run the model again. The mentions
-- as they were stay for this load, which retires ids the refresh no longer hands out
-- (sql/load/05_entity_merges_12_refreshed.sql).
create or replace temp table refreshed_mentions as
select entity_id, article_id, surface_forms from entity_mentions;
delete from articles;
delete from paragraphs;
delete from entities;
delete from entity_aliases;
delete from entity_mentions;
delete from update_notes;
delete from related_links;
delete from source_files;
delete from rejected_files;
