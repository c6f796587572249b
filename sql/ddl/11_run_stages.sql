-- Seconds and rows per stage of each run, for the report and the benchmark.
create table if not exists run_stages (
    run_id varchar not null,
    stage varchar not null,
    seconds double not null,
    rows bigint not null
);
