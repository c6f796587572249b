-- One row per expectation per table per run.
create table if not exists dq_results (
    run_id varchar not null,
    table_name varchar not null,
    expectation varchar not null,
    success boolean not null,
    unexpected_count bigint,
    details varchar,
    severity varchar not null
);
