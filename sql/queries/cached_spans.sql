-- The cached spans of some texts (batch_text_hashes: text_hash) by one model ($model) and
-- version ($model_version); texts the cache does not hold have no row.
select cached.text_hash, cached.spans
from ner_spans as cached
semi join batch_text_hashes as wanted on wanted.text_hash = cached.text_hash
where cached.model = $model and cached.model_version = $model_version;
