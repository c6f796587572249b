-- Rejected files per reason.
select
    coalesce(reason, '(none)') as reason,
    count(*) as files
from rejected_files
group by all
order by files desc, reason
