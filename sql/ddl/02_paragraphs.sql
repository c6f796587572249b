-- Every part of every article in file order; paragraph_no numbers story paragraphs only.
create table if not exists paragraphs (
    article_id varchar not null,
    paragraph_no integer,
    position integer not null,
    kind varchar not null,
    text varchar not null
);
