-- current_facts: the value that stands for each indicator, province (in its register) and
-- period (ref_year, ref_date), one row each. The rule, used by every view after this one:
--   1. a value that contradicts an official table (conflicts.held_out) is left out; it stays
--      in its fact table and in `conflicts`;
--   2. the highest precedence wins: official table > reviewed article > press compilation >
--      automatic extraction;
--   3. then the most recently published source; then source_id, so the choice is stable.
CREATE VIEW current_facts AS
SELECT f.*
FROM facts AS f
LEFT JOIN sources AS s USING (source_id)
WHERE NOT EXISTS (
  SELECT 1 FROM conflicts AS c
  WHERE c.held_out
    AND c.source_id = f.source_id AND c.indicator_id = f.indicator_id
    AND c.province_code = f.province_code AND c.unit_set = f.unit_set AND c.ref_year = f.ref_year
    AND c.ref_date IS NOT DISTINCT FROM f.ref_date
)
QUALIFY row_number() OVER (
  PARTITION BY f.indicator_id, f.province_code, f.unit_set, f.ref_year, f.ref_date
  ORDER BY f.precedence, s.published_at DESC NULLS LAST, f.source_id
) = 1;

COMMENT ON VIEW current_facts IS 'One value per indicator, province and period: facts contradicting an official table left out, then official table > reviewed article > press compilation > automatic extraction, then the most recently published source';
