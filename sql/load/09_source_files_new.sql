insert into source_files by name
select seen.*
from batch_source_files as seen
anti join source_files as known
    on known.source_file = seen.source_file
    and known.content_sha256 is not distinct from seen.content_sha256;
