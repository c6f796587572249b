-- Stories (latest versions) per published day, over the most recent $days days of data.
select
    published_date as day,
    count(distinct story_id) as stories
from articles
where
    is_latest
    and published_date is not null
    and published_date > (
        select max(published_date) from articles where is_latest
    ) - $days::integer
group by published_date
order by published_date
