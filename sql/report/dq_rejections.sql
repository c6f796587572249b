-- What the quality checks rejected in one run: one row per expectation that took stories out of
-- the batch, with its result and the first $files of its files. A file is recorded with the
-- first expectation its story broke (rejected_files.detail is '<table>: <expectation>'). A run
-- whose batch then failed the gate recorded no file: its expectations are found by their
-- result's note alone ('rejected 2 stories (dq_published_date); ...').
with files as (
    select
        reason,
        detail,
        count(*) as file_count,
        list(source_file order by source_file)[1:$files] as files
    from rejected_files
    where run_id = $run_id and starts_with(reason, 'dq_')
    group by reason, detail
),

results as (
    select
        table_name,
        expectation,
        severity,
        details,
        table_name || ': ' || expectation as detail,
        try_cast(regexp_extract(details, '^rejected (\d+) stor', 1) as bigint) as stories,
        nullif(regexp_extract(details, '^rejected \d+ stor(?:y|ies) \((dq_\w+)\)', 1), '')
            as reason
    from dq_results
    where run_id = $run_id and not success
)

select
    coalesce(f.reason, r.reason) as reason,
    coalesce(f.detail, r.detail) as detail,
    r.table_name,
    r.expectation,
    r.severity,
    r.details,
    r.stories,
    coalesce(f.file_count, 0) as file_count,
    coalesce(f.files, []) as files
from files as f
full outer join results as r on f.detail = r.detail
where f.detail is not null or r.reason is not null
order by
    coalesce(r.stories, f.file_count) desc,
    file_count desc,
    reason,
    detail
