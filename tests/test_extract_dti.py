"""DTI reporting constructions: pillar ranks in several word orders, ranks that follow a pillar
score, respective lists, pillar and sub-index scores, ranks in words."""

from __future__ import annotations

from datetime import date

from dxdata.extract import extract_article
from dxdata.model import Article


def facts(body: str, title: str = "Kết quả chuyển đổi số năm 2022") -> set[tuple]:
    text = f"{title}\n{body}\n"
    result = extract_article(Article(source_id="t", title=title, clean_text=text, published=date(2023, 9, 1)))
    return {(f.indicator_id, f.province, f.value) for f in result.facts}


def test_rank_before_pillar_name_is_the_pillar_rank_not_the_overall_rank():
    got = facts("Năm 2022, Sơn La xếp thứ 52 về chính quyền số, thứ 47 về kinh tế số và thứ 58 về xã hội số.")
    assert got == {
        ("dti.rank_digital_government", "Sơn La", 52.0),
        ("dti.rank_digital_economy", "Sơn La", 47.0),
        ("dti.rank_digital_society", "Sơn La", 58.0),
    }


def test_pillar_ranks_with_the_verb_given_once():
    got = facts("Về chuyển đổi số năm 2022, ở trụ cột chính quyền số Long An xếp thứ 15, kinh tế số thứ 9 và xã hội số thứ 21.")
    assert ("dti.rank_digital_economy", "Long An", 9.0) in got
    assert ("dti.rank_digital_society", "Long An", 21.0) in got


def test_respective_list_assigns_in_order():
    got = facts("Về DTI 2022, ba trụ cột chính quyền số, kinh tế số và xã hội số của Tây Ninh lần lượt xếp thứ 33, 25 và 40.")
    assert got == {
        ("dti.rank_digital_government", "Tây Ninh", 33.0),
        ("dti.rank_digital_economy", "Tây Ninh", 25.0),
        ("dti.rank_digital_society", "Tây Ninh", 40.0),
    }


def test_respective_list_with_a_count_mismatch_assigns_nothing():
    got = facts("Về DTI 2022, hai trụ cột chính quyền số và kinh tế số của Tây Ninh lần lượt xếp thứ 33, 25 và 40.")
    assert not any(i.startswith("dti.rank_digital") and v in (25.0, 40.0) for i, _, v in got)


def test_rank_after_pillar_score_takes_the_pillar_and_shared_ranks():
    got = facts(
        "Về chuyển đổi số năm 2022, trụ cột chính quyền số của Bến Tre đạt 0,5123 điểm, xếp hạng 31/63; "
        "kinh tế số đạt 0,4411 điểm và xã hội số đạt 0,4789 điểm, cùng xếp thứ 19."
    )
    assert got == {
        ("dti.score_pillar_government", "Bến Tre", 0.5123),
        ("dti.rank_digital_government", "Bến Tre", 31.0),
        ("dti.score_pillar_economy", "Bến Tre", 0.4411),
        ("dti.score_pillar_society", "Bến Tre", 0.4789),
        ("dti.rank_digital_economy", "Bến Tre", 19.0),
        ("dti.rank_digital_society", "Bến Tre", 19.0),
    }


def test_rank_after_a_sub_index_score_is_not_the_overall_rank():
    # The sub-index's own rank (a main-index rank indicator), never the overall DTI rank.
    got = facts("Theo DTI 2022, chỉ số Hạ tầng số của Đồng Tháp đạt 0,7012 điểm, xếp thứ 6 cả nước.")
    assert got == {("dti.score_digital_infrastructure", "Đồng Tháp", 0.7012), ("dti.rank_digital_infrastructure", "Đồng Tháp", 6.0)}


def test_sub_index_scores_listed_and_in_parentheses():
    got = facts(
        "Theo DTI 2022, các chỉ số chính của Lạng Sơn: Nhận thức số 0,8500; Thể chế số 0,7000; "
        "An toàn thông tin mạng 0,6120. Chỉ số Nhân lực số (0,5530) và Hoạt động kinh tế số (0,4012) còn thấp."
    )
    assert got == {
        ("dti.score_digital_awareness", "Lạng Sơn", 0.85),
        ("dti.score_digital_institutions", "Lạng Sơn", 0.7),
        ("dti.score_cybersecurity", "Lạng Sơn", 0.612),
        ("dti.score_digital_workforce", "Lạng Sơn", 0.553),
        ("dti.score_digital_economy_ops", "Lạng Sơn", 0.4012),
    }


def test_value_before_sub_index_name_and_superlative_is_not_national():
    got = facts("Theo DTI 2022, Hải Dương đạt 0,9500 điểm ở chỉ số Thể chế số và có chỉ số Hạ tầng số cao nhất cả nước với 0,8120 điểm.")
    assert got == {
        ("dti.score_digital_institutions", "Hải Dương", 0.95),
        ("dti.score_digital_infrastructure", "Hải Dương", 0.812),
    }


