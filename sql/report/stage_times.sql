-- Time and rows per stage of one run, in pipeline order.
select
    stage,
    sum(seconds) as seconds,
    sum("rows") as row_count
from run_stages
where run_id = $run_id
group by stage
order by
    coalesce(
        list_position(
            [
                'discover', 'read_hash', 'parse', 'entities', 'parquet', 'validate',
                'data_docs', 'load', 'report'
            ],
            stage
        ),
        99
    ),
    stage
