-- One row per story the batch touches: how its versions are numbered and which is latest
-- (expectations/story_checks.json). A version without a number is story_versions.json's to
-- report, so it is left out here.
create or replace table story_checks as
select
    story_id,
    count(*) as versions,
    count(distinct version) as distinct_versions,
    min(version) as min_version,
    max(version) as max_version,
    count(*) filter (where is_latest) as latest_count,
    case when count(*) filter (where is_latest) = 1
        then max(version) filter (where is_latest) end as latest_version
from story_versions
where version is not null
group by story_id;
