-- The most recent value of each indicator for each province (a province of the 63-unit and of
-- the 34-unit register are different units). Recency: ref_year, then ref_date, with a
-- whole-year value counted as of 31 December; ties go to the most recently published source,
-- then to source_id so that the choice is stable.
CREATE VIEW latest_facts AS
SELECT
  f.theme, f.indicator_id, f.province_code, f.province, f.unit_set, f.ref_year, f.ref_date,
  f.value, f.unit, f.qualifier, f.rank_of, f.source_id,
  s.title AS source_title, s.publisher AS source_publisher, s.published_at AS source_published_at,
  s.url AS source_url, s.citation AS source_citation, f.quote
FROM facts AS f
LEFT JOIN sources AS s USING (source_id)
QUALIFY row_number() OVER (
  PARTITION BY f.indicator_id, f.province_code, f.unit_set
  ORDER BY f.ref_year DESC, coalesce(f.ref_date, f.ref_year::VARCHAR || '-12-31') DESC,
           s.published_at DESC NULLS LAST, f.source_id
) = 1;

COMMENT ON VIEW latest_facts IS 'Most recent value per province and indicator, with the source it was taken from (title, publisher, URL, citation) and the quoted sentence';
