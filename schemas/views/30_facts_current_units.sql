-- facts_current_units: every current fact (current_facts: one value per indicator, province and
-- period, chosen by precedence) labelled with the provincial unit it belongs to on today's
-- 34-unit map (since 1 July 2025). Labels only: no value is summed or averaged, because a
-- rank or a percentage of a pre-merger province says nothing about the merged unit as a whole.
-- A unit_set 63 fact maps through provinces.merged_into_2025_code; a unit_set 34 fact already
-- refers to a merged unit. Joins always go through unit_set, because the two registers reuse
-- codes with different meanings (24 = Bắc Giang among the 63, Bắc Ninh among the 34).
CREATE OR REPLACE VIEW facts_current_units AS
SELECT
    f.*,
    u.code AS province_2025_code,
    u.name AS province_2025
FROM current_facts AS f
LEFT JOIN provinces AS p
    ON f.unit_set = 63 AND p.code = f.province_code
LEFT JOIN provinces_2025 AS u
    ON u.code = CASE WHEN f.unit_set = 34 THEN f.province_code ELSE p.merged_into_2025_code END;

COMMENT ON VIEW facts_current_units IS 'Current facts (one per indicator, province and period, chosen by precedence), each labelled with the merged unit (34-unit map, since 1 July 2025) its province belongs to today; values are not aggregated.';
