-- The span cache: the NER model's raw spans of every distinct text it has read (story
-- paragraphs and headlines), keyed by the text's hash and the model's name and version. Entity
-- resolution is a pass over these spans; a full refresh keeps them, so only new texts go
-- through the model. No primary key: the load adds only keys it does not hold (an index over
-- every text of the archive would have to fit in the load's memory).
create table if not exists ner_spans (
    text_hash varchar not null,
    model varchar not null,
    model_version varchar not null,
    spans struct(start_char integer, end_char integer, label varchar)[] not null
);
