-- One row per story version; article_id is derived from the normalized content.
create table if not exists articles (
    article_id varchar primary key,
    story_id varchar not null,
    version integer not null,
    is_latest boolean not null,
    source_file varchar not null,
    content_sha256 varchar not null,
    published_date date not null,
    headline varchar not null,
    wire varchar not null,
    dateline varchar,
    lede varchar not null,
    body varchar not null,
    paragraph_count integer not null,
    word_count integer not null,
    copyright varchar,
    ingested_at timestamp not null,
    run_id varchar not null,
    headline_key varchar not null,
    lede_key varchar not null
);
