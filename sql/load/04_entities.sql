-- A known entity keeps its name and gains the batch's new surface forms.
insert into entities by name select * from batch_entities
on conflict (entity_id) do update
set aliases = list_sort(list_distinct(list_concat(entities.aliases, excluded.aliases)));
