"""Precision on real-text phrasing (session 4, tune-p): kinds of false fact the editor reviews
of the dev split found, each with short sentences written for the test (not page text)."""

from __future__ import annotations

from datetime import date

from dxdata.extract import extract_article
from dxdata.model import Article


def facts(body: str, title: str = "Chuyển đổi số ở địa phương", published: date = date(2023, 9, 1)) -> set[tuple]:
    text = f"{title}\n{body}\n"
    result = extract_article(Article(source_id="t", title=title, clean_text=text, published=published))
    return {(f.indicator_id, f.province, f.value) for f in result.facts}


def ranks(got: set[tuple]) -> set[tuple]:
    return {g for g in got if g[0] == "dti.rank"}


# --- a group at the top or bottom of a table is membership, not a rank ----------------------


def test_top_ten_list_gives_no_rank_to_its_first_member():
    got = facts("Nhóm 10 tỉnh, thành phố dẫn đầu về DTI 2022 gồm: Quảng Ninh, Đà Nẵng, Bắc Ninh và Hải Phòng.")
    assert not ranks(got)
    got = facts("Top 10 tỉnh, thành phố đứng đầu về DTI 2022 gồm: Quảng Ninh, Đà Nẵng, Bắc Ninh và Hải Phòng.")
    assert not ranks(got)


def test_bottom_group_listed_after_gives_no_last_rank():
    got = facts("Ba địa phương đứng cuối bảng DTI 2022 là Điện Biên, Lai Châu và Hà Giang.")
    assert not ranks(got)
    got = facts("3 địa phương đứng cuối bảng với giá trị DTI dưới 0,4 là Điện Biên, Lai Châu và Hà Giang.")
    assert not ranks(got)


def test_a_single_province_leading_or_last_keeps_its_rank():
    assert ("dti.rank", "Quảng Ninh", 1.0) in facts("Về DTI 2022, Quảng Ninh đứng đầu cả nước.")
    assert ("dti.rank", "Lai Châu", 63.0) in facts("Về chuyển đổi số năm 2022, Lai Châu xếp cuối bảng.")


# --- other indices and rankings read as the DTI --------------------------------------------


def test_service_quality_index_rank_is_not_the_dti_rank():
    got = facts("Với xếp hạng 12/63 tỉnh, thành phố về chỉ số phục vụ người dân, doanh nghiệp, Yên Bái tiếp tục đẩy mạnh chuyển đổi số.")
    assert not ranks(got)


def test_rank_in_an_article_on_the_ict_index_is_not_the_dti_rank():
    got = facts("Với 0,5012 điểm, năm 2019, Phú Thọ xếp hạng 30/63 tỉnh, thành phố, tăng 5 bậc.",
                title="Phú Thọ tăng 5 bậc trong bảng xếp hạng ICT Index 2019", published=date(2019, 9, 1))
    assert not {g for g in got if g[0].startswith("dti.")}


def test_no_dti_rank_before_the_first_edition_existed():
    got = facts("Năm 2019, Phú Thọ xếp hạng 30/63 tỉnh, thành phố trong bảng xếp hạng.", published=date(2020, 3, 1))
    assert not ranks(got)


def test_the_ministries_ranking_is_not_a_province_rank():
    got = facts("Trong nhóm các bộ, ngành có dịch vụ công, Bộ Tư pháp xếp thứ nhất. Đây là năm thứ 2 liên tiếp Bộ này dẫn đầu bảng xếp hạng chuyển đổi số của các bộ.",
                title="Bắc Ninh xếp thứ 5 về chuyển đổi số")
    assert ("dti.rank", "Bắc Ninh", 1.0) not in got
    got = facts("Đối với các bộ, cơ quan ngang bộ có giá trị trung bình DTI 2022 là 0,51, Bộ Tài chính đứng đầu về DTI của các bộ cung cấp dịch vụ công.",
                title="Vĩnh Phúc và chuyển đổi số")
    assert not ranks(got)


