-- One row per flow run, whatever its outcome.
create table if not exists pipeline_runs (
    run_id varchar primary key,
    flow_run_id varchar,
    started_at timestamp not null,
    finished_at timestamp not null,
    status varchar not null,
    files_seen integer not null,
    files_new integer not null,
    files_skipped integer not null,
    files_rejected integer not null,
    articles_loaded integer not null,
    input_root varchar,
    message varchar,
    files_duplicate integer,
    files_unchanged integer
);
-- Warehouses made before files_skipped was counted in its two parts gain the columns.
alter table pipeline_runs add column if not exists files_duplicate integer;
alter table pipeline_runs add column if not exists files_unchanged integer;
