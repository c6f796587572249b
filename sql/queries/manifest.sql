-- The newest manifest row per path: what a rerun needs to skip unchanged files.
select source_file, content_sha256, size_bytes, mtime_ns, status, article_id, first_seen_run
from source_files
qualify row_number() over (partition by source_file order by last_seen_run desc, first_seen_run desc) = 1;