def test_total_score_wording():
    got = facts("Theo DTI 2022, Kiên Giang xếp thứ 30/63 với tổng điểm 0,5012.")
    assert got == {("dti.rank", "Kiên Giang", 30.0), ("dti.score", "Kiên Giang", 0.5012)}


def test_ranks_in_words_and_first_place():
    got = facts("Theo DTI 2022, Bình Phước giữ vị trí số một năm thứ hai liên tiếp.")
    assert got == {("dti.rank", "Bình Phước", 1.0)}
    got = facts("Theo DTI 2022, Vĩnh Long đứng đầu cả ba trụ cột chính quyền số, kinh tế số và xã hội số.")
    assert got == {
        ("dti.rank_digital_government", "Vĩnh Long", 1.0),
        ("dti.rank_digital_economy", "Vĩnh Long", 1.0),
        ("dti.rank_digital_society", "Vĩnh Long", 1.0),
    }


def test_event_ordinals_and_ranking_sizes_are_not_ranks():
    got = facts("Đây là lần thứ 3 Hòa Bình tổ chức hội nghị chuyển đổi số; ở bảng xếp hạng 34 địa phương, tỉnh chưa có tên.")
    assert not any(i.startswith("dti.rank") for i, _, _ in got)
    got = facts("Theo DTI 2022, Hòa Bình là địa phương thứ 12 hoàn thành kết nối nền tảng, tỉnh thứ 5 triển khai đề án.")
    assert not any(i.startswith("dti.rank") for i, _, _ in got)
    got = facts("Người đứng đầu cơ quan chuyển đổi số của Hòa Bình đã ký số 100% văn bản.")
    assert not any(i.startswith("dti.rank") for i, _, _ in got)


def test_numbers_in_parentheses_after_province_names_in_a_ranking():
    got = facts(
        "Theo bảng xếp hạng DTI 2022, nhóm dẫn đầu còn có Long An (0,7011) và Bình Dương (0,6987); "
        "cuối bảng là Hà Giang (59) và Điện Biên (60)."
    )
    assert got == {
        ("dti.score", "Long An", 0.7011),
        ("dti.score", "Bình Dương", 0.6987),
        ("dti.rank", "Hà Giang", 59.0),
        ("dti.rank", "Điện Biên", 60.0),
    }


def test_number_in_parentheses_needs_a_ranking_sentence_and_a_bare_number():
    got = facts("Về chuyển đổi số, Hà Giang (59 tổ công nghệ số) và Điện Biên (60) đã tổ chức tập huấn.")
    assert not any(i == "dti.rank" for i, _, _ in got)


def test_pillars_named_after_first_place_beat_the_score_pairing():
    got = facts("Theo DTI 2022, Quảng Bình giữ vị trí số 1 với 0,6102 điểm và đứng đầu cả ba trụ cột chính quyền số, kinh tế số và xã hội số.")
    assert {i for i, _, v in got if v == 1.0} == {
        "dti.rank", "dti.rank_digital_government", "dti.rank_digital_economy", "dti.rank_digital_society",
    }


def test_quoted_edition_not_yet_announced_falls_back_to_the_previous_one_even_without_its_date():
    from dxdata.editions import Edition, edition_for

    editions = (Edition(2022, date(2023, 7, 12)), Edition(2023, None), Edition(2024, date(2025, 10, 21)))
    choice = edition_for(2024, date(2025, 3, 11), editions)
    assert choice.year == 2023 and not choice.certain
    assert edition_for(2024, date(2025, 11, 1), editions).year == 2024


def test_year_later_in_the_rank_clause_dates_the_rank():
    text = "Hưng Yên giữ hạng chuyển đổi số\nHưng Yên đứng thứ 9/63 về DTI 2022. Trước đó, tỉnh cũng xếp thứ 11 trong lần đánh giá năm 2021, tăng 2 bậc so với năm 2020.\n"
    result = extract_article(Article(source_id="t", title=text.splitlines()[0], clean_text=text, published=date(2023, 9, 1)))
    got = {(f.indicator_id, f.value, f.ref_year) for f in result.facts}
    assert ("dti.rank", 9.0, 2022) in got and ("dti.rank", 11.0, 2021) in got


def test_whole_number_in_parentheses_is_not_a_score():
    got = facts("Theo DTI 2022, Sơn La (1) và Điện Biên (2) được nêu trong phụ lục của báo cáo.")
    assert got == set()


def test_first_place_needs_the_index_named_in_its_sentence():
    text = "Chuyển đổi số ở Hậu Giang\nNăm 2022, Hậu Giang đứng đầu cả nước với 98% hồ sơ được giải quyết đúng hạn.\n"
    result = extract_article(Article(source_id="t", title=text.splitlines()[0], clean_text=text, published=date(2023, 9, 1)))
    assert [f for f in result.facts if f.indicator_id == "dti.rank"] == []
    got = facts("Năm 2022, Hậu Giang đứng đầu cả nước về chuyển đổi số.")
    assert got == {("dti.rank", "Hậu Giang", 1.0)}


