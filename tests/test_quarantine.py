"""Which extracted facts are held out of a release (row-level failures) and which stay for the
tables' blocking checks (table-level failures)."""

from dxdata.tables import facts_frame
from pipelines.quarantine import split_quarantine

from release_fixtures import fact


def test_row_level_failures_are_held_with_their_reason_and_table_level_ones_are_kept():
    rows = [
        fact("workforce.it_staff_total", 625),
        fact("infra.agency_internet_lan_pct", 120, unit="percent"),
        fact("workforce.unicorns", 3),
        fact("dti.rank", 5, unit="rank", rank_of=None, ref_date=None),  # a rank without rank_of is valid
        fact("dti.rank", 70, unit="rank", rank_of=None, province_code="01", province="Hà Nội", ref_date=None),
        # Two values for one key: the table is wrong, not a row; the schema check blocks it.
        fact("egov.online_services_total", 1860),
        fact("egov.online_services_total", 1861),
    ]
    kept, held = split_quarantine(facts_frame(rows))
    assert sorted(held["indicator_id"]) == ["dti.rank", "infra.agency_internet_lan_pct", "workforce.unicorns"]
    reasons = dict(zip(held["indicator_id"], held["reason"]))
    assert "percent_within_0_100" in reasons["infra.agency_internet_lan_pct"]
    assert "rank_within_rank_of" in reasons["dti.rank"]
    assert "catalogue" in reasons["workforce.unicorns"]
    assert sorted(kept["indicator_id"]) == ["dti.rank", "egov.online_services_total", "egov.online_services_total", "workforce.it_staff_total"]
    assert list(kept["value"][kept["indicator_id"] == "dti.rank"]) == [5.0]
