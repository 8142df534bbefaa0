"""Province attribution when a sentence names no province: a province named only in passing
(a comparison, an aside in parentheses, a list after "chỉ sau") never becomes the subject of
later sentences, and a sentence that follows one naming several provinces takes the article's
own subject, or none."""

from __future__ import annotations

from datetime import date

from dxdata.extract import extract_article
from dxdata.model import Article


def run(body: str, title: str):
    text = f"{title}\n{body}\n"
    return extract_article(Article(source_id="t", title=title, clean_text=text, published=date(2024, 3, 12)))


def facts(body: str, title: str) -> set[tuple]:
    return {(f.indicator_id, f.province, f.value) for f in run(body, title).facts}


def test_province_after_chi_sau_is_not_carried_into_the_next_sentence():
    got = facts(
        "Phú Thọ xếp thứ 4/63 về chuyển đổi số, chỉ sau Quảng Ninh và Bình Dương. "
        "Toàn tỉnh hiện có 315 doanh nghiệp công nghệ thông tin.",
        title="Phú Thọ vào nhóm dẫn đầu về chuyển đổi số",
    )
    assert ("ent.it_enterprises", "Phú Thọ", 315.0) in got
    assert not any(p in ("Quảng Ninh", "Bình Dương") and i == "ent.it_enterprises" for i, p, _ in got)


def test_province_in_a_parenthetical_aside_is_not_the_subject():
    got = facts(
        "Lãnh đạo Sở cho rằng các xã vùng cao (từng thuộc Hà Giang) còn thiếu hạ tầng. "
        "Hiện tỉnh có 2.140 trạm BTS.",
        title="Tuyên Quang đẩy mạnh hạ tầng số",
    )
    assert got == {("infra.bts_stations", "Tuyên Quang", 2140.0)}


def test_sentence_after_a_two_province_comparison_takes_the_article_subject():
    got = facts(
        "Trước sáp nhập, Hà Nam đứng thứ 30 còn Nam Định đứng thứ 45 về chuyển đổi số. "
        "Hiện toàn tỉnh có 1.870 trạm BTS.",
        title="Ninh Bình mới: hạ tầng số sau hợp nhất",
    )
    # Neither compared province is the subject, and the title's province was not among them:
    # the BTS count is not attributed to anyone rather than guessed.
    assert not any(i == "infra.bts_stations" for i, _, _ in got)
    got = facts(
        "Trước sáp nhập, Hà Nam đứng thứ 30 còn Nam Định đứng thứ 45 về chuyển đổi số. "
        "Hiện toàn tỉnh có 1.870 trạm BTS.",
        title="Nam Định: hạ tầng số sau hợp nhất",
    )
    assert ("infra.bts_stations", "Nam Định", 1870.0) in got
    assert ("infra.bts_stations", "Hà Nam", 1870.0) not in got


def test_unambiguous_previous_subject_is_still_carried():
    got = facts(
        "Năm 2023, Yên Bái đã có 1.050 tổ công nghệ số cộng đồng. Tỉnh cũng có 2.960 trạm BTS.",
        title="Chuyển đổi số ở miền núi phía Bắc",
    )
    assert got == {("workforce.community_tech_teams", "Yên Bái", 1050.0), ("infra.bts_stations", "Yên Bái", 2960.0)}


def test_rank_followed_by_la_goes_to_the_province_named_after_it():
    got = facts(
        "Theo DTI 2022, Bình Định đứng thứ nhất trong bảng xếp hạng; xếp thứ hai là tỉnh Phú Yên.",
        title="Xếp hạng chuyển đổi số Nam Trung Bộ",
    )
    assert ("dti.rank", "Phú Yên", 2.0) in got
    assert ("dti.rank", "Bình Định", 2.0) not in got


def test_regional_total_and_district_with_descriptor_are_not_the_province():
    got = facts(
        "Cả vùng hiện có hơn 9.000 tổ công nghệ số cộng đồng. "
        "Ở huyện vùng cao Mèo Vạc, khoảng 48% người dân dùng điện thoại thông minh.",
        title="Hà Giang phát triển tổ công nghệ số",
    )
    assert got == set()


def test_joined_subject_with_cung_shares_the_figure():
    got = facts(
        "Năm 2023, Bến Tre và Trà Vinh cùng đạt 100% UBND cấp xã có hệ thống họp trực tuyến.",
        title="Họp trực tuyến ở Đồng bằng sông Cửu Long",
    )
    assert got == {("infra.videoconf_commune_pct", "Bến Tre", 100.0), ("infra.videoconf_commune_pct", "Trà Vinh", 100.0)}
    got = facts(
        "Năm 2023, Bến Tre và Trà Vinh đạt 100% UBND cấp xã có hệ thống họp trực tuyến.",
        title="Họp trực tuyến ở Đồng bằng sông Cửu Long",
    )
    # Without "cùng"/"đều" nothing says the first province shares the figure.
    assert ("infra.videoconf_commune_pct", "Bến Tre", 100.0) not in got


def test_contrast_province_keeps_its_own_figure_but_is_not_carried():
    got = facts(
        "Năm 2023, Gia Lai có 1.310 tổ công nghệ số cộng đồng, còn Kon Tum có 870 tổ. Toàn tỉnh có 2.410 trạm BTS.",
        title="Gia Lai phát triển tổ công nghệ số",
    )
    assert got == {
        ("workforce.community_tech_teams", "Gia Lai", 1310.0),
        ("workforce.community_tech_teams", "Kon Tum", 870.0),
        ("infra.bts_stations", "Gia Lai", 2410.0),
    }