def test_respective_over_provinces_and_a_target_year_never_dates_an_achieved_rank():
    got = facts("Theo DTI 2022, Hà Tĩnh và Nghệ An lần lượt xếp thứ 28 và 30.")
    assert got == {("dti.rank", "Hà Tĩnh", 28.0), ("dti.rank", "Nghệ An", 30.0)}
    got = facts("Theo DTI 2022, Hà Tĩnh, Nghệ An và Quảng Bình lần lượt xếp thứ 28 và 30.")
    assert got == set()
    text = "Hà Tĩnh và chuyển đổi số\nHà Tĩnh đặt mục tiêu năm 2025 xếp thứ 20 về chuyển đổi số, nhưng hiện mới xếp thứ 28.\n"
    result = extract_article(Article(source_id="t", title="Hà Tĩnh và chuyển đổi số", clean_text=text, published=date(2023, 9, 1)))
    assert [(f.value, f.ref_year) for f in result.facts if f.indicator_id == "dti.rank"] == [(28.0, 2022)]


def test_pillar_move_then_rank_and_a_counted_group_of_leaders():
    got = facts("Theo DTI 2022, trụ cột chính quyền số của Hà Tĩnh tăng 10 bậc, lên vị trí thứ 15.")
    assert got == {("dti.rank_digital_government", "Hà Tĩnh", 15.0)}
    got = facts("Năm 2022, Hà Tĩnh có 3 huyện đứng đầu về chuyển đổi số.")
    assert not any(i == "dti.rank" for i, _, _ in got)


def test_2024_edition_ranks_in_the_34_unit_ranking_carry_that_unit_set():
    text = (
        "DTI 2024: Lâm Đồng xếp thứ 20/34\n"
        "Theo DTI 2024, tỉnh Lâm Đồng xếp thứ 20/34 tỉnh, thành phố. "
        "Nếu xét theo 63 đơn vị cũ, Lâm Đồng (cũ) xếp thứ 35, Đắk Nông (cũ) thứ 50.\n"
    )
    result = extract_article(Article(source_id="t", title=text.splitlines()[0], clean_text=text, published=date(2025, 11, 2)))
    got = {(f.province, f.value, f.unit_set) for f in result.facts if f.indicator_id == "dti.rank"}
    assert got == {("Lâm Đồng", 20.0, 34), ("Lâm Đồng", 35.0, 63), ("Đắk Nông", 50.0, 63)}
    new_lam_dong = next(f for f in result.facts if f.unit_set == 34)
    from dxdata.provinces import register_for

    assert register_for(34).lookup("Lâm Đồng").code == new_lam_dong.province_code


def test_rank_in_parentheses_after_a_pillar_score():
    got = facts("Theo DTI 2022, Hà Nam đạt 0,5012 điểm (xếp thứ 20); trụ cột kinh tế số đạt 0,4410 điểm (xếp thứ 8).")
    assert got == {
        ("dti.score", "Hà Nam", 0.5012),
        ("dti.rank", "Hà Nam", 20.0),
        ("dti.score_pillar_economy", "Hà Nam", 0.441),
        ("dti.rank_digital_economy", "Hà Nam", 8.0),
    }


def test_score_after_a_rank_belongs_to_the_ranked_indicator():
    got = facts("Theo DTI 2022, trụ cột kinh tế số của Hà Nam xếp thứ 8 với 0,4410 điểm.")
    assert got == {("dti.rank_digital_economy", "Hà Nam", 8.0), ("dti.score_pillar_economy", "Hà Nam", 0.441)}
    got = facts("Theo DTI 2022, chỉ số Hạ tầng số của Hà Nam xếp thứ 5 với 0,7100 điểm.")
    assert got == {("dti.score_digital_infrastructure", "Hà Nam", 0.71), ("dti.rank_digital_infrastructure", "Hà Nam", 5.0)}


def test_gaps_between_scores_are_not_scores():
    assert facts("Theo DTI 2022, khoảng cách giữa Hà Nam và tỉnh dẫn đầu vẫn còn 0,25 điểm.") == set()
    assert facts("Theo DTI 2022, Hà Nam chênh lệch 0,05 điểm với tỉnh đứng trên.") == set()


def test_regional_rank_is_not_the_national_rank():
    got = facts("Theo DTI 2022, Gia Lai xếp thứ 3/5 tỉnh Tây Nguyên và thứ 40/63 cả nước.")
    assert got == {("dti.rank", "Gia Lai", 40.0)}
    got = facts("Theo DTI 2022, Cần Thơ đứng thứ 1 khu vực Đồng bằng sông Cửu Long và thứ 5 cả nước.")
    assert got == {("dti.rank", "Cần Thơ", 5.0)}
