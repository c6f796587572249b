-- Earlier versions of a story change their version / is_latest when a newer one arrives.
update articles
set story_id = changed.story_id, version = changed.version, is_latest = changed.is_latest
from batch_version_changes as changed
where articles.article_id = changed.article_id;
