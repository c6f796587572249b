select article_id from articles;
