-- Every input that could not become an article, and why.
create table if not exists rejected_files (
    source_file varchar not null,
    content_sha256 varchar,
    reason varchar not null,
    detail varchar not null,
    run_id varchar not null,
    rejected_at timestamp not null
);
