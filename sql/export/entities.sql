select * from entities;