def test_a_rank_on_another_measure_in_the_34_unit_list_is_not_the_dti_rank():
    got = facts("Tính đến ngày 01/8/2025, về tỷ lệ nộp hồ sơ trực tuyến, Thanh Hóa đạt 70,5% (1.200/1.702 hồ sơ), xếp thứ 21/34 tỉnh, thành.",
                published=date(2025, 8, 10))
    assert not ranks(got)


def test_a_pci_rank_after_a_contrast_leaves_the_dti_rank():
    got = facts("Năm 2022, Phú Yên xếp thứ 50/63 về chỉ số chuyển đổi số cấp tỉnh nhưng trong bảng xếp hạng PCI lại đứng thứ 30.")
    assert ranks(got) == {("dti.rank", "Phú Yên", 50.0)}


# --- national or all-province averages credited to the article's province --------------------


def test_pillar_averages_after_the_provincial_average_are_not_the_title_province():
    got = facts(
        "Đối với cấp tỉnh, giá trị DTI năm 2022 đạt 0,5335, tăng 3% so với năm trước. "
        "Cả ba trụ cột đều tăng: Chính quyền số đạt 0,61, Kinh tế số đạt 0,42; Xã hội số đạt 0,47.",
        title="Quảng Ninh dẫn đầu chuyển đổi số",
    )
    assert not {g for g in got if g[0].startswith("dti.score")}


def test_a_province_named_again_takes_its_own_figures_after_a_national_sentence():
    got = facts(
        "DTI quốc gia năm 2022 đạt 0,65. Quảng Ninh đạt 0,7024 điểm chỉ số chuyển đổi số.",
        title="Quảng Ninh dẫn đầu chuyển đổi số",
    )
    assert ("dti.score", "Quảng Ninh", 0.7024) in got


def test_a_comparison_with_the_national_average_does_not_make_the_next_sentence_national():
    got = facts(
        "Năm 2022, tỷ lệ hồ sơ trực tuyến đạt 58,7%, cao hơn mức bình quân cả nước. Trên địa bàn hiện có 112 doanh nghiệp công nghệ thông tin.",
        title="Hòa Bình hiện đại hóa hành chính",
    )
    assert ("ent.it_enterprises", "Hoà Bình", 112.0) in got


# --- a part credited as the whole: one operator, one unit each, a starting value ------------


def test_an_operators_branch_count_is_not_the_provinces():
    got = facts("Đến nay VNPT Cà Mau có hơn 900 trạm BTS phủ sóng khắp các xã.", title="Viễn thông ở Cà Mau", published=date(2022, 6, 1))
    assert not {g for g in got if g[0] == "infra.bts_stations"}
    got = facts("Đến nay Cà Mau có 1.850 trạm BTS.", title="Viễn thông ở Cà Mau", published=date(2022, 6, 1))
    assert ("infra.bts_stations", "Cà Mau", 1850.0) in got


def test_the_starting_value_of_a_change_to_today_is_not_a_fact():
    got = facts("Từ 15 trạm BTS ban đầu, đến nay Cà Mau có 1.850 trạm BTS.", title="Viễn thông ở Cà Mau", published=date(2022, 6, 1))
    assert {g for g in got if g[0] == "infra.bts_stations"} == {("infra.bts_stations", "Cà Mau", 1850.0)}


def test_a_count_for_each_commune_is_not_the_provinces_total():
    got = facts("Thành lập Tổ công nghệ số cộng đồng ở mỗi xã, phường, thị trấn ít nhất 03 tổ.",
                title="Yên Bái thành lập Tổ công nghệ số cộng đồng", published=date(2022, 9, 1))
    assert not {g for g in got if g[0] == "workforce.community_tech_teams"}


def test_the_share_of_one_administrative_level_is_not_the_provinces():
    got = facts("Đến nay, toàn tỉnh cung cấp 1.200 dịch vụ công trực tuyến, tỷ lệ hồ sơ trực tuyến cấp tỉnh đạt 52,5%.",
                title="Gia Lai đẩy mạnh dịch vụ công", published=date(2022, 4, 20))
    assert not {g for g in got if g[0] == "egov.online_dossier_pct"}
    got = facts("Đến nay, tỷ lệ hồ sơ trực tuyến của tỉnh đạt 52,5%.", title="Gia Lai đẩy mạnh dịch vụ công", published=date(2022, 4, 20))
    assert ("egov.online_dossier_pct", "Gia Lai", 52.5) in got


