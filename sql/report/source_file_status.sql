-- Source files by load status.
select
    coalesce(status, '(none)') as status,
    count(*) as files
from source_files
group by all
order by files desc, status
