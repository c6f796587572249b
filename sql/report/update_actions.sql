-- Update notes per action, over every loaded article version; a note without actions counts once.
select
    action,
    count(*) as notes
from (
    select
        unnest(
            case
                when actions is null or len(actions) = 0 then ['(none)']
                else actions
            end
        ) as action
    from update_notes
)
group by action
order by notes desc, action