# --- plan targets read as results ------------------------------------------------------------


def test_the_next_topic_of_a_list_of_targets_is_a_target():
    body = (
        "Theo kế hoạch của Sở, mục tiêu năm 2023 về hạ tầng số, tỉnh phấn đấu 80% hộ gia đình có cáp quang.\n\n"
        "Về chính quyền số, tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến toàn trình đạt 65%."
    )
    got = facts(body, title="Bình Định đẩy mạnh chuyển đổi số", published=date(2023, 4, 1))
    assert not {g for g in got if g[0] == "egov.online_dossier_pct"}


def test_a_topic_after_results_is_a_result():
    body = (
        "Năm 2022, về hạ tầng số, tỉnh đã có 80% hộ gia đình có cáp quang.\n\n"
        "Về chính quyền số, tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến đạt 65%."
    )
    got = facts(body, title="Bình Định đẩy mạnh chuyển đổi số", published=date(2023, 4, 1))
    assert ("egov.online_dossier_pct", "Bình Định", 65.0) in got


# --- the wrong indicator ---------------------------------------------------------------------


def test_signature_use_after_a_line_on_documents_is_the_signed_documents_share():
    body = "Phú Yên đạt 100% văn bản hành chính được phát hành dưới dạng điện tử.\n\nTỉ lệ sử dụng chữ ký số công vụ đạt 97%."
    got = facts(body, title="Phú Yên xây dựng chính quyền số", published=date(2025, 11, 1))
    assert ("egov.signed_docs_pct", "Phú Yên", 97.0) in got
    assert not {g for g in got if g[0] == "infra.digital_signature_pct"}


def test_signature_issued_to_officials_stays_the_signature_share():
    got = facts("Tỷ lệ cán bộ, công chức được cấp chữ ký số đạt 95%.", title="Phú Yên xây dựng chính quyền số", published=date(2025, 11, 1))
    assert ("infra.digital_signature_pct", "Phú Yên", 95.0) in got


# --- the 2024 edition's ranking of the 34 merged units --------------------------------------


def facts_units(body: str, title: str, published: date) -> set[tuple]:
    text = f"{title}\n{body}\n"
    result = extract_article(Article(source_id="t", title=title, clean_text=text, published=published))
    return {(f.indicator_id, f.province, f.value, f.unit_set) for f in result.facts}


MERGED_BODY = (
    "Bộ Khoa học và Công nghệ công bố DTI năm 2024. Kết quả của các tỉnh, thành phố sau sáp nhập được tính từ "
    "các tỉnh trước sáp nhập.\n\n"
    "Đà Nẵng là địa phương dẫn đầu cả nước với giá trị DTI đạt 0,8100. Tiếp theo là Lạng Sơn (0,7900) và Hải Phòng (0,7800)."
)


def test_a_rank_in_an_article_on_the_merged_units_ranking_is_a_34_unit_rank():
    got = facts_units(MERGED_BODY, "Đà Nẵng dẫn đầu chuyển đổi số", date(2025, 10, 22))
    assert ("dti.rank", "Đà Nẵng", 1.0, 34) in got
    assert not {g for g in got if g[0] == "dti.rank" and g[3] == 63}


def test_scores_of_merged_units_are_the_34_units_and_a_unit_of_one_province_keeps_its_own():
    got = facts_units(MERGED_BODY, "Đà Nẵng dẫn đầu chuyển đổi số", date(2025, 10, 22))
    assert ("dti.score", "Lạng Sơn", 0.79, 63) in got  # Lạng Sơn was merged with no other province
    assert ("dti.score", "Hải Phòng", 0.78, 34) in got  # Hải Phòng took in Hải Dương
    assert ("dti.score", "Đà Nẵng", 0.81, 34) in got  # Đà Nẵng took in Quảng Nam


