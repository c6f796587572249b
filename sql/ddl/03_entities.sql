-- One row per distinct real-world entity; aliases grow as new surface forms are seen.
create table if not exists entities (
    entity_id varchar primary key,
    name varchar not null,
    entity_type varchar not null,
    aliases varchar[] not null
);
