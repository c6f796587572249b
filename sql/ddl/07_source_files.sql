-- The manifest: every input file ever seen, one row per path and content.
create table if not exists source_files (
    source_file varchar not null,
    content_sha256 varchar,
    size_bytes bigint not null,
    status varchar not null,
    article_id varchar,
    first_seen_run varchar not null,
    last_seen_run varchar not null,
    mtime_ns bigint
);