def test_before_the_merger_the_same_sentences_are_63_unit_figures():
    body = MERGED_BODY.replace("sau sáp nhập", "").replace("trước sáp nhập", "")
    got = facts_units(body.replace("DTI năm 2024", "DTI năm 2022"), "Đà Nẵng dẫn đầu chuyển đổi số", date(2023, 7, 20))
    assert {g[3] for g in got if g[0].startswith("dti.")} == {63}


# --- more kinds from the grown dev split ------------------------------------------------------


def test_the_points_one_conference_was_connected_to_are_not_the_provinces_system():
    got = facts("Sáng 10/3, tỉnh Lào Cai tổ chức Hội nghị chuyển đổi số, kết nối trực tuyến đến 150 điểm cầu trong toàn tỉnh.",
                title="Lào Cai tổng kết chuyển đổi số", published=date(2023, 3, 10))
    assert not {g for g in got if g[0].startswith("infra.videoconf")}
    got = facts("Hội nghị được tổ chức trực tuyến tại 63 điểm cầu trên cả nước.", title="Lào Cai tổng kết chuyển đổi số", published=date(2023, 3, 10))
    assert not {g for g in got if g[0].startswith("infra.videoconf")}
    got = facts("Hệ thống hội nghị truyền hình của tỉnh hiện có 150 điểm cầu, giúp các cuộc họp được tổ chức thường xuyên.",
                title="Lào Cai tổng kết chuyển đổi số", published=date(2023, 3, 10))
    assert ("infra.videoconf_points", "Lào Cai", 150.0) in got


def test_a_place_by_a_count_is_not_the_dti_rank():
    got = facts("Tỉnh trở thành địa phương có số lượng dịch vụ công trực tuyến tích hợp nhiều thứ 3 cả nước.",
                title="Đồng Nai: dấu ấn chuyển đổi số 2022", published=date(2023, 1, 10))
    assert not ranks(got)


def test_one_of_a_leading_group_is_neither_a_score_nor_a_rank():
    got = facts("Tỉnh là 1 trong 9 tỉnh dẫn đầu về thể chế số năm 2022.", title="Kon Tum tăng hạng chuyển đổi số", published=date(2023, 7, 20))
    assert not {g for g in got if g[0].startswith("dti.")}


def test_the_whole_information_and_communications_sector_revenue_is_not_it_revenue():
    got = facts("Tổng doanh thu toàn ngành TT&TT của tỉnh ước đạt 12.000 tỷ đồng; doanh thu công nghệ thông tin đạt 3.000 tỷ đồng.",
                title="Bình Định: dấu ấn ngành TT&TT", published=date(2023, 1, 10))
    assert {g for g in got if g[0] == "ent.it_revenue_vnd"} == {("ent.it_revenue_vnd", "Bình Định", 3e12)}


def test_the_earlier_rank_of_a_pillar_is_that_pillars():
    got = facts("Về DTI 2022, trụ cột chính quyền số của Cần Thơ xếp hạng 5 (tăng 16 bậc so với xếp hạng 21 của năm 2021), kinh tế số xếp hạng 12.",
                title="Cần Thơ: điểm mạnh chuyển đổi số", published=date(2023, 8, 1))
    assert ("dti.rank", "Cần Thơ", 21.0) not in got
    assert ("dti.rank_digital_government", "Cần Thơ", 5.0) in got


# --- the wrong province when a sentence names several ----------------------------------------


def test_a_lead_naming_only_other_provinces_after_the_number_leaves_the_title_province():
    got = facts("Năm 2022, chỉ số DTI của tỉnh xếp thứ 30/63, trong khi tỉnh Hà Tĩnh xếp thứ 40 và Nghệ An đứng thứ 36.",
                title="Quảng Bình chuyển đổi số", published=date(2023, 7, 20))
    assert ("dti.rank", "Quảng Bình", 30.0) in got
    assert ("dti.rank", "Nghệ An", 30.0) not in got


