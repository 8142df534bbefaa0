-- All facts in one relation: the five fact tables share their columns, and `theme` says which
-- table a row comes from. Every later view builds on this one.
CREATE VIEW facts AS
SELECT 'infrastructure' AS theme, * FROM infrastructure
UNION ALL SELECT 'e_government' AS theme, * FROM e_government
UNION ALL SELECT 'workforce' AS theme, * FROM workforce
UNION ALL SELECT 'enterprises' AS theme, * FROM enterprises
UNION ALL SELECT 'rankings' AS theme, * FROM rankings;

COMMENT ON VIEW facts IS 'Union of the five fact tables (infrastructure, e_government, workforce, enterprises, rankings); column theme names the table';
