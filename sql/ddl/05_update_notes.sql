-- One row per editor's update or correction note.
create table if not exists update_notes (
    article_id varchar not null,
    note_no integer not null,
    text varchar not null,
    actions varchar[] not null,
    subject varchar,
    paragraph_refs integer[] not null,
    scope varchar,
    refers_to_date date,
    placement varchar not null,
    position integer not null
);
