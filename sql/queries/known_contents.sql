-- Content hashes already in the warehouse as articles, with the article each became.
select content_sha256, article_id
from source_files
where status in ('loaded', 'duplicate') and content_sha256 is not null and article_id is not null;
