insert into paragraphs by name select * from batch_paragraphs;
