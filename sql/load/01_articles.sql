-- A staged article has no body: it is its story paragraphs in file order, joined by blank
-- lines, the lede (paragraph 1) without its wire tag, as the parser's ParsedStory.body.
insert into articles by name
select
    a.*,
    coalesce(bodies.body, '') as body
from batch_articles as a
left join (
    select
        p.article_id,
        string_agg(
            case when p.paragraph_no = 1 then ledes.lede else p.text end,
            chr(10) || chr(10)
            order by p.position
        ) as body
    from batch_paragraphs as p
    join batch_articles as ledes using (article_id)
    where p.kind = 'story'
    group by p.article_id
) as bodies using (article_id);
