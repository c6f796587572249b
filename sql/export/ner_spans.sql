select * from ner_spans;
