-- Files already in the manifest only record that this run saw them.
update source_files
set last_seen_run = seen.last_seen_run, mtime_ns = seen.mtime_ns, size_bytes = seen.size_bytes
from batch_source_files as seen
where source_files.source_file = seen.source_file
    and source_files.content_sha256 is not distinct from seen.content_sha256;