def test_one_agencys_share_is_not_the_provinces():
    got = facts("Tỷ lệ hồ sơ trực tuyến của Sở Tư pháp đạt 98%.", title="Quảng Bình đẩy mạnh chuyển đổi số", published=date(2023, 7, 20))
    assert not got
    got = facts("Theo thống kê của Sở TT&TT, tỷ lệ hồ sơ trực tuyến của tỉnh đạt 60%.", title="Quảng Bình đẩy mạnh chuyển đổi số", published=date(2023, 7, 20))
    assert ("egov.online_dossier_pct", "Quảng Bình", 60.0) in got


def test_a_district_listed_after_another_is_not_the_province_of_its_name():
    got = facts("Các huyện Lệ Thủy, Quảng Ninh có tỷ lệ hồ sơ trực tuyến đạt 60%.", title="Quảng Bình đẩy mạnh chuyển đổi số", published=date(2023, 7, 20))
    assert not got


def test_a_fronted_example_is_not_the_subject():
    got = facts("Cùng với Quảng Trị, tỉnh đã thành lập 1.500 tổ công nghệ số cộng đồng.", title="Quảng Bình đẩy mạnh chuyển đổi số", published=date(2023, 7, 20))
    assert got == {("workforce.community_tech_teams", "Quảng Bình", 1500.0)}
    got = facts("Còn Trà Vinh, tỉnh xếp thứ 25/63 về DTI năm 2022.", title="Tiền Giang đẩy mạnh chuyển đổi số", published=date(2023, 7, 20))
    assert ranks(got) == {("dti.rank", "Trà Vinh", 25.0)}


def test_a_list_of_provinces_shares_no_figure_without_cung_or_deu():
    got = facts("Đà Nẵng, Hà Nội, TP.HCM là những địa phương có tỷ lệ hồ sơ trực tuyến trên 80%.", title="Quảng Bình đẩy mạnh chuyển đổi số", published=date(2023, 7, 20))
    assert not got


def test_the_dti_of_departments_or_districts_is_not_the_provinces():
    title, pub = "Thanh Hóa đẩy mạnh chuyển đổi số", date(2023, 7, 20)
    assert not facts("Về chỉ số chuyển đổi số cấp sở, ngành năm 2022, Sở TT&TT đứng đầu, Sở Y tế xếp thứ 2.", title=title, published=pub)
    got = facts("Chỉ số chuyển đổi số cấp tỉnh năm 2022 của Thanh Hóa xếp thứ 19/63; DTI cấp huyện, Sầm Sơn dẫn đầu.", title=title, published=pub)
    assert ranks(got) == {("dti.rank", "Thanh Hóa", 19.0)}


def test_a_threshold_reached_by_a_number_of_units_is_not_a_figure():
    assert not facts("Năm 2022, có 15/27 huyện đạt trên 0,5 điểm chỉ số chuyển đổi số.", title="Thanh Hóa đẩy mạnh chuyển đổi số", published=date(2023, 7, 20))


def test_counts_that_are_not_the_provinces_stock():
    title, pub = "Quảng Bình đẩy mạnh chuyển đổi số", date(2023, 7, 20)
    assert not facts("Tỉnh có 5 doanh nghiệp CNTT được vinh danh trong Top 10 doanh nghiệp công nghệ số.", title=title, published=pub)
    assert not facts("Hội nghị có sự tham gia của 200 doanh nghiệp CNTT.", title=title, published=pub)
    assert not facts("Tỉnh đã tổ chức 50 lớp tập huấn cho 3.000 thành viên tổ công nghệ số cộng đồng.", title=title, published=pub)
    got = facts("Toàn tỉnh có 1.500 tổ công nghệ số cộng đồng với 8.000 thành viên.", title=title, published=pub)
    assert ("workforce.community_tech_members", "Quảng Bình", 8000.0) in got


def test_the_share_of_one_area_is_not_the_provinces():
    title, pub = "Quảng Bình đẩy mạnh chuyển đổi số", date(2023, 7, 20)
    assert not facts("Tỷ lệ hộ gia đình có cáp quang ở khu vực thành thị đạt 90%.", title=title, published=pub)
    assert ("infra.fiber_household_pct", "Quảng Bình", 90.0) in facts("Tỷ lệ hộ gia đình có cáp quang đạt 90%.", title=title, published=pub)


