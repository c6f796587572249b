select * from entity_aliases;
