-- A full refresh rebuilds every data table from the input; run history stays, and so does the
-- span cache (ner_spans): re-resolving the archive must not run the model again.
delete from articles;
delete from paragraphs;
delete from entities;
delete from entity_aliases;
delete from entity_mentions;
delete from update_notes;
delete from related_links;
delete from source_files;
delete from rejected_files;
