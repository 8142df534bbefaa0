"""Phrasings from real news text that the engine missed on the dev split (tuning session 4,
helper tune-r, focus recall). Each test sentence is written for the test, not copied from a
page; the error kind it covers is named in the test's docstring or name."""

from __future__ import annotations

from datetime import date

from dxdata.extract import extract_article
from dxdata.model import Article


def run(body: str, title: str = "Kết quả chuyển đổi số", published: date = date(2023, 9, 1)):
    text = f"{title}\n{body}\n"
    return extract_article(Article(source_id="t", title=title, clean_text=text, published=published))


def facts(body: str, title: str = "Kết quả chuyển đổi số", published: date = date(2023, 9, 1)) -> set[tuple]:
    return {(f.indicator_id, f.province, f.value) for f in run(body, title, published).facts}


def dated(body: str, title: str = "Kết quả chuyển đổi số", published: date = date(2023, 9, 1)) -> set[tuple]:
    return {(f.indicator_id, f.province, f.value, f.qualifier, f.ref_year) for f in run(body, title, published).facts}


# --- The eight DTI main-index ranks ---------------------------------------------------------

def test_main_index_ranks_listed_after_the_overall_rank():
    got = facts(
        "Theo DTI 2022, Phú Yên xếp thứ 40/63. Ở các chỉ số chính, thể chế số xếp hạng 12/63, "
        "nhận thức số 20/63, nhân lực số 35/63, hạ tầng số 44/63, an toàn thông tin mạng 50/63."
    )
    assert got == {
        ("dti.rank", "Phú Yên", 40.0),
        ("dti.rank_digital_institutions", "Phú Yên", 12.0),
        ("dti.rank_digital_awareness", "Phú Yên", 20.0),
        ("dti.rank_digital_workforce", "Phú Yên", 35.0),
        ("dti.rank_digital_infrastructure", "Phú Yên", 44.0),
        ("dti.rank_cybersecurity", "Phú Yên", 50.0),
    }


def test_main_index_rank_with_the_index_named_before_the_verb():
    got = facts("Theo DTI 2022, chỉ số về an toàn thông tin mạng của Hà Tĩnh xếp thứ 7/63.")
    assert got == {("dti.rank_cybersecurity", "Hà Tĩnh", 7.0)}


def test_operations_rank_is_not_the_pillar_rank():
    got = facts("Theo DTI 2022, chỉ số hoạt động kinh tế số của Nam Định xếp thứ 11/63, trụ cột kinh tế số xếp thứ 18/63.")
    assert got == {("dti.rank_digital_economy_ops", "Nam Định", 11.0), ("dti.rank_digital_economy", "Nam Định", 18.0)}


def test_main_index_name_outside_dti_context_gives_no_rank():
    assert facts("Hạ tầng số của Phú Yên được đầu tư mạnh, số trạm BTS xếp thứ 9 khu vực.", title="Phú Yên đầu tư hạ tầng") == set()


# --- DTI scores stated with "giá trị" / "chỉ số đánh giá" -----------------------------------

def test_score_as_the_value_of_the_index():
    assert ("dti.score", "Quảng Trị", 0.4123) in facts("Năm 2022, chỉ số đánh giá chuyển đổi số của tỉnh Quảng Trị đạt giá trị 0,4123.")
    assert ("dti.score", "Quảng Trị", 0.5512) in facts("Quảng Trị có giá trị DTI năm 2022 đạt 0,5512, xếp thứ 30/63.")
    assert ("dti.score", "Quảng Trị", 0.7012) in facts("Quảng Trị dẫn đầu khu vực với giá trị DTI đạt 0,7012 trong năm 2022.")


def test_provincial_level_value_is_not_a_province_score():
    got = facts("Theo DTI 2022, Quảng Trị xếp thứ 30/63. Đối với cấp tỉnh, giá trị DTI năm 2022 đạt 0,6012, tăng 3% so với năm trước.")
    assert got == {("dti.rank", "Quảng Trị", 30.0)}


def test_range_with_qualified_bounds_is_no_value():
    got = facts("Theo DTI 2022, ba địa phương cuối bảng với giá trị DTI đạt từ khoảng 0,4 đến gần 0,5 là Lai Châu, Hà Giang và Điện Biên.")
    assert not any(i == "dti.score" for i, _, _ in got)


# --- Previous-edition ranks and scores in comparisons ---------------------------------------

def test_rank_of_the_year_compared_with():
    got = dated("Năm 2022, Phú Thọ xếp thứ 20/63, tăng 25 bậc so với năm 2021 xếp thứ 45/63.")
    assert got == {("dti.rank", "Phú Thọ", 20.0, "exact", 2022), ("dti.rank", "Phú Thọ", 45.0, "exact", 2021)}


def test_comma_after_the_compared_year_starts_the_current_rank():
    got = dated("Phú Thọ có giá trị DTI năm 2022 đạt 0,5600, tăng 40% so với năm 2021, xếp thứ 20/63.")
    assert ("dti.rank", "Phú Thọ", 20.0, "exact", 2022) in got


def test_bare_rank_in_parentheses_after_the_compared_edition():
    got = dated("Theo DTI 2022, Phú Thọ xếp hạng 20/63, tăng 25 bậc so với DTI 2021 (45/63).")
    assert got == {("dti.rank", "Phú Thọ", 20.0, "exact", 2022), ("dti.rank", "Phú Thọ", 45.0, "exact", 2021)}


def test_score_in_parentheses_after_the_compared_year():
    got = dated("Với 0,6100 điểm, Phú Thọ tăng 25 bậc trong bảng xếp hạng chuyển đổi số năm 2022 so với năm 2021 (0,4800 điểm).")
    assert got == {("dti.score", "Phú Thọ", 0.61, "exact", 2022), ("dti.score", "Phú Thọ", 0.48, "exact", 2021)}


