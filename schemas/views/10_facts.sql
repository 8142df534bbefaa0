-- All facts in one relation: the five fact tables share their columns, and `theme` says which
-- table a row comes from. `precedence` ranks the kinds of source when two give a value for the
-- same indicator, province and period (docs/precedence.md):
--   1 official table  >  2 reviewed article  >  3 press compilation  >  4 automatic extraction.
-- Every later view builds on this one; `facts` itself keeps every value.
CREATE VIEW facts AS
SELECT
  *,
  CASE
    WHEN method = 'official_table' THEN 1
    WHEN method LIKE 'review%' THEN 2
    WHEN method = 'press_table' THEN 3
    ELSE 4
  END AS precedence
FROM (
  SELECT 'infrastructure' AS theme, * FROM infrastructure
  UNION ALL SELECT 'e_government' AS theme, * FROM e_government
  UNION ALL SELECT 'workforce' AS theme, * FROM workforce
  UNION ALL SELECT 'enterprises' AS theme, * FROM enterprises
  UNION ALL SELECT 'rankings' AS theme, * FROM rankings
);

COMMENT ON VIEW facts IS 'Union of the five fact tables (infrastructure, e_government, workforce, enterprises, rankings); column theme names the table, column precedence ranks the kind of source (1 official table, 2 reviewed article, 3 press compilation, 4 automatic extraction)';
