-- Every discovered file (batch_discovered) against the newest manifest row of its path: a file
-- with the same size and mtime is unchanged and not read again; the others are read, with
-- what the manifest knows of their path.
with newest as (
    select source_file, content_sha256, size_bytes, mtime_ns, status, article_id, first_seen_run
    from source_files
    qualify row_number() over (
        partition by source_file order by last_seen_run desc, first_seen_run desc
    ) = 1
)
select
    discovered.position,
    discovered.source_file,
    newest.content_sha256,
    newest.size_bytes,
    newest.mtime_ns,
    newest.status,
    newest.article_id,
    newest.first_seen_run,
    coalesce(
        newest.size_bytes = discovered.size_bytes and newest.mtime_ns = discovered.mtime_ns, false
    ) as unchanged
from batch_discovered as discovered
left join newest on newest.source_file = discovered.source_file
order by discovered.position;
