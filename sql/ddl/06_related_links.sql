-- The 'Read:' / 'Read more:' lines of each article.
create table if not exists related_links (
    article_id varchar not null,
    link_no integer not null,
    title varchar not null
);