def test_place_before_a_move_is_the_previous_edition():
    for body in (
        "Theo DTI 2022, Phú Thọ tăng 8 bậc, từ vị trí 30 lên 22.",
        "Theo DTI 2022, Phú Thọ tăng 8 bậc, từ vị trí thứ 30 lên vị trí thứ 22.",
        "Theo DTI 2022, Phú Thọ đã vươn từ hạng 30/63 lên 22/63.",
    ):
        assert dated(body) == {("dti.rank", "Phú Thọ", 30.0, "exact", 2021), ("dti.rank", "Phú Thọ", 22.0, "exact", 2022)}, body


def test_place_before_the_first_edition_is_not_a_fact():
    assert dated("Theo DTI 2020, Phú Thọ tăng 8 bậc, từ vị trí 30 lên 22.") == {("dti.rank", "Phú Thọ", 22.0, "exact", 2020)}


# --- "lần lượt" lists whose subject is a ranking --------------------------------------------

def test_respective_list_after_a_ranking_noun_takes_plain_numbers_as_ranks():
    got = facts("Năm 2022, thứ hạng về chính quyền số, kinh tế số, xã hội số của Yên Bái so với cả nước lần lượt là 31, 12, 40.")
    assert got == {
        ("dti.rank_digital_government", "Yên Bái", 31.0),
        ("dti.rank_digital_economy", "Yên Bái", 12.0),
        ("dti.rank_digital_society", "Yên Bái", 40.0),
    }


def test_respective_list_of_main_index_ranks():
    got = facts("Theo DTI 2022, các chỉ số nhận thức số, thể chế số và hạ tầng số của Yên Bái lần lượt xếp thứ 5, 17 và 44.")
    assert got == {
        ("dti.rank_digital_awareness", "Yên Bái", 5.0),
        ("dti.rank_digital_institutions", "Yên Bái", 17.0),
        ("dti.rank_digital_infrastructure", "Yên Bái", 44.0),
    }


def test_respective_scores_are_not_made_ranks():
    got = facts("Năm 2022, xếp hạng chuyển đổi số của Yên Bái: điểm chính quyền số, kinh tế số, xã hội số lần lượt là 0,51, 0,42 và 0,47.")
    assert not any(i.startswith("dti.rank") for i, _, _ in got)


# --- A growth figure between a pillar score and its rank ------------------------------------

def test_rank_after_score_and_growth_takes_the_pillar():
    got = facts(
        "Năm 2022, Cà Mau có giá trị DTI đạt 0,5500. Trong đó: Chính quyền số đạt 0,6100, tăng 40,5% so với năm 2021, "
        "xếp thứ 30/63 tỉnh, thành phố; Xã hội số đạt 0,5200, tăng 12% so với năm 2021, xếp thứ 41/63."
    )
    assert got == {
        ("dti.score", "Cà Mau", 0.55),
        ("dti.score_pillar_government", "Cà Mau", 0.61),
        ("dti.rank_digital_government", "Cà Mau", 30.0),
        ("dti.score_pillar_society", "Cà Mau", 0.52),
        ("dti.rank_digital_society", "Cà Mau", 41.0),
    }


# --- IT enterprise counts: abbreviations, a plan's starting figure --------------------------

def test_abbreviation_in_parentheses_inside_a_cue_phrase():
    got = dated("Hiện trên địa bàn tỉnh Quảng Bình có gần 150 doanh nghiệp (DN) CNTT, phần lớn là DN nhỏ.")
    assert got == {("ent.it_enterprises", "Quảng Bình", 150.0, "under", 2023)}


def test_abbreviated_noun_with_its_expansion_after():
    got = dated("Năm 2022, Quảng Bình có khoảng 320 DN công nghệ thông tin (CNTT).")
    assert got == {("ent.it_enterprises", "Quảng Bình", 320.0, "approx", 2022)}


def test_starting_figure_of_a_planned_increase_is_the_present_value():
    result = run("Quảng Bình phấn đấu tăng số lượng doanh nghiệp CNTT từ 120 lên 200 doanh nghiệp vào năm 2025.")
    assert {(f.indicator_id, f.value, f.ref_year) for f in result.facts} == {("ent.it_enterprises", 120.0, 2023)}
    assert all(f.value != 200.0 for f in result.facts)


def test_a_plan_without_a_starting_figure_stays_a_target():
    assert facts("Quảng Bình phấn đấu tăng số lượng doanh nghiệp CNTT lên 200 doanh nghiệp vào năm 2025.") == set()


def test_reckoned_to_a_year_dates_the_figure():
    got = dated("Tính đến năm 2022 toàn tỉnh Quảng Bình có khoảng 400 doanh nghiệp công nghệ thông tin.", published=date(2023, 6, 1))
    assert got == {("ent.it_enterprises", "Quảng Bình", 400.0, "approx", 2022)}


def test_edition_compared_with_does_not_date_the_current_rank():
    got = dated("Phú Thọ xếp hạng 20/63, tăng 12 bậc so với DTI 2021 (32/63).", title="Kết quả chuyển đổi số năm 2022")
    assert got == {("dti.rank", "Phú Thọ", 20.0, "exact", 2022), ("dti.rank", "Phú Thọ", 32.0, "exact", 2021)}


# --- Community digital-technology teams under their other names -----------------------------

def test_community_teams_called_digital_transformation_teams():
    got = facts("Đến nay, tỉnh Điện Biên đã thành lập 980 tổ chuyển đổi số cộng đồng với 5.120 thành viên.")
    assert got == {("workforce.community_tech_teams", "Điện Biên", 980.0), ("workforce.community_tech_members", "Điện Biên", 5120.0)}


def test_community_teams_abbreviated():
    got = facts("Toàn tỉnh Điện Biên hiện có 130 Tổ CNSCĐ với 900 thành viên.")
    assert got == {("workforce.community_tech_teams", "Điện Biên", 130.0), ("workforce.community_tech_members", "Điện Biên", 900.0)}


def test_breakdown_after_a_total_gives_no_second_count():
    got = facts(
        "Đến tháng 6/2023, tỉnh Điện Biên đã thành lập 980 tổ chuyển đổi số cộng đồng. "
        "Trong đó, có 120 tổ cấp xã và 860 tổ cấp thôn, bản."
    )
    assert got == {("workforce.community_tech_teams", "Điện Biên", 980.0)}


# --- Catalogue phrasings: documents signed, dossiers submitted, LAN, procedure sets ---------