ANNOUNCEMENT = (
    "Sáng 12/7, Bộ Thông tin và Truyền thông công bố chỉ số đánh giá chuyển đổi số của các bộ và các tỉnh năm 2022.\n\n"
    "Ở khối bộ, ngành có cung cấp dịch vụ công, Bộ Tài chính tiếp tục dẫn đầu với 0,7219 điểm.\n\n"
    "Ở khối tỉnh, Đà Nẵng giữ vị trí thứ nhất với 0,8002 điểm. Quảng Ninh đứng thứ 3 với 0,7024 điểm.\n\n"
    "Giá trị DTI trung bình cấp tỉnh năm 2022 đạt 0,5335. Trụ cột chính quyền số đạt trung bình 0,5911; kinh tế số đạt 0,4213."
)


def test_an_announcement_gives_the_ministries_and_averages_to_no_province():
    got = facts(ANNOUNCEMENT, title="Công bố chỉ số chuyển đổi số năm 2022: Quảng Ninh vào top 3", published=date(2023, 7, 13))
    assert got == {
        ("dti.rank", "Đà Nẵng", 1.0), ("dti.score", "Đà Nẵng", 0.8002),
        ("dti.rank", "Quảng Ninh", 3.0), ("dti.score", "Quảng Ninh", 0.7024),
    }


def test_a_report_on_ministries_and_provinces_is_not_the_ministries_ranking():
    got = facts("Theo báo cáo xếp hạng chuyển đổi số cấp bộ, cấp tỉnh năm 2020, tỉnh Tuyên Quang xếp hạng 44/63 tỉnh, thành phố.",
                title="Tuyên Quang và chuyển đổi số", published=date(2021, 10, 21))
    assert ranks(got) == {("dti.rank", "Tuyên Quang", 44.0)}


def test_a_place_in_a_named_region_is_not_a_national_rank():
    title, pub = "Gia Lai đẩy mạnh chuyển đổi số", date(2023, 7, 20)
    assert not ranks(facts("Năm 2022, Gia Lai đứng thứ 2 Tây Nguyên về chuyển đổi số.", title=title, published=pub))
    assert not ranks(facts("Năm 2022, Gia Lai xếp thứ 2 ĐBSCL về chuyển đổi số.", title=title, published=pub))
    assert ranks(facts("Năm 2022, Gia Lai xếp thứ 20 về chuyển đổi số.", title=title, published=pub)) == {("dti.rank", "Gia Lai", 20.0)}


def test_the_items_under_a_heading_of_targets_are_targets():
    title, pub = "Quảng Bình đẩy mạnh chuyển đổi số", date(2023, 7, 20)
    body = ("Các chỉ tiêu cụ thể đến năm 2025:\n- 100% hồ sơ thủ tục hành chính được xử lý trực tuyến.\n"
            "- 80% hộ gia đình có cáp quang.\nĐến nay, tỷ lệ hộ gia đình có cáp quang đạt 70%.")
    assert facts(body, title=title, published=pub) == {("infra.fiber_household_pct", "Quảng Bình", 70.0)}
    body = "Mục tiêu cụ thể năm 2023 như sau:\n\nTỷ lệ hồ sơ xử lý trực tuyến đạt 60%.\n\nTỷ lệ hộ gia đình có cáp quang đạt 85%."
    assert not facts(body, title=title, published=pub)
    body = "Kết quả thực hiện các chỉ tiêu năm 2022 như sau:\n- 60% hồ sơ thủ tục hành chính được xử lý trực tuyến."
    assert {g[0] for g in facts(body, title=title, published=pub)} == {"egov.online_dossier_pct"}


def test_raising_a_share_to_a_level_is_a_plan_unless_done():
    title, pub = "Quảng Bình đẩy mạnh chuyển đổi số", date(2023, 7, 20)
    assert not facts("Trong năm 2023, tỉnh tiếp tục triển khai các nhiệm vụ: nâng tỷ lệ hồ sơ trực tuyến lên 70%.", title=title, published=pub)
    got = facts("Trong năm 2022, các doanh nghiệp đã phát triển mới 101 trạm BTS, nâng tổng số trạm BTS lên 1.682 trạm.", title=title, published=pub)
    assert ("infra.bts_stations", "Quảng Bình", 1682.0) in got


