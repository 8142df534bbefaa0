"""Counts stated as a part of a whole and online-service levels named together."""

from __future__ import annotations

from datetime import date

from dxdata.extract import extract_article
from dxdata.model import Article


def facts(body: str, title: str = "Tin chuyển đổi số") -> set[tuple]:
    text = f"{title}\n{body}\n"
    result = extract_article(Article(source_id="t", title=title, clean_text=text, published=date(2023, 9, 1)))
    return {(f.indicator_id, f.province, f.value) for f in result.facts}


def test_part_of_total_is_the_part():
    got = facts("Hệ thống họp trực tuyến của Bắc Giang đã kết nối 205 trên tổng số 209 UBND cấp xã.")
    assert got == {("infra.videoconf_commune_units", "Bắc Giang", 205.0)}


def test_levels_three_and_four_together_are_the_total():
    got = facts("Cổng dịch vụ công của Hưng Yên cung cấp 1.640 dịch vụ công trực tuyến mức độ 3, 4, trong đó mức độ 4 là 1.020 dịch vụ.")
    assert got == {
        ("egov.online_services_total", "Hưng Yên", 1640.0),
        ("egov.online_services_level4", "Hưng Yên", 1020.0),
    }


def test_share_wordings():
    got = facts(
        "Đến nay, Bắc Kạn đã cấp chữ ký số cho 95,1% số cán bộ thuộc diện được cấp chữ ký số chuyên dùng. "
        "Năm 2023, tỉnh trao đổi 250.000 văn bản điện tử, 97,4% trong số đó được ký số. "
        "Tỷ lệ người dân từ 18 tuổi trở lên sử dụng điện thoại thông minh của tỉnh đạt 80,2%. "
        "100% cơ quan, đơn vị cấp tỉnh và cấp huyện đã kết nối Internet và mạng LAN."
    )
    assert got == {
        ("infra.digital_signature_pct", "Bắc Kạn", 95.1),
        ("egov.signed_docs_pct", "Bắc Kạn", 97.4),
        ("infra.smartphone_pct", "Bắc Kạn", 80.2),
        ("infra.agency_internet_lan_pct", "Bắc Kạn", 100.0),
    }


def test_revenue_of_these_enterprises_needs_it_context():
    got = facts("Năm 2022, Quảng Trị có 64 doanh nghiệp công nghệ thông tin; doanh thu của các doanh nghiệp này đạt 410 tỷ đồng.")
    assert ("ent.it_revenue_vnd", "Quảng Trị", 410e9) in got
    got = facts("Năm 2022, Quảng Trị có 640 doanh nghiệp du lịch; doanh thu của các doanh nghiệp này đạt 410 tỷ đồng.")
    assert not any(i == "ent.it_revenue_vnd" for i, _, _ in got)


def test_period_lengths_and_level_pairs_do_not_cut_a_cue_from_its_value():
    got = facts(
        "Tỷ lệ hồ sơ được giải quyết trực tuyến của Sóc Trăng trong 9 tháng đầu năm 2023 đạt 44,8%, "
        "tỷ lệ hồ sơ giải quyết đúng hạn đạt 97%. "
        "Năm 2022, tỷ lệ hồ sơ được xử lý trực tuyến mức độ 3, 4 của tỉnh đạt 30,5%."
    )
    assert got == {
        ("egov.online_dossier_pct", "Sóc Trăng", 44.8),
        ("egov.online_dossier_pct", "Sóc Trăng", 30.5),
    }


def test_second_value_with_the_subject_left_out_and_actual_after_a_target():
    got = facts(
        "Tỷ lệ hồ sơ trực tuyến của Cà Mau năm 2021 đạt 40,2%, và trong 6 tháng đầu năm 2022 đạt 52,3%. "
        "Năm 2023, tỉnh đặt mục tiêu tỷ lệ hồ sơ trực tuyến đạt 70%, nhưng đến hết quý III mới đạt 61%."
    )
    assert got == {
        ("egov.online_dossier_pct", "Cà Mau", 40.2),
        ("egov.online_dossier_pct", "Cà Mau", 52.3),
        ("egov.online_dossier_pct", "Cà Mau", 61.0),
    }


def test_second_value_after_another_noun_is_not_elided():
    got = facts("Tỷ lệ hồ sơ trực tuyến của Cà Mau năm 2022 đạt 52,3%, tỷ lệ thanh toán trực tuyến đạt 30%.")
    assert got == {("egov.online_dossier_pct", "Cà Mau", 52.3)}


def test_share_of_a_stated_total_and_share_after_a_count():
    got = facts(
        "Năm 2022, Bạc Liêu tiếp nhận 90.100 hồ sơ trực tuyến, chiếm 48,2% tổng số hồ sơ thủ tục hành chính. "
        "Hệ thống họp trực tuyến đã kết nối 60 trên tổng số 64 UBND cấp xã của tỉnh, chiếm 93,8%. "
        "Kinh tế số chiếm 12% GRDP của tỉnh."
    )
    assert got == {
        ("egov.online_dossier_pct", "Bạc Liêu", 48.2),
        ("infra.videoconf_commune_units", "Bạc Liêu", 60.0),
        ("infra.videoconf_commune_pct", "Bạc Liêu", 93.8),
    }


def test_it_staff_split_by_where_they_work():
    got = facts(
        "Năm 2023, đội ngũ chuyên trách công nghệ thông tin của Hà Tĩnh có 530 người; "
        "ở khối cơ quan hành chính (các sở, ngành, UBND cấp huyện) là 210 người, "
        "còn lại 320 người làm việc tại các trường, cơ sở y tế và đơn vị sự nghiệp khác."
    )
    assert got == {
        ("workforce.it_staff_total", "Hà Tĩnh", 530.0),
        ("workforce.it_staff_government", "Hà Tĩnh", 210.0),
        ("workforce.it_staff_public_units", "Hà Tĩnh", 320.0),
    }


def test_elided_second_value_in_a_later_year_is_not_a_fact():
    got = facts("Tỷ lệ hồ sơ trực tuyến của Cà Mau năm 2022 đạt 52,3%, năm 2025 đạt 80%.")
    assert got == {("egov.online_dossier_pct", "Cà Mau", 52.3)}


def test_actual_after_a_target_year_is_dated_by_publication():
    got = facts("Tỷ lệ hồ sơ trực tuyến của Hà Tĩnh đặt mục tiêu năm 2025 đạt 80%, nhưng hiện mới đạt 42%.")
    assert got == {("egov.online_dossier_pct", "Hà Tĩnh", 42.0)}


def test_elided_value_followed_by_another_measure_is_not_taken():
    got = facts("Tỷ lệ hồ sơ trực tuyến của Hà Nam năm 2022 đạt 60%, đến nay đạt 95% hồ sơ được số hóa.")
    assert got == {("egov.online_dossier_pct", "Hà Nam", 60.0)}
