-- The most recent value of each indicator for each province (a province of the 63-unit and of
-- the 34-unit register are different units), taken from current_facts, so precedence has
-- already chosen among sources for each period. Recency: ref_year, then ref_date, with a
-- whole-year value counted as of 31 December.
CREATE VIEW latest_facts AS
SELECT
  f.theme, f.indicator_id, f.province_code, f.province, f.unit_set, f.ref_year, f.ref_date,
  f.value, f.unit, f.qualifier, f.rank_of, f.source_id, f.precedence,
  s.title AS source_title, s.publisher AS source_publisher, s.published_at AS source_published_at,
  s.url AS source_url, s.citation AS source_citation, f.quote
FROM current_facts AS f
LEFT JOIN sources AS s USING (source_id)
QUALIFY row_number() OVER (
  PARTITION BY f.indicator_id, f.province_code, f.unit_set
  ORDER BY f.ref_year DESC, coalesce(f.ref_date, f.ref_year::VARCHAR || '-12-31') DESC
) = 1;

COMMENT ON VIEW latest_facts IS 'Most recent value per province and indicator (from current_facts: official table > reviewed article > press compilation > automatic extraction), with the source it was taken from (title, publisher, URL, citation) and the quoted sentence';
