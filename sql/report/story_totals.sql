-- Stories and versions currently in the warehouse.
select
    count(distinct story_id) as stories,
    count(*) as versions,
    count(*) filter (where is_latest) as latest_versions
from articles
