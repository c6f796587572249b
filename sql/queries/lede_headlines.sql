-- Up to $1 distinct headlines over the whole warehouse for each lede in batch_ledes: grouping
-- the new and related articles alone must tell a boilerplate lede (one under $1 differently
-- headlined articles) as grouping every article would.
select lede_key, list_slice(list(distinct headline_key), 1, $1) as headline_keys
from articles
where lede_key in (select lede_key from batch_ledes)
group by lede_key;