def test_the_topic_named_after_a_rank_decides_whether_it_is_the_dti():
    title, pub = "Bắc Giang đẩy mạnh chuyển đổi số", date(2023, 7, 20)
    assert not ranks(facts("Năm 2022, tỉnh đứng thứ 3 cả nước về tăng trưởng kinh tế.", title=title, published=pub))
    assert not ranks(facts("Năm 2022, tỉnh xếp thứ 2 cả nước về thu ngân sách.", title=title, published=pub))
    got = facts("Năm 2022, Bắc Giang xếp thứ 15/63 tỉnh, thành phố về mức độ chuyển đổi số.", title=title, published=pub)
    assert ranks(got) == {("dti.rank", "Bắc Giang", 15.0)}
    got = facts("Bắc Giang đã vươn lên đứng vị trí thứ 17 cả nước về chỉ số đánh giá CĐS (DTI) năm 2022.", title=title, published=pub)
    assert ranks(got) == {("dti.rank", "Bắc Giang", 17.0)}


def test_a_sentence_about_the_local_area_after_a_national_one_is_the_provinces():
    got = facts("Theo Bộ TT&TT, cả nước hiện có 80.000 tổ công nghệ số cộng đồng. Đến nay, đã có 1.200 tổ công nghệ số cộng đồng được thành lập trên địa bàn.",
                title="Quảng Trị đẩy mạnh chuyển đổi số", published=date(2023, 7, 20))
    assert got == {("workforce.community_tech_teams", "Quảng Trị", 1200.0)}


def test_the_publishing_ministry_is_not_a_ranked_ministry():
    got = facts("Năm 2022, Bộ Thông tin và Truyền thông xếp Quảng Trị thứ 40/63 về chuyển đổi số.",
                title="Quảng Trị đẩy mạnh chuyển đổi số", published=date(2023, 7, 20))
    assert ranks(got) == {("dti.rank", "Quảng Trị", 40.0)}


def test_the_national_portal_or_one_department_as_subject_is_not_the_province():
    title, pub = "Quảng Trị đẩy mạnh chuyển đổi số", date(2023, 7, 20)
    assert not facts("Đến nay, Cổng Dịch vụ công quốc gia đã cung cấp 4.400 dịch vụ công trực tuyến.", title=title, published=pub)
    assert not facts("Sở Tư pháp cung cấp 150 dịch vụ công trực tuyến mức độ 4.", title=title, published=pub)
    got = facts("Sở TT&TT cho biết, đến nay có 1.500 tổ công nghệ số cộng đồng.", title=title, published=pub)
    assert got == {("workforce.community_tech_teams", "Quảng Trị", 1500.0)}
    got = facts("Tỉnh đã tích hợp 1.200 dịch vụ công lên Cổng Dịch vụ công quốc gia.", title=title, published=pub)
    assert got == {("egov.services_on_national_portal", "Quảng Trị", 1200.0)}


def test_the_share_in_some_villages_is_not_the_provinces():
    title, pub = "Quảng Trị đẩy mạnh chuyển đổi số", date(2023, 7, 20)
    assert not facts("Tỷ lệ hộ gia đình có cáp quang tại các thôn đặc biệt khó khăn đạt 45%.", title=title, published=pub)
    got = facts("Tỷ lệ hộ gia đình có cáp quang trên địa bàn tỉnh đạt 80%.", title=title, published=pub)
    assert got == {("infra.fiber_household_pct", "Quảng Trị", 80.0)}


def test_leading_the_pillars_is_not_the_overall_first_place():
    title, pub = "Đà Nẵng dẫn đầu", date(2023, 7, 20)
    assert not ranks(facts("Về DTI 2022, Đà Nẵng đứng đầu cả ba trụ cột.", title=title, published=pub))
    got = facts("Về DTI 2022, Đà Nẵng giữ vị trí số 1 với 0,8002 điểm và đứng đầu cả ba trụ cột chính quyền số, kinh tế số và xã hội số.",
                title=title, published=pub)
    assert ("dti.rank", "Đà Nẵng", 1.0) in got and ("dti.rank_digital_society", "Đà Nẵng", 1.0) in got