def test_province_compared_with_is_not_the_subject_and_the_gap_is_not_a_value():
    got = facts(
        "Theo DTI 2022, Quảng Trị đạt 0,4620 điểm, kém Thừa Thiên Huế 0,2 điểm và xếp thứ 46. "
        "So với Quảng Bình, tỉnh có nhiều hơn 150 trạm BTS.",
        title="Quảng Trị và chuyển đổi số",
    )
    assert got == {("dti.score", "Quảng Trị", 0.462), ("dti.rank", "Quảng Trị", 46.0)}


def test_number_in_parentheses_right_after_a_compared_province_is_its_own():
    got = facts(
        "Theo DTI 2022, Bình Dương đứng thứ 3/63 với 0,6950 điểm, chỉ sau Đà Nẵng (0,8002 điểm) và TP. Hồ Chí Minh (0,7163 điểm).",
        title="Bình Dương lọt top 3 chuyển đổi số",
    )
    assert got == {
        ("dti.rank", "Bình Dương", 3.0),
        ("dti.score", "Bình Dương", 0.695),
        ("dti.score", "Đà Nẵng", 0.8002),
        ("dti.score", "Hồ Chí Minh", 0.7163),
    }


def test_both_provinces_do_it_gives_the_fact_to_each():
    got = facts(
        "Năm 2023, Sóc Trăng có 1.120 trạm BTS, Bạc Liêu có 980 trạm BTS. "
        "Cả hai tỉnh đều đã kết nối nền tảng LGSP với Nền tảng tích hợp, chia sẻ dữ liệu quốc gia (NDXP).",
        title="Hạ tầng số ở hai tỉnh ven biển",
    )
    links = {p for i, p, _ in got if i == "infra.data_platform_national_link"}
    assert links == {"Sóc Trăng", "Bạc Liêu"}
    got = facts(
        "Năm 2023, Sóc Trăng có 1.120 trạm BTS, Bạc Liêu có 980 trạm BTS, Cà Mau có 1.300 trạm BTS. "
        "Cả hai tỉnh đều đã kết nối nền tảng LGSP với Nền tảng tích hợp, chia sẻ dữ liệu quốc gia (NDXP).",
        title="Hạ tầng số ở ba tỉnh ven biển",
    )
    # Three provinces named, "cả hai tỉnh": which two is not said.
    assert {p for i, p, _ in got if i == "infra.data_platform_national_link"} <= {"Cà Mau"}


def test_province_named_after_the_number_across_a_comma_is_still_its_subject():
    got = facts("Lai Châu có 900 trạm BTS. Với 1.250 trạm BTS, Sơn La đã phủ sóng 4G đến mọi thôn bản.", title="Hạ tầng số Tây Bắc")
    assert got == {("infra.bts_stations", "Lai Châu", 900.0), ("infra.bts_stations", "Sơn La", 1250.0)}


def test_group_subject_in_the_next_paragraph():
    got = facts(
        "Theo DTI 2022, Thanh Hóa đứng thứ 18, Nghệ An thứ 26 còn Hà Tĩnh xếp thứ 35.\n"
        "Cả ba tỉnh đều đã kết nối nền tảng LGSP với nền tảng NDXP quốc gia.",
        title="Ba tỉnh Bắc Trung Bộ và chuyển đổi số",
    )
    assert {p for i, p, _ in got if i == "infra.data_platform_national_link"} == {"Thanh Hóa", "Nghệ An", "Hà Tĩnh"}


def test_province_named_several_sentences_back_goes_to_review_unless_it_is_the_subject():
    body = (
        "Gia Lai và Kon Tum đã ký kết hợp tác về chuyển đổi số.\n"
        "Ở Tây Nguyên, Đắk Nông đã triển khai nhiều mô hình mới. Các mô hình được người dân đón nhận. "
        "Nhiều xã đã có điểm phục vụ dịch vụ công. Chính quyền các cấp vào cuộc quyết liệt. "
        "Tỉnh có 1.040 trạm BTS."
    )
    result = run(body, title="Chuyển đổi số ở Tây Nguyên")
    assert not any(f.indicator_id == "infra.bts_stations" for f in result.facts)
    assert any(f.indicator_id == "infra.bts_stations" and f.province == "Đắk Nông" for f in result.candidates)
    result = run(body, title="Đắk Nông đẩy mạnh chuyển đổi số")
    assert any(f.indicator_id == "infra.bts_stations" and f.province == "Đắk Nông" for f in result.facts)


def test_press_nicknames_name_their_province():
    from datetime import date

    from dxdata.extract import extract_article
    from dxdata.model import Article

    body = (
        "Giám đốc Sở cho biết hạ tầng của thành phố Tây Đô cơ bản đã hoàn thiện: hệ thống họp trực tuyến "
        "đã kết nối 9/9 quận, huyện và 80 xã, phường, thị trấn."
    )
    result = extract_article(Article("t", "Tin chuyển đổi số", f"Tin chuyển đổi số\n{body}\n", date(2023, 7, 20), {}))
    got = {(f.indicator_id, f.province, f.value) for f in result.facts}
    assert got == {("infra.videoconf_district_units", "Cần Thơ", 9.0), ("infra.videoconf_commune_units", "Cần Thơ", 80.0)}


def test_a_nickname_file_row_without_a_register_code_is_an_error_naming_the_file(tmp_path):
    import pytest

    from dxdata.extract import RuleError, province_nicknames

    bad = tmp_path / "province_nicknames.csv"
    bad.write_text("nickname,province_code,note\nXứ Thanh,99,\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"province_nicknames.csv: line 2"):
        province_nicknames(bad)