def test_rate_of_using_digital_signatures_after_documents_is_the_signed_documents_share():
    got = facts("Lạng Sơn đạt 100% văn bản được phát hành dưới dạng điện tử. Tỷ lệ sử dụng chữ ký số công vụ đạt 97%.")
    assert ("egov.signed_docs_pct", "Lạng Sơn", 97.0) in got
    assert not any(i == "infra.digital_signature_pct" for i, _, _ in got)


def test_officials_using_digital_signatures_stay_the_issued_share():
    assert facts("Tại Lạng Sơn, tỷ lệ cán bộ sử dụng chữ ký số đạt 90%.") == {("infra.digital_signature_pct", "Lạng Sơn", 90.0)}


def test_rate_of_submitting_dossiers_online():
    got = facts("Tính đến ngày 30/6/2023, về tỷ lệ nộp hồ sơ trực tuyến, Lạng Sơn đạt 61,2%.")
    assert got == {("egov.online_dossier_pct", "Lạng Sơn", 61.2)}


def test_units_with_a_local_network():
    assert facts("Hiện nay, tại Lạng Sơn 100% đơn vị có mạng nội bộ LAN.", title="Ứng dụng CNTT trong cơ quan nhà nước") == {
        ("infra.agency_internet_lan_pct", "Lạng Sơn", 100.0)
    }


def test_sets_of_administrative_procedures_by_level():
    got = facts("Cổng dịch vụ công tỉnh Lạng Sơn có 900 bộ thủ tục hành chính mức độ 2, 410 bộ thủ tục hành chính mức độ 3 và 52 bộ thủ tục hành chính mức độ 4.")
    assert got == {("egov.online_services_level3", "Lạng Sơn", 410.0), ("egov.online_services_level4", "Lạng Sơn", 52.0)}


def test_share_of_a_target_reached_is_not_a_target_marker():
    got = facts("Năm 2022, trên 70% người dân Lạng Sơn sử dụng Internet (đạt 100% mục tiêu); trên 55% dân số trên địa bàn tỉnh có điện thoại thông minh.")
    assert ("infra.smartphone_pct", "Lạng Sơn", 55.0) in got


def test_outlet_province_when_the_article_names_none():
    text = "Ứng dụng CNTT trong cơ quan nhà nước\nHiện nay, 100% đơn vị có mạng nội bộ LAN.\n"
    for publisher, expected in (("Báo Lạng Sơn (baolangson.vn)", "Lạng Sơn"), ("Báo Điện tử Chính phủ", None)):
        article = Article(source_id="t", title="Ứng dụng CNTT trong cơ quan nhà nước", clean_text=text, published=date(2023, 9, 1), metadata={"publisher": publisher})
        result = extract_article(article)
        assert [f.province for f in result.facts] == ([expected] if expected else []), publisher


def test_outlet_province_is_not_used_when_the_article_names_a_province():
    text = "Hạ tầng số\nTại Cao Bằng, hiện nay 100% đơn vị có mạng nội bộ LAN.\n"
    article = Article(source_id="t", title="Hạ tầng số", clean_text=text, published=date(2023, 9, 1), metadata={"publisher": "Báo Lạng Sơn"})
    assert [f.province for f in extract_article(article).facts] == ["Cao Bằng"]


# --- Rounded and exact figures; bare DTI scores ---------------------------------------------

def test_exact_figure_beats_the_rounded_one_nearby():
    got = dated("Toàn tỉnh Bình Định có hơn 2.000 trạm BTS. Tổng số trạm BTS trên địa bàn hiện là 2.035 trạm.", title="Hạ tầng viễn thông")
    assert got == {("infra.bts_stations", "Bình Định", 2035.0, "exact", 2023)}


def test_rounded_figure_kept_when_the_later_figure_is_a_part():
    got = dated("Toàn tỉnh Bình Định có hơn 2.000 trạm BTS, trong đó 1.650 trạm BTS 4G.", title="Hạ tầng viễn thông")
    assert got == {("infra.bts_stations", "Bình Định", 2000.0, "over", 2023)}


def test_rounded_figure_kept_when_the_exact_one_contradicts_it():
    got = dated("Toàn tỉnh Bình Định có hơn 2.000 trạm BTS. Tổng số trạm BTS trên địa bàn hiện là 1.950 trạm.", title="Hạ tầng viễn thông")
    assert got == {("infra.bts_stations", "Bình Định", 2000.0, "over", 2023)}


def test_bare_score_right_before_the_overall_rank():
    for body in (
        "Về DTI năm 2022, Bình Định đạt 0,4582, xếp hạng 25/63 tỉnh, thành phố.",
        "Theo kết quả DTI 2022, Bình Định đạt 0,4582 và đứng thứ 25/63.",
    ):
        assert facts(body) == {("dti.score", "Bình Định", 0.4582), ("dti.rank", "Bình Định", 25.0)}, body


def test_bare_number_before_a_rank_in_another_index_is_no_score():
    assert facts("Chỉ số PAPI của Bình Định năm 2022 đạt 0,4582, xếp thứ 25/63.") == set()
    assert facts("Bình Định có tỷ lệ 0,45, xếp thứ 25/63 về chuyển đổi số.") == {("dti.rank", "Bình Định", 25.0)}


def test_score_after_the_rank_past_the_index_name_and_year():
    got = facts("Bình Định xếp thứ 40/63 về chuyển đổi số năm 2022 với 0,6.")
    assert got == {("dti.rank", "Bình Định", 40.0), ("dti.score", "Bình Định", 0.6)}


def test_index_named_with_its_year_before_the_province():
    assert facts("Chỉ số DTI năm 2022 của Bình Định là 0,4582.") == {("dti.score", "Bình Định", 0.4582)}
    assert facts("Điểm số chuyển đổi số năm 2022 của Bình Định đạt 0,4582.") == {("dti.score", "Bình Định", 0.4582)}


# --- Month-dated pages, pillar values after their ranks, shared ranks ----------------------

