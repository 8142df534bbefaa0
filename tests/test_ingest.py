import json
import unicodedata
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from dxdata import paths
from dxdata.ingest import (
    SourceError,
    article_from_text,
    clean_text,
    load_article,
    parse_dateline,
    source_fingerprint,
    source_record,
)

SEED = paths.articles_dir() / "000_a63f0aa6a1ed3e39.txt"
VN = timezone(timedelta(hours=7))


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Thứ năm, 05/05/2022 21:48", datetime(2022, 5, 5, 21, 48, tzinfo=VN)),
        ("12/03/2023 08:15", datetime(2023, 3, 12, 8, 15, tzinfo=VN)),
        ("15:30 | 28/07/2023", datetime(2023, 7, 28, 15, 30, tzinfo=VN)),
        ("Cập nhật: 14:20 ngày 20/9/2023", datetime(2023, 9, 20, 14, 20, tzinfo=VN)),
        ("Ngày 7 tháng 10 năm 2022", datetime(2022, 10, 7, tzinfo=VN)),
        ("Chủ nhật, 1/1/2023", datetime(2023, 1, 1, tzinfo=VN)),
    ],
)
def test_parse_dateline_styles(line, expected):
    assert parse_dateline(line) == expected


@pytest.mark.parametrize("line", ["Chiều ngày 5/5/2022, Đoàn công tác đã làm việc", "31/02/2022 10:00", "Top"])
def test_parse_dateline_rejects_prose_and_impossible_dates(line):
    assert parse_dateline(line) is None


def test_seed_clean_text_drops_chrome_and_footer():
    article = load_article(SEED)
    text = article.clean_text
    for chrome in ("202255-h10.jpg", "202255-h13.jpg", "\nbanner\n", "\nicon\n", "\nTop", "Xem chi tiết", "Cổng thông tin điện tử của các đơn vị"):
        assert chrome not in text
    # The prose and the outlet credit survive untouched.
    assert "Cổng Dịch vụ công của tỉnh đang cung cấp 1.860 dịch vụ công trực tuyến" in text
    assert text.rstrip().endswith("Theo baohaugiang.com.vn")
    assert article.published == date(2022, 5, 5)
    assert article.title.startswith("Bộ Thông tin và Truyền thông cùng UBND tỉnh Hậu Giang")


def test_sentence_starting_with_theo_does_not_cut_the_article():
    raw = "Tiêu đề\n\nTheo báo cáo, tỉnh có 40 doanh nghiệp.\nĐoạn sau vẫn còn.\nTheo TTXVN\nbanner\nChân trang"
    text = clean_text(raw)
    assert "Đoạn sau vẫn còn." in text
    assert "Chân trang" not in text and "banner" not in text


def test_nfd_input_becomes_nfc():
    raw = unicodedata.normalize("NFD", "Hậu Giang có 625 cán bộ chuyên trách.\n")
    assert clean_text(raw) == unicodedata.normalize("NFC", raw)


def test_article_from_text_uses_dateline_when_no_metadata():
    art = article_from_text("Tiêu đề\n15:30 | 28/07/2023\nNội dung.", source_id="x")
    assert art.published == date(2023, 7, 28)
    assert art.title == "Tiêu đề"


def _write_source(folder: Path, source_id: str, text: str, **meta) -> Path:
    txt = folder / f"{source_id}.txt"
    txt.write_text(text, encoding="utf-8")
    sidecar = {
        "source_id": source_id,
        "title": "T",
        "publisher": "P",
        "published_at": "2023-01-02T08:00:00+07:00",
        "language": "vi",
        "licence": "test",
    }
    sidecar.update(meta)
    (folder / f"{source_id}.json").write_text(json.dumps(sidecar), encoding="utf-8")
    return txt


def test_missing_sidecar_names_the_file(tmp_path):
    txt = tmp_path / "a.txt"
    txt.write_text("x", encoding="utf-8")
    with pytest.raises(SourceError, match=r"a\.json: metadata sidecar missing"):
        load_article(txt)


def test_published_at_without_offset_is_rejected(tmp_path):
    txt = _write_source(tmp_path, "a", "Tiêu đề\nNội dung.", published_at="2023-01-02T08:00:00")
    with pytest.raises(SourceError, match=r"a\.json: published_at: Input should have timezone info"):
        load_article(txt)


