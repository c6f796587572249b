-- Every discovered file (batch_discovered) against the newest manifest row of its path: a file
-- with the same size and mtime, found as the same kind of entry, is unchanged and not read
-- again; the others are read, with what the manifest knows of their path.
--
-- An entry discovery rejects unread (its `problem`: a link out of the input folder, a loop, a
-- dangling link, a FIFO, a folder it could not list) carries its own (lstat) size and mtime, so
-- a rerun finds it unchanged. Its manifest row holds no content hash and no reason: the reason
-- is that of the path's newest unread rejection (rejected_files). An entry is unchanged only
-- with the same problem as then, or none as then: a dangling link whose target appears keeps
-- its own size and mtime, yet is a file to read now.
with newest as (
    select source_file, content_sha256, size_bytes, mtime_ns, status, article_id, first_seen_run
    from source_files
    qualify row_number() over (
        partition by source_file order by last_seen_run desc, first_seen_run desc
    ) = 1
),

unread_rejection as (
    select source_file, reason
    from rejected_files
    where content_sha256 is null
    qualify row_number() over (
        partition by source_file order by rejected_at desc, run_id desc
    ) = 1
),

known as (
    select
        newest.*,
        case
            when
                newest.status = 'rejected'
                and newest.content_sha256 is null
                and unread_rejection.reason in (
                    'outside_input', 'symlink_loop', 'dangling_link', 'not_a_file',
                    'unreadable_folder'
                )
                then unread_rejection.reason
        end as problem
    from newest
    left join unread_rejection on unread_rejection.source_file = newest.source_file
)

select
    discovered.position,
    discovered.source_file,
    known.content_sha256,
    known.size_bytes,
    known.mtime_ns,
    known.status,
    known.article_id,
    known.first_seen_run,
    coalesce(
        known.size_bytes = discovered.size_bytes
        and known.mtime_ns = discovered.mtime_ns
        and known.problem is not distinct from discovered.problem,
        false
    ) as unchanged
from batch_discovered as discovered
left join known on known.source_file = discovered.source_file
order by discovered.position;