def test_month_dated_page_of_the_announcement_month_quotes_the_new_edition():
    text = "Gia Lai trong top 30 DTI 2021\nTheo DTI 2021, Gia Lai xếp thứ 28/63 với 0,4500 điểm.\n"
    article = Article(source_id="t", title="Gia Lai trong top 30 DTI 2021", clean_text=text, published=date(2022, 8, 1), metadata={"published_at": "2022-08"})
    got = {(f.indicator_id, f.value, f.ref_year) for f in extract_article(article).facts}
    assert got == {("dti.rank", 28.0, 2021), ("dti.score", 0.45, 2021)}


def test_pillar_value_after_its_rank_with_gia_tri():
    got = facts(
        "Theo DTI 2022, xếp hạng chỉ số Xã hội số của Gia Lai đứng vị trí thứ 12/63 với giá trị là 0,4950, "
        "tiếp đó chỉ số Kinh tế số xếp thứ 15/63 có giá trị 0,4794."
    )
    assert got == {
        ("dti.rank_digital_society", "Gia Lai", 12.0),
        ("dti.score_pillar_society", "Gia Lai", 0.495),
        ("dti.rank_digital_economy", "Gia Lai", 15.0),
        ("dti.score_pillar_economy", "Gia Lai", 0.4794),
    }


def test_shared_rank_with_dong_then_respective_values():
    got = facts("Theo DTI 2022, Kinh tế số và Xã hội số của Gia Lai đồng xếp hạng 50/63, đạt giá trị lần lượt là 0,2931 và 0,3021.")
    assert got == {
        ("dti.rank_digital_economy", "Gia Lai", 50.0),
        ("dti.rank_digital_society", "Gia Lai", 50.0),
        ("dti.score_pillar_economy", "Gia Lai", 0.2931),
        ("dti.score_pillar_society", "Gia Lai", 0.3021),
    }


# --- One rank for a list of indices named after it ------------------------------------------

def test_first_place_in_listed_main_indices_and_pillars():
    got = facts(
        "Theo DTI 2022, Quảng Ninh xếp thứ nhất trong 3/8 chỉ số chính, bao gồm nhận thức số, thể chế số và hoạt động chính quyền số. "
        "Đồng thời, tỉnh đứng đầu cả 2 trụ cột chuyển đổi số, gồm kinh tế số và xã hội số."
    )
    assert got == {
        ("dti.rank_digital_awareness", "Quảng Ninh", 1.0),
        ("dti.rank_digital_institutions", "Quảng Ninh", 1.0),
        ("dti.rank_digital_government_ops", "Quảng Ninh", 1.0),
        ("dti.rank_digital_economy", "Quảng Ninh", 1.0),
        ("dti.rank_digital_society", "Quảng Ninh", 1.0),
    }


def test_listed_indices_with_a_wrong_count_or_an_unknown_item_give_nothing():
    assert facts("Theo DTI 2022, Quảng Ninh xếp thứ nhất trong 4/8 chỉ số chính, bao gồm nhận thức số, thể chế số và hạ tầng số.") == set()
    assert facts("Theo DTI 2022, Quảng Ninh xếp thứ nhất trong 3 chỉ số, gồm nhận thức số, thể chế số và du lịch số.") == set()


# --- Cần Thơ-type ranking sentences ----------------------------------------------------------

def test_rank_among_provinces_nationwide_does_not_make_later_figures_national():
    got = dated("Năm 2022, Hậu Giang xếp hạng 9/63 tỉnh, thành phố cả nước, tăng 10 bậc so với năm 2021 (xếp hạng 19).")
    assert got == {("dti.rank", "Hậu Giang", 9.0, "exact", 2022), ("dti.rank", "Hậu Giang", 19.0, "exact", 2021)}


def test_dti_edition_with_gia_tri():
    assert facts("DTI 2022 của tỉnh Hậu Giang có giá trị 0,6124, tăng 20% so với năm trước.") == {("dti.score", "Hậu Giang", 0.6124)}


def test_score_after_first_place_with_gia_tri_dat_duoc():
    got = facts("Hậu Giang dẫn đầu cả nước về mức độ chuyển đổi số năm 2022, với giá trị đạt được là 0,6874.")
    assert got == {("dti.rank", "Hậu Giang", 1.0), ("dti.score", "Hậu Giang", 0.6874)}


def test_place_compared_with_in_an_aside_is_the_same_pillar_of_that_year():
    got = dated("Theo DTI 2022, trụ cột chính quyền số của Hậu Giang xếp hạng 6 (tăng 15 bậc so với xếp hạng 21 của năm 2021), kinh tế số xếp hạng 8.")
    assert got == {
        ("dti.rank_digital_government", "Hậu Giang", 6.0, "exact", 2022),
        ("dti.rank_digital_government", "Hậu Giang", 21.0, "exact", 2021),
        ("dti.rank_digital_economy", "Hậu Giang", 8.0, "exact", 2022),
    }


# --- Lists of places in parentheses, asides, other phrasings --------------------------------

def test_place_in_parentheses_after_a_list_of_indices():
    got = facts("Theo DTI 2022, Kon Tum có nhiều chỉ số xếp hạng cao như: hoạt động chính quyền số (xếp thứ nhất), an toàn thông tin mạng, hạ tầng số (xếp thứ 2), nhận thức số (xếp thứ ba).")
    assert got == {
        ("dti.rank_digital_government_ops", "Kon Tum", 1.0),
        ("dti.rank_cybersecurity", "Kon Tum", 2.0),
        ("dti.rank_digital_infrastructure", "Kon Tum", 2.0),
        ("dti.rank_digital_awareness", "Kon Tum", 3.0),
    }


def test_rank_reached_after_a_growth_with_von_len():
    got = facts("Ở trụ cột chính quyền số, Kon Tum đạt 0,7004, tăng 0,1200 điểm so với năm 2021, vươn lên xếp thứ tư.")
    assert got == {("dti.score_pillar_government", "Kon Tum", 0.7004), ("dti.rank_digital_government", "Kon Tum", 4.0)}


def test_this_index_refers_back_to_the_dti():
    got = facts("Kết quả DTI 2022 vừa được công bố. Theo đó, Kon Tum được công bố xếp thứ 12 trong toàn quốc về Chỉ số này.")
    assert got == {("dti.rank", "Kon Tum", 12.0)}


