-- The spans of texts the model read for the first time. Two chunks of one run may both have
-- read a text (each looks the cache up before the run loads): it is kept once, and a key the
-- cache already holds is not added again.
insert into ner_spans by name
select staged.text_hash, staged.model, staged.model_version, staged.spans
from (
    select *
    from batch_ner_spans
    qualify row_number() over (partition by text_hash, model, model_version) = 1
) as staged
anti join ner_spans as known
    on known.text_hash = staged.text_hash
    and known.model = staged.model
    and known.model_version = staged.model_version;