def test_sha256_mismatch_is_reported(tmp_path):
    txt = _write_source(tmp_path, "a", "Tiêu đề\nNội dung.", sha256="0" * 64)
    with pytest.raises(SourceError, match=r"a\.txt: sha256 .* differs"):
        load_article(txt)


def test_non_utf8_text_is_reported(tmp_path):
    txt = _write_source(tmp_path, "a", "")
    txt.write_bytes("Hậu Giang".encode("cp1258", errors="replace") + b"\xff\xfe")
    with pytest.raises(SourceError, match=r"a\.txt: not UTF-8"):
        load_article(txt)


def test_fingerprint_changes_with_text_or_metadata(tmp_path):
    txt = _write_source(tmp_path, "a", "Tiêu đề\nNội dung.")
    first = source_fingerprint(txt)
    assert source_fingerprint(txt) == first
    _write_source(tmp_path, "a", "Tiêu đề\nNội dung.", title="Khác")
    assert source_fingerprint(txt) != first


def test_source_record_hashes_the_clean_text():
    article = load_article(SEED)
    row = source_record(article, sources_root=paths.sources_dir())
    import hashlib

    assert row["sha256"] == hashlib.sha256(article.clean_text.encode()).hexdigest()
    assert row["published_at"] == "2022-05-05T21:48:00+07:00"
    assert row["original_outlet"] == "baohaugiang.com.vn"
    assert "baohaugiang.com.vn" in row["citation"]


@pytest.mark.parametrize(
    "line, expected",
    [
        ("15-06-2022 07:30", datetime(2022, 6, 15, 7, 30, tzinfo=VN)),
        ("2023-09-14T08:30:00+07:00", datetime(2023, 9, 14, 8, 30, tzinfo=VN)),
        ("Cập nhật lúc 10:00, Thứ Ba, 7/3/2023", datetime(2023, 3, 7, 10, 0, tzinfo=VN)),
        ("Ngày đăng: 21-04-2023 | 10:12", datetime(2023, 4, 21, 10, 12, tzinfo=VN)),
        ("Thứ Ba, ngày 15/11/2022", datetime(2022, 11, 15, tzinfo=VN)),
        ("Đăng ngày: 28/03/2023", datetime(2023, 3, 28, tzinfo=VN)),
        ("Thứ Năm, 12/01/2023, 09:15 (GMT+7)", datetime(2023, 1, 12, 9, 15, tzinfo=VN)),
        # weekdays written as numbers or abbreviated
        ("Thứ 6, 13/10/2023 | 10:05", datetime(2023, 10, 13, 10, 5, tzinfo=VN)),
        ("T2, 16/10/2023 07:00", datetime(2023, 10, 16, 7, 0, tzinfo=VN)),
        ("CN, 15/10/2023", datetime(2023, 10, 15, tzinfo=VN)),
        ("Thứ Tư, 11/10/2023 9:18 (GMT +07:00)", datetime(2023, 10, 11, 9, 18, tzinfo=VN)),
        ("Thời gian đăng: 11/10/2023", datetime(2023, 10, 11, tzinfo=VN)),
        ("Đăng tải: 11/10/2023 09:18", datetime(2023, 10, 11, 9, 18, tzinfo=VN)),
        ("Ngày phát hành: 11/10/2023", datetime(2023, 10, 11, tzinfo=VN)),
    ],
)
def test_parse_dateline_more_portal_styles(line, expected):
    assert parse_dateline(line) == expected


def test_unknown_province_in_metadata_names_file_and_name(tmp_path):
    txt = _write_source(tmp_path, "a", "Tiêu đề\nNội dung.", provinces=["Hậu Giang", "Atlantis"])
    with pytest.raises(SourceError, match=r"a\.json: provinces\.1: unknown province name 'Atlantis'"):
        load_article(txt)