def test_a_plan_in_a_closed_aside_does_not_make_later_figures_targets():
    got = facts("Năm 2022, tỷ lệ dịch vụ công có phát sinh hồ sơ trực tuyến của Kon Tum đạt 90% (vượt mục tiêu theo kế hoạch là 80%); tỷ lệ hồ sơ trực tuyến toàn tỉnh đạt 70%.")
    assert ("egov.online_dossier_pct", "Kon Tum", 70.0) in got
    assert ("egov.online_dossier_pct", "Kon Tum", 80.0) not in got


def test_moi_co_is_only_had_not_new_stations():
    got = dated("Nếu như năm 2016, toàn tỉnh Kon Tum mới có 300 trạm BTS, đến nay đã tăng lên 900 trạm.", title="Hạ tầng viễn thông", published=date(2023, 9, 1))
    assert ("infra.bts_stations", "Kon Tum", 300.0, "exact", 2016) in got
    assert ("infra.bts_stations", "Kon Tum", 900.0, "exact", 2023) in got
    assert facts("Năm 2022, Kon Tum xây mới 120 trạm BTS.", title="Hạ tầng viễn thông") == set()


def test_mobile_coverage_stations_and_abbreviated_digital_enterprises():
    assert facts("Đến nay, Kon Tum phủ sóng di động gần 2 nghìn trạm.", title="Vùng trung du") == {("infra.bts_stations", "Kon Tum", 2000.0)}
    assert facts("Trên địa bàn Kon Tum hiện có gần 400 DN công nghệ số hoạt động.") == {("ent.digital_tech_enterprises", "Kon Tum", 400.0)}


def test_online_services_counted_after_their_level():
    got = facts("Năm 2024, Kon Tum có 1.500 dịch vụ công trực tuyến. Trong đó, dịch vụ công trực tuyến một phần có 700 dịch vụ; dịch vụ công trực tuyến toàn trình có 800 dịch vụ.")
    assert ("egov.online_services_level3", "Kon Tum", 700.0) in got
    assert ("egov.online_services_level4", "Kon Tum", 800.0) in got


def test_a_national_comparison_in_a_closed_aside_does_not_make_later_figures_national():
    got = facts(
        "Năm 2022, tỷ lệ dịch vụ công có phát sinh hồ sơ trực tuyến của Kon Tum đạt 90% (gấp 2 lần so với trung bình toàn quốc); "
        "tỷ lệ hồ sơ trực tuyến toàn tỉnh đạt 70%; tích hợp 1.200 dịch vụ lên Cổng Dịch vụ công quốc gia."
    )
    assert ("egov.online_dossier_pct", "Kon Tum", 70.0) in got
    assert ("egov.services_on_national_portal", "Kon Tum", 1200.0) in got


# --- Periods: an opening as-of month, breakdowns, "hiện có lên" -----------------------------

def test_as_of_month_opening_the_sentence_dates_every_part():
    got = dated(
        "Tính đến tháng 12/2022, Kon Tum có 60% người dân có tài khoản; đã tích hợp được 1.100 dịch vụ công trực tuyến lên Cổng dịch vụ công quốc gia.",
        published=date(2023, 1, 15),
    )
    assert ("egov.services_on_national_portal", "Kon Tum", 1100.0, "exact", 2022) in got


def test_breakdown_takes_the_as_of_date_of_the_total():
    result = run(
        "Tính đến ngày 13/11/2022, hệ thống thủ tục hành chính Kon Tum đã cung cấp 1.800 dịch vụ công.\n\n"
        "Trong đó, dịch vụ công trực tuyến một phần có 600 dịch vụ; dịch vụ công trực tuyến toàn trình có 700 dịch vụ.",
        published=date(2023, 2, 1),
    )
    got = {(f.indicator_id, f.value, f.ref_year, f.ref_date) for f in result.facts}
    assert ("egov.online_services_level3", 600.0, 2022, "2022-11-13") in got
    assert ("egov.online_services_level4", 700.0, 2022, "2022-11-13") in got


def test_raised_to_a_total_in_a_stated_year():
    got = dated("Trong năm 2022, các doanh nghiệp phát triển mới 90 trạm BTS, nâng tổng số trạm thu phát sóng hiện có lên 1.500 trạm.", title="Hạ tầng viễn thông Kon Tum")
    assert ("infra.bts_stations", "Kon Tum", 1500.0, "exact", 2022) in got


# --- Online services: levels 3 and 4 together, DVC, abbreviations ---------------------------

def test_services_of_levels_three_and_four_are_the_online_total():
    assert dated("Đến nay, cổng dịch vụ trực tuyến của tỉnh Hà Nam có 819 dịch vụ công mức độ 3 và 4.", title="Dịch vụ công") == {
        ("egov.online_services_total", "Hà Nam", 819.0, "exact", 2023)
    }


def test_launch_month_dates_the_figure_unless_a_total_to_date():
    got = dated("Cổng dịch vụ công Hà Nam được khai trương từ tháng 1/2017 với 335 dịch vụ mức độ 3 và 4.", title="Dịch vụ công")
    assert got == {("egov.online_services_total", "Hà Nam", 335.0, "exact", 2017)}
    got = dated("Từ tháng 1/2017 đến nay, Hà Nam đã có 400 dịch vụ công trực tuyến.", title="Dịch vụ công")
    assert got == {("egov.online_services_total", "Hà Nam", 400.0, "exact", 2023)}


def test_dvc_abbreviation_forms():
    assert facts("Hiện Hà Nam đang cung cấp 1.421 dịch vụ công (DVC) mức độ 4.", title="Dịch vụ công") == {("egov.online_services_level4", "Hà Nam", 1421.0)}
    got = facts("Hiện nay, Hà Nam có 1.777 DVC trực tuyến, trong đó DVC trực tuyến toàn trình là 731, chiếm 41,11%.", title="Dịch vụ công")
    assert ("egov.online_services_total", "Hà Nam", 1777.0) in got
    assert ("egov.online_services_level4", "Hà Nam", 731.0) in got


