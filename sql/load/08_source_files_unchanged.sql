-- Files a rerun found unchanged (not read again) only record that this run saw them.
update source_files
set last_seen_run = seen.last_seen_run
from batch_unchanged_files as seen
where source_files.source_file = seen.source_file
    and source_files.content_sha256 is not distinct from seen.content_sha256;