def test_province_aliases_in_metadata_are_accepted(tmp_path):
    txt = _write_source(tmp_path, "a", "Tiêu đề\nNội dung.", provinces=["TP.HCM", "Thừa Thiên - Huế"])
    assert load_article(txt).metadata["provinces"] == ["TP.HCM", "Thừa Thiên - Huế"]


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Chính phủ số | 15/03/2023 16:42", datetime(2023, 3, 15, 16, 42, tzinfo=VN)),
        ("Số hóa › Chuyển đổi số — Thứ ba, 12/9/2023, 06:00 (GMT+7)", datetime(2023, 9, 12, 6, 0, tzinfo=VN)),
        ("Kinh tế - 05/10/2023 10:15 GMT+7", datetime(2023, 10, 5, 10, 15, tzinfo=VN)),
        ("15/03/2023 16:42 | Chính phủ số", datetime(2023, 3, 15, 16, 42, tzinfo=VN)),
        ("05/10/2023 | 10:15", datetime(2023, 10, 5, 10, 15, tzinfo=VN)),
    ],
)
def test_parse_dateline_with_a_section_name(line, expected):
    assert parse_dateline(line) == expected


@pytest.mark.parametrize("line", ["Ngày 15/3/2023, tỉnh Kon Tum đã tổ chức hội nghị | Tin", "Thời sự | 12 tỉnh | 15/03/2023"])
def test_a_section_name_has_no_figures_and_few_words(line):
    assert parse_dateline(line) is None


def test_clean_text_drops_the_related_articles_block():
    from dxdata.ingest import clean_text

    raw = (
        "Tiêu đề\nThứ Hai, 15/05/2023 08:00\nĐoạn một.\nĐoạn hai.\nMinh Anh\n"
        "Tin liên quan\nTuyên Quang thành lập hơn 2.000 tổ công nghệ số cộng đồng\n"
    )
    text = clean_text(raw)
    assert "Minh Anh" in text and "Tuyên Quang" not in text and "Tin liên quan" not in text
    # A sentence that merely begins like a heading is prose; "Từ khóa:" with its list is not.
    prose = clean_text("Tiêu đề\nNgày 15/05/2023\nA.\nB.\nXem thêm các dịch vụ tại Cổng.\nC.\n")
    assert "Xem thêm các dịch vụ tại Cổng." in prose and "C." in prose
    tagged = clean_text("Tiêu đề\nNgày 15/05/2023\nA.\nB.\nTừ khóa: chuyển đổi số, Kon Tum\nC.\n")
    assert "Từ khóa" not in tagged and "C." not in tagged


def test_a_dateline_with_published_and_updated_stamps_is_the_published_one():
    assert parse_dateline("Đăng: 08:10, 24/08/2023 | Cập nhật: 10:25, 25/08/2023") == datetime(2023, 8, 24, 8, 10, tzinfo=VN)


def test_clean_text_drops_a_same_section_block():
    from dxdata.ingest import clean_text

    text = clean_text("Tiêu đề\nNgày 05/10/2023\nA.\nB.\nThu Phương\nBài viết cùng chuyên mục\n- Quảng Bình: 1.600 điểm cầu\n")
    assert "Thu Phương" in text and "Quảng Bình" not in text


def test_a_dateline_with_a_view_counter():
    assert parse_dateline("Ngày 12/01/2023 | Tin tức - Sự kiện | Lượt xem: 1.073") == datetime(2023, 1, 12, tzinfo=VN)


def test_find_dateline_falls_back_to_a_stamp_with_a_clock_time_near_the_top_or_bottom():
    from dxdata.ingest import find_dateline

    bottom = "Tiêu đề\nĐoạn một.\nĐoạn hai.\nMinh Anh\n14/07/2023 10:25 - Báo Bắc Giang điện tử, chuyên mục thời sự trong tỉnh\n"
    assert find_dateline(bottom) == datetime(2023, 7, 14, 10, 25, tzinfo=VN)
    # A sentence that states a date and an hour is prose, not a stamp.
    assert find_dateline("Tiêu đề\nNgày 15/3/2023, tỉnh tổ chức hội nghị lúc 8:00.\nNội dung.\n") is None


def test_clean_text_drops_other_related_headings():
    from dxdata.ingest import clean_text

    for heading in ("Tin bài khác", "TIN BÀI KHÁC", "Mới nhất | Quan tâm nhất", "Xem nhiều nhất"):
        text = clean_text(f"Tiêu đề\nNgày 05/10/2023\nA.\nB.\n{heading}\nGia Lai xếp thứ 31/34 về chỉ số chuyển đổi số\n")
        assert "Gia Lai" not in text, heading