def test_a_table_of_the_merged_units_ranking_gives_34_unit_ranks():
    body = ("Kết quả DTI năm 2024 của các tỉnh, thành phố sau sáp nhập như sau:\n"
            "STT | Địa phương | Điểm DTI 2024 | Xếp hạng\n1 | Hà Nội | 0,8241 | 1\n2 | Hải Phòng | 0,7857 | 3\n")
    got = facts_units(body, "DTI 2024 của 34 tỉnh, thành phố", date(2025, 10, 22))
    assert ("dti.rank", "Hà Nội", 1.0, 34) in got and ("dti.score", "Hà Nội", 0.8241, 63) in got
    assert ("dti.score", "Hải Phòng", 0.7857, 34) in got


def test_a_joined_subject_without_cung_or_deu_gives_no_province_its_figure():
    title, pub = "Chuyển đổi số vùng Đông Bắc", date(2023, 7, 20)
    assert not facts("Bắc Giang và Bắc Ninh có tổng cộng 2.000 tổ công nghệ số cộng đồng.", title=title, published=pub)
    assert not facts("Ba tỉnh Bắc Giang, Bắc Ninh và Lạng Sơn có 5.000 tổ công nghệ số cộng đồng.", title=title, published=pub)
    assert not ranks(facts("Năm 2022, Bắc Giang, Bắc Ninh xếp thứ 9 và 7 về chuyển đổi số.", title=title, published=pub))
    got = facts("Năm 2022, Bắc Giang và Bắc Ninh cùng xếp thứ 8 về chuyển đổi số.", title=title, published=pub)
    assert ranks(got) == {("dti.rank", "Bắc Giang", 8.0), ("dti.rank", "Bắc Ninh", 8.0)}


def test_a_ministrys_share_is_not_the_provinces():
    title, pub = "Quảng Trị đẩy mạnh chuyển đổi số", date(2023, 7, 20)
    assert not facts("Bộ Công an đạt 90% hồ sơ được xử lý trực tuyến.", title=title, published=pub)
    got = facts("Bộ trưởng cho biết đến nay có 1.500 tổ công nghệ số cộng đồng.", title=title, published=pub)
    assert got == {("workforce.community_tech_teams", "Quảng Trị", 1500.0)}


def test_a_ministrys_figure_naming_no_province_is_national():
    title, pub = "Quảng Trị đẩy mạnh chuyển đổi số", date(2023, 7, 20)
    assert not facts("Theo Bộ TT&TT, tỷ lệ người dân sử dụng điện thoại thông minh đạt 73%.", title=title, published=pub)
    got = facts("Theo Bộ TT&TT, tỷ lệ hồ sơ trực tuyến của tỉnh đạt 60%.", title=title, published=pub)
    assert got == {("egov.online_dossier_pct", "Quảng Trị", 60.0)}
    got = facts("Theo Bộ TT&TT công bố, chỉ số DTI năm 2022 đạt 0,55 điểm, xếp thứ 40/63.", title=title, published=pub)
    assert ("dti.rank", "Quảng Trị", 40.0) in got


def test_a_count_for_each_team_in_parentheses_leaves_the_total():
    got = facts("Tỉnh có 1.200 tổ công nghệ số cộng đồng (mỗi tổ từ 5 đến 7 thành viên).",
                title="Quảng Trị: Tổ công nghệ số cộng đồng", published=date(2023, 7, 20))
    assert got == {("workforce.community_tech_teams", "Quảng Trị", 1200.0)}


def test_a_connection_in_progress_is_not_made():
    title, pub = "Quảng Trị đẩy mạnh chuyển đổi số", date(2023, 7, 20)
    assert not facts("Tỉnh đang triển khai kết nối LGSP với NDXP.", title=title, published=pub)
    got = facts("Nền tảng LGSP của tỉnh đã kết nối với nền tảng NDXP.", title=title, published=pub)
    assert got == {("infra.data_platform_national_link", "Quảng Trị", 1.0)}