def test_share_in_parentheses_of_a_count_whose_subject_comes_first():
    got = dated("Tổng số hồ sơ được giải quyết trực tuyến năm 2022 của Hà Nam là trên 22.600 hồ sơ (chiếm tỷ lệ hơn 10% tổng số hồ sơ).", title="Dịch vụ công")
    assert got == {("egov.online_dossier_pct", "Hà Nam", 10.0, "over", 2022)}


def test_heading_of_the_year_reviewed_dates_its_section():
    body = (
        "KẾ HOẠCH\n\nChuyển đổi số tỉnh Hà Nam năm 2023\n\nPhần I\n\nĐÁNH GIÁ KẾT QUẢ THỰC HIỆN NĂM 2022\n\n"
        "1. Về hạ tầng: trên 60% dân số trên địa bàn tỉnh có điện thoại thông minh; tỷ lệ hộ gia đình có đường Internet cáp quang băng rộng đạt 59,25%.\n\n"
        "Phần II\n\nNHIỆM VỤ NĂM 2023\n\n1. Hiện nay, tỷ lệ hộ gia đình có đường Internet cáp quang băng rộng đạt 61%."
    )
    got = dated(body, title="Kế hoạch chuyển đổi số tỉnh Hà Nam năm 2023", published=date(2023, 4, 18))
    assert ("infra.smartphone_pct", "Hà Nam", 60.0, "over", 2022) in got
    assert ("infra.fiber_household_pct", "Hà Nam", 59.25, "exact", 2022) in got
    assert ("infra.fiber_household_pct", "Hà Nam", 61.0, "exact", 2023) in got


# --- "lần lượt" over provinces: one indicator for the whole run ------------------------------

def test_respective_values_over_provinces_share_one_indicator():
    assert facts("Về tỷ lệ hồ sơ trực tuyến năm 2022, Bắc Giang và Bắc Ninh lần lượt đạt 81,6% và 75,2%.") == {
        ("egov.online_dossier_pct", "Bắc Giang", 81.6),
        ("egov.online_dossier_pct", "Bắc Ninh", 75.2),
    }
    assert facts("Theo DTI 2022, Quảng Ninh, Đà Nẵng và Hà Nội lần lượt đạt 0,7024, 0,6906 và 0,6850 điểm.") == {
        ("dti.score", "Quảng Ninh", 0.7024),
        ("dti.score", "Đà Nẵng", 0.6906),
        ("dti.score", "Hà Nội", 0.685),
    }
    assert facts("Năm 2022, Bắc Giang và Bắc Ninh có lần lượt 1.200 và 1.500 trạm BTS.", title="Hạ tầng viễn thông") == {
        ("infra.bts_stations", "Bắc Giang", 1200.0),
        ("infra.bts_stations", "Bắc Ninh", 1500.0),
    }


def test_respective_run_with_two_indicators_is_not_shared():
    got = facts("Năm 2022, Bắc Giang và Bắc Ninh lần lượt có 1.200 trạm BTS và 75,2% hồ sơ trực tuyến.", title="Hạ tầng viễn thông")
    assert ("egov.online_dossier_pct", "Bắc Giang", 75.2) not in got


def test_compound_number_words_are_not_read_as_their_first_digit():
    assert facts("Về chuyển đổi số, năm 2022 Phú Thọ đứng vị trí thứ hai mươi.") == set()
    assert facts("Về chuyển đổi số, năm 2022 Phú Thọ đứng thứ hai.") == {("dti.rank", "Phú Thọ", 2.0)}


def test_services_of_both_levels_named_together_are_the_total():
    got = facts("Năm 2022, Hà Tĩnh đã cung cấp 1.850 dịch vụ công trực tuyến toàn trình và một phần.")
    assert got == {("egov.online_services_total", "Hà Tĩnh", 1850.0)}


def test_digital_signatures_issued_to_people_are_certificates():
    assert facts("Năm 2022, Hà Tĩnh đã cấp 8.500 chữ ký số chuyên dùng cho cá nhân và tổ chức.") == {("infra.digital_certificates", "Hà Tĩnh", 8500.0)}


def test_gan_nhu_is_under():
    got = dated("Năm 2022, tỷ lệ hồ sơ trực tuyến của Hà Tĩnh đạt gần như 100%.")
    assert got == {("egov.online_dossier_pct", "Hà Tĩnh", 100.0, "under", 2022)}


def test_year_series_of_places_and_shares():
    got = dated("Năm 2022, Hà Tĩnh xếp thứ 20 về chuyển đổi số, năm 2021 là 28 và năm 2020 là 35.")
    assert got == {("dti.rank", "Hà Tĩnh", 20.0, "exact", 2022), ("dti.rank", "Hà Tĩnh", 28.0, "exact", 2021), ("dti.rank", "Hà Tĩnh", 35.0, "exact", 2020)}
    got = dated("Năm 2023, tỷ lệ hồ sơ trực tuyến của Hà Tĩnh đạt 92% và năm 2022 là 85,6%.", published=date(2024, 1, 10))
    assert got == {("egov.online_dossier_pct", "Hà Tĩnh", 92.0, "exact", 2023), ("egov.online_dossier_pct", "Hà Tĩnh", 85.6, "exact", 2022)}


def test_team_members_called_to_vien_and_short_team_names():
    assert facts("Tỉnh Hà Tĩnh đã kiện toàn 2.300 Tổ công nghệ số cộng đồng với 12.000 tổ viên.") == {
        ("workforce.community_tech_teams", "Hà Tĩnh", 2300.0),
        ("workforce.community_tech_members", "Hà Tĩnh", 12000.0),
    }
    assert facts("Toàn tỉnh Hà Tĩnh thành lập được 2.300 tổ CNS cộng đồng.") == {("workforce.community_tech_teams", "Hà Tĩnh", 2300.0)}


def test_it_staff_doing_it_work_in_state_agencies():
    assert facts("Năm 2022, Hà Tĩnh có 420 cán bộ làm công tác CNTT tại các cơ quan nhà nước.") == {("workforce.it_staff_total", "Hà Tĩnh", 420.0)}
    assert facts("Năm 2022, nhân lực CNTT trong các cơ quan nhà nước của Hà Tĩnh là 420 người.") == {("workforce.it_staff_total", "Hà Tĩnh", 420.0)}


