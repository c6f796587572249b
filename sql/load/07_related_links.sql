insert into related_links by name select * from batch_related_links;