def test_adults_owning_smartphones():
    assert facts("Năm 2022, 80% dân số trưởng thành của Hà Tĩnh sở hữu điện thoại thông minh.") == {("infra.smartphone_pct", "Hà Tĩnh", 80.0)}


def test_table_of_indices_with_value_and_rank_columns():
    body = (
        "Điểm và thứ hạng các chỉ số chính của tỉnh Quảng Ninh năm 2022:\n"
        "Chỉ số | Điểm | Xếp hạng\nNhận thức số | 0,85 | 3\nHạ tầng số | 0,70 | 12\nChính quyền số | 0,7804 | 4\n"
    )
    got = dated(body, title="Quảng Ninh dẫn đầu DTI 2022")
    assert got == {
        ("dti.score_digital_awareness", "Quảng Ninh", 0.85, "exact", 2022),
        ("dti.rank_digital_awareness", "Quảng Ninh", 3.0, "exact", 2022),
        ("dti.score_digital_infrastructure", "Quảng Ninh", 0.7, "exact", 2022),
        ("dti.rank_digital_infrastructure", "Quảng Ninh", 12.0, "exact", 2022),
        ("dti.score_pillar_government", "Quảng Ninh", 0.7804, "exact", 2022),
        ("dti.rank_digital_government", "Quảng Ninh", 4.0, "exact", 2022),
    }


def test_index_rank_with_cả_nước_before_the_index_name():
    assert facts("Năm 2022, Hà Tĩnh dẫn đầu cả nước về chỉ số thể chế số.") == {("dti.rank_digital_institutions", "Hà Tĩnh", 1.0)}
    assert facts("Năm 2022, Hà Tĩnh xếp thứ 5 cả nước về chỉ số hoạt động xã hội số.") == {("dti.rank_digital_society_ops", "Hà Tĩnh", 5.0)}
    assert facts("Năm 2022, Hà Tĩnh xếp thứ 5 toàn quốc về chính quyền số.") == {("dti.rank_digital_government", "Hà Tĩnh", 5.0)}


def test_counted_indices_before_the_place_listed_after_it():
    got = facts("Theo DTI 2022, Hà Tĩnh có 2 chỉ số đứng đầu cả nước là nhận thức số và thể chế số.")
    assert got == {("dti.rank_digital_awareness", "Hà Tĩnh", 1.0), ("dti.rank_digital_institutions", "Hà Tĩnh", 1.0)}
    assert facts("Theo DTI 2022, Hà Tĩnh có 2 chỉ số đứng đầu cả nước là nhận thức số, thể chế số và hạ tầng số.") == set()


# --- Earlier scores in comparisons and moves -------------------------------------------------

def test_earlier_scores_in_comparisons_and_moves():
    assert dated("DTI năm 2022 của Hà Tĩnh là 0,55, tăng so với 0,45 của năm 2021.") == {
        ("dti.score", "Hà Tĩnh", 0.55, "exact", 2022), ("dti.score", "Hà Tĩnh", 0.45, "exact", 2021)}
    assert dated("Hà Tĩnh tăng từ 0,45 điểm (năm 2021) lên 0,55 điểm (năm 2022).", title="Chuyển đổi số") == {
        ("dti.score", "Hà Tĩnh", 0.55, "exact", 2022), ("dti.score", "Hà Tĩnh", 0.45, "exact", 2021)}
    assert dated("Điểm DTI của Hà Tĩnh năm 2022 tăng từ 0,45 lên 0,55.") == {
        ("dti.score", "Hà Tĩnh", 0.55, "exact", 2022), ("dti.score", "Hà Tĩnh", 0.45, "exact", 2021)}


def test_a_comparison_in_parentheses_does_not_date_the_rank_before_it():
    assert dated("Năm 2022, Hà Tĩnh xếp thứ 20/63 (năm 2021 xếp thứ 28/63).", title="Chuyển đổi số") == {
        ("dti.rank", "Hà Tĩnh", 20.0, "exact", 2022), ("dti.rank", "Hà Tĩnh", 28.0, "exact", 2021)}


def test_press_spellings_of_province_names():
    for name, province in (("Đăk Lăk", "Đắk Lắk"), ("Đăk Nông", "Đắk Nông"), ("Tp.Hồ Chí Minh", "Hồ Chí Minh"), ("ĐắkLắk", "Đắk Lắk"), ("Bà Rịa – Vũng Tàu", "Bà Rịa - Vũng Tàu")):
        assert facts(f"Năm 2022, {name} xếp thứ 20/63 về chuyển đổi số.", title="Tin tức") == {("dti.rank", province, 20.0)}, name


def test_billions_without_the_currency_word_are_dong():
    assert dated("Năm 2022, doanh thu các doanh nghiệp CNTT của Hà Tĩnh đạt hơn 1 nghìn tỷ.") == {
        ("ent.it_revenue_vnd", "Hà Tĩnh", 1e12, "over", 2022)}
    assert facts("Năm 2022, doanh thu các doanh nghiệp CNTT của Hà Tĩnh đạt 1,5 tỷ USD.") == set()


def test_share_of_online_dossiers_in_parentheses_after_their_count():
    assert facts("Năm 2022, Hà Tĩnh tiếp nhận 250.000 hồ sơ, trong đó 180.000 hồ sơ trực tuyến (chiếm 72%).", title="Dịch vụ công") == {
        ("egov.online_dossier_pct", "Hà Tĩnh", 72.0)}
    assert facts("Năm 2022, tỷ lệ hồ sơ trực tuyến của Hà Tĩnh tăng 12%.", title="Dịch vụ công") == set()


def test_outlet_province_reads_the_outlets_own_name_only():
    from dxdata.extract import _outlet_province
    assert _outlet_province({"publisher": "Báo Lạng Sơn (baolangson.vn)"}).name == "Lạng Sơn"
    assert _outlet_province({"publisher": "Báo Đồng Khởi (Bến Tre)"}) is None
    assert _outlet_province({"publisher": "Thư viện Pháp luật (thuvienphapluat.vn), text of a plan of Tây Ninh"}) is None


def test_tro_len_after_the_phrase_is_over():
    assert dated("Toàn tỉnh Hà Tĩnh có 2.000 trạm BTS trở lên.", title="Hạ tầng viễn thông") == {("infra.bts_stations", "Hà Tĩnh", 2000.0, "over", 2023)}


def test_places_listed_before_lan_luot_and_provinces_after():
    expected = {("dti.rank", "Quảng Ninh", 1.0), ("dti.rank", "Đà Nẵng", 2.0), ("dti.rank", "Hà Nội", 3.0)}
    assert facts("Theo DTI 2022, đứng thứ nhất, nhì và ba lần lượt là Quảng Ninh, Đà Nẵng và Hà Nội.", title="Tin DTI") == expected
    assert facts("Theo DTI 2022, ba địa phương dẫn đầu lần lượt là Quảng Ninh, Đà Nẵng và Hà Nội.", title="Tin DTI") == expected
    assert facts("Theo DTI 2022, ba địa phương dẫn đầu lần lượt là Quảng Ninh và Đà Nẵng.", title="Tin DTI") == set()


def test_place_of_the_year_compared_with_in_other_forms():
    for body in (
        "Năm 2021, Hà Tĩnh xếp thứ 20, tăng 8 bậc so với năm 2020 (28).",
        "Năm 2021, Hà Tĩnh xếp thứ 20, tăng 8 bậc so với năm 2020 khi xếp thứ 28.",
        "Năm 2021, Hà Tĩnh xếp thứ 20, tăng 8 bậc so với năm 2020 là 28.",
    ):
        assert dated(body, title="Chuyển đổi số") == {("dti.rank", "Hà Tĩnh", 20.0, "exact", 2021), ("dti.rank", "Hà Tĩnh", 28.0, "exact", 2020)}, body


def test_respective_values_with_a_place_in_parentheses_after_each():
    got = facts(
        "Năm 2022, ba trụ cột chính quyền số, kinh tế số và xã hội số của Hà Tĩnh lần lượt đạt "
        "0,61 điểm (xếp thứ 15), 0,52 điểm (xếp thứ 30) và 0,49 điểm (xếp thứ 25)."
    )
    assert got == {
        ("dti.score_pillar_government", "Hà Tĩnh", 0.61), ("dti.rank_digital_government", "Hà Tĩnh", 15.0),
        ("dti.score_pillar_economy", "Hà Tĩnh", 0.52), ("dti.rank_digital_economy", "Hà Tĩnh", 30.0),
        ("dti.score_pillar_society", "Hà Tĩnh", 0.49), ("dti.rank_digital_society", "Hà Tĩnh", 25.0),
    }


def test_tuong_ung_la_is_respectively():
    got = facts("Năm 2022, điểm chính quyền số, kinh tế số, xã hội số của Hà Tĩnh tương ứng là 0,61, 0,52 và 0,49.")
    assert got == {("dti.score_pillar_government", "Hà Tĩnh", 0.61), ("dti.score_pillar_economy", "Hà Tĩnh", 0.52), ("dti.score_pillar_society", "Hà Tĩnh", 0.49)}


def test_second_run_of_scores_or_ranks_for_the_same_names():
    expected = {
        ("dti.score_pillar_government", "Hà Tĩnh", 0.61), ("dti.rank_digital_government", "Hà Tĩnh", 15.0),
        ("dti.score_pillar_economy", "Hà Tĩnh", 0.52), ("dti.rank_digital_economy", "Hà Tĩnh", 30.0),
        ("dti.score_pillar_society", "Hà Tĩnh", 0.49), ("dti.rank_digital_society", "Hà Tĩnh", 25.0),
    }
    assert facts("Năm 2022, ba trụ cột của Hà Tĩnh lần lượt xếp thứ 15, 30 và 25 với số điểm 0,61; 0,52 và 0,49.") == expected
    assert facts("Năm 2022, ba trụ cột chính quyền số, kinh tế số và xã hội số của Hà Tĩnh lần lượt đạt 0,61, 0,52 và 0,49 điểm, xếp thứ 15, 30 và 25.") == expected
    got = facts("Năm 2022, ba trụ cột chính quyền số, kinh tế số và xã hội số của Hà Tĩnh lần lượt đạt 0,61, 0,52 và 0,49 điểm, tăng 10%, 12% và 8%.")
    assert got == {i for i in expected if i[0].startswith("dti.score")}


def test_the_announcement_date_is_not_the_edition():
    for body in (
        "Tháng 7 năm 2023, Bộ TT&TT công bố DTI 2022, theo đó Hà Tĩnh xếp thứ 20.",
        "Trong bảng xếp hạng DTI 2022 được công bố năm 2023, Hà Tĩnh xếp thứ 20/63.",
    ):
        assert dated(body, title="Tin", published=date(2025, 3, 1)) == {("dti.rank", "Hà Tĩnh", 20.0, "exact", 2022)}, body


def test_place_of_the_year_before():
    assert dated("Theo DTI 2022, Hà Tĩnh xếp thứ 20, tăng 5 bậc so với năm trước (25).", title="Tin") == {
        ("dti.rank", "Hà Tĩnh", 20.0, "exact", 2022), ("dti.rank", "Hà Tĩnh", 25.0, "exact", 2021)}
    assert dated("Theo DTI 2022, chính quyền số của Hà Tĩnh xếp thứ 15, năm trước là 22.", title="Tin") == {
        ("dti.rank_digital_government", "Hà Tĩnh", 15.0, "exact", 2022), ("dti.rank_digital_government", "Hà Tĩnh", 22.0, "exact", 2021)}
    assert dated("Theo DTI 2020, Hà Tĩnh xếp thứ 20, năm trước xếp thứ 25.", title="Tin") == {("dti.rank", "Hà Tĩnh", 20.0, "exact", 2020)}


def test_comma_after_nam_truoc_starts_the_current_place():
    assert dated("Theo DTI 2022, Hà Tĩnh tăng 4 bậc so với năm trước, đứng thứ 8/63.", title="Tin") == {("dti.rank", "Hà Tĩnh", 8.0, "exact", 2022)}
