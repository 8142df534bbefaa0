#!/usr/bin/env python3
"""Extraction throughput on a generated corpus, against one bare regular-expression pass.

Generates N synthetic Vietnamese news articles in memory (deterministic seed; templates with
varied provinces, aliases, numbers in Vietnamese notation, qualifiers, targets and filler
sentences; about 2-4 KB each), then, on one core:

  (a) runs the engine, `extract_article(Article)` (default `dxdata.extract:extract_article`),
      on every article;
  (b) runs `re.finditer(r"\\d+", text)` over every article, consuming all matches: the cheapest
      pass that still looks at every number, i.e. the floor any extractor is compared with.

It prints MB/s (10^6 bytes of UTF-8 text per second) and articles/s for both, the ratio of
engine time to regex time (CPU seconds, which other processes on a shared machine disturb less
than wall time), the peak resident memory of the process and the engine's peak Python heap on
a sample (tracemalloc, measured in a separate untimed pass because tracing slows code down).

Nothing is written to disk. Usage:

    .venv/bin/python scripts/benchmark_extraction.py [--articles 10000] [--json] [--pure]

The engine build that ran (mypyc-compiled or pure Python, dxdata/compiled.py) is printed;
--pure runs the pure-Python engine even when a compiled build is present.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import os
import platform
import random
import re
import resource
import sys
import time
import tracemalloc
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

# dxdata picks its engine build when first imported, so --pure has to act before that.
if "--pure" in sys.argv[1:]:
    os.environ["DXDATA_PURE_PYTHON"] = "1"

from dxdata import compiled  # noqa: E402
from dxdata.model import Article  # noqa: E402
from dxdata.provinces import load_register  # noqa: E402

DIGITS = re.compile(r"\d+")
WARMUP_ARTICLES = 20
HEAP_SAMPLE_ARTICLES = 300

# --- corpus -----------------------------------------------------------------------------------


def vn_number(value: float, decimals: int = 0) -> str:
    """Vietnamese notation: '.' groups thousands, ',' marks decimals (12.345,6)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


QUALIFIERS = ["", "", "", "", "khoảng ", "hơn ", "gần ", "trên ", "xấp xỉ ", "ước ", "chưa đến ", "ít nhất "]

WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]

TITLES = [
    "{p} đẩy mạnh chuyển đổi số trong cơ quan nhà nước",
    "{p} phát triển hạ tầng số phục vụ người dân",
    "{p}: chính quyền số vận hành ngày càng hiệu quả",
    "{p} cải thiện thứ hạng chuyển đổi số",
    "{p} thu hút doanh nghiệp công nghệ số",
    "{p} phát huy vai trò tổ công nghệ số cộng đồng",
    "Chuyển đổi số ở {p}: những kết quả bước đầu",
]

DATELINES = [
    "{wd}, {d:02d}/{m:02d}/{y} {hh:02d}:{mm:02d}",
    "{d:02d}/{m:02d}/{y} {hh:02d}:{mm:02d}",
    "Cập nhật: {hh:02d}:{mm:02d} ngày {d}/{m}/{y}",
    "Ngày {d} tháng {m} năm {y}",
    "{hh:02d}:{mm:02d} | {d:02d}/{m:02d}/{y}",
    "Đăng ngày: {d:02d}/{m:02d}/{y}",
    "{wd}, ngày {d}/{m}/{y}",
]

LEADS = [
    "Theo báo cáo của Sở TT&TT tỉnh {p}, công tác chuyển đổi số trên địa bàn đã đạt nhiều kết quả tích cực.",
    "Chiều ngày {d}/{m}/{y}, UBND tỉnh {p} tổ chức hội nghị sơ kết công tác chuyển đổi số.",
    "Đoàn công tác của Bộ TT&TT đã có buổi làm việc với UBND tỉnh {p} về chuyển đổi số.",
    "Lãnh đạo {p} xác định chuyển đổi số là nhiệm vụ trọng tâm của cả hệ thống chính trị.",
]

# Each fact template draws its own figure; the engine is free to find them or not, the
# benchmark only needs realistic sentences for it to work through.
FACT_TEMPLATES = [
    lambda r: f"Cổng Dịch vụ công của tỉnh hiện cung cấp {r.q()}{vn_number(r.randint(900, 2400))} DVCTT, trong đó có {vn_number(r.randint(300, 1500))} dịch vụ toàn trình.",
    lambda r: f"Tỉnh đã tích hợp {vn_number(r.randint(400, 1800))} dịch vụ công lên Cổng Dịch vụ công quốc gia.",
    lambda r: f"Năm {r.year()}, tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến đạt {vn_number(r.uniform(10, 95), 1)}%.",
    lambda r: f"Đến nay, {r.q()}{r.randint(80, 100)}% tổ chức, lãnh đạo đã được cấp chữ ký số chuyên dùng, với {vn_number(r.randint(1000, 25000))} chứng thư số.",
    lambda r: f"Hệ thống họp trực tuyến đã kết nối tới {r.randint(7, 15)} UBND cấp huyện (100%) và {r.randint(60, 240)} UBND cấp xã (100%), với {r.randint(80, 400)} điểm cầu.",
    lambda r: f"Toàn tỉnh hiện có {vn_number(r.randint(800, 4500))} trạm BTS; tỷ lệ hộ gia đình có kết nối cáp quang băng rộng đạt {vn_number(r.uniform(40, 98), 1)}%.",
    lambda r: f"Tỷ lệ người trưởng thành sử dụng điện thoại thông minh hiện đạt {r.q()}{vn_number(r.uniform(55, 95), 1)}%.",
    lambda r: f"Toàn tỉnh có {vn_number(r.randint(300, 5500))} tổ công nghệ số cộng đồng với {r.q()}{vn_number(r.randint(2, 30) * 1000)} thành viên.",
    lambda r: f"Toàn tỉnh có {r.randint(150, 700)} cán bộ chuyên trách, phụ trách CNTT; trong đó {r.randint(60, 200)} người làm việc tại các sở, ngành và UBND cấp huyện, cấp xã.",
    lambda r: f"Phần mềm quản lý cán bộ, công chức, viên chức đã được triển khai tại {vn_number(r.randint(300, 1300))} cơ quan, đơn vị với {r.q()}{vn_number(r.randint(10, 45) * 1000)} hồ sơ.",
    lambda r: f"Tỉnh hiện có {r.q()}{r.randint(20, 450)} doanh nghiệp CNTT với {r.q()}{vn_number(r.randint(3, 50) * 100)} lao động.",
    lambda r: f"Năm {r.year()}, doanh thu của các doanh nghiệp CNTT trên địa bàn đạt {r.q()}{vn_number(r.uniform(0.2, 3), 1)} nghìn tỷ đồng.",
    lambda r: f"Trong năm {r.year()}, hệ thống đã tiếp nhận {vn_number(r.randint(1000, 40000))} phản ánh hiện trường của người dân.",
    lambda r: f"Theo Bộ chỉ số DTI năm {r.year()}, tỉnh xếp thứ {r.randint(1, 63)}/63 tỉnh, thành phố với 0,{r.randint(3000, 8000)} điểm.",
    lambda r: f"Ở các trụ cột, chính quyền số xếp thứ {r.randint(1, 63)}, kinh tế số xếp thứ {r.randint(1, 63)} và xã hội số xếp thứ {r.randint(1, 63)}.",
    lambda r: f"Tỷ lệ văn bản điện tử được ký số trong các CQNN đạt {vn_number(r.uniform(85, 100), 1)}%.",
]

TRAP_TEMPLATES = [
    lambda r: f"Tỉnh phấn đấu đến năm 2025 đạt {r.randint(60, 100)}% hồ sơ thủ tục hành chính được xử lý trực tuyến.",
    lambda r: f"Cả nước hiện có hơn {vn_number(r.randint(60, 95) * 1000)} tổ công nghệ số cộng đồng.",
    lambda r: f"Số hồ sơ nộp trực tuyến tăng {vn_number(r.uniform(5, 60), 1)}% so với cùng kỳ năm trước.",
    lambda r: f"Người dân cần hỗ trợ có thể gọi đường dây nóng 02{r.randint(10, 99)}.3.{r.randint(100, 999)}.{r.randint(100, 999)}.",
    lambda r: f"UBND tỉnh đã ban hành Kế hoạch số {r.randint(10, 300)}/KH-UBND ngày {r.randint(1, 28)}/{r.randint(1, 12)}/{r.year()} về chuyển đổi số.",
    lambda r: f"Riêng huyện miền núi của tỉnh đã lắp đặt thêm {r.randint(5, 60)} điểm cầu tại các thôn, bản.",
    lambda r: f"Ở bảng xếp hạng PCI năm {r.year()}, tỉnh đứng thứ {r.randint(1, 63)}.",
]

FILLERS = [
    "Lãnh đạo tỉnh đánh giá cao sự vào cuộc của các sở, ban, ngành và chính quyền cơ sở.",
    "Nhiều mô hình hay, cách làm hiệu quả đã được nhân rộng ra các địa phương trong tỉnh.",
    "Tuy nhiên, hạ tầng viễn thông ở một số xã vùng sâu, vùng xa vẫn còn hạn chế.",
    "Nhận thức của một bộ phận cán bộ và người dân về chuyển đổi số chưa đầy đủ.",
    "Sở TT&TT sẽ tiếp tục phối hợp với các doanh nghiệp viễn thông để hỗ trợ người dân.",
    "Các cơ sở dữ liệu chuyên ngành từng bước được kết nối, chia sẻ phục vụ chỉ đạo, điều hành.",
    "Đội ngũ cán bộ được tập huấn kỹ năng số và an toàn thông tin mạng thường xuyên.",
    "Người dân ngày càng quen với việc nộp hồ sơ và thanh toán trực tuyến.",
    "Công tác bảo đảm an toàn thông tin theo mô hình bốn lớp được triển khai đồng bộ.",
    "Tỉnh chú trọng đào tạo nguồn nhân lực số chất lượng cao cho giai đoạn tới.",
    "Nhiều hợp tác xã đã đưa sản phẩm nông nghiệp lên các sàn thương mại điện tử.",
    "Các bệnh viện tuyến tỉnh đã triển khai thanh toán viện phí không dùng tiền mặt.",
    "Trường học trên địa bàn đã ứng dụng phần mềm quản lý học sinh và sổ điểm điện tử.",
    "Ông Giám đốc Sở TT&TT cho biết thời gian tới tỉnh tập trung xây dựng kho dữ liệu dùng chung.",
    "Hội nghị cũng thảo luận những khó khăn, vướng mắc trong quá trình triển khai.",
    "Bộ TT&TT cam kết đồng hành, hỗ trợ địa phương trong các nhiệm vụ trọng tâm.",
    "Việc số hóa hồ sơ, kết quả giải quyết thủ tục hành chính được các đơn vị quan tâm thực hiện.",
    "Trung tâm giám sát, điều hành đô thị thông minh hoạt động ổn định, phục vụ tốt công tác quản lý.",
    "Các doanh nghiệp công nghệ được khuyến khích tham gia cung cấp giải pháp cho chính quyền.",
    "Phát biểu kết luận, Chủ tịch UBND tỉnh đề nghị các đơn vị khắc phục những hạn chế đã chỉ ra.",
]


class Draw(random.Random):
    """random.Random with the draws the templates need."""

    def q(self) -> str:
        return self.choice(QUALIFIERS)

    def year(self) -> int:
        return self.randint(2020, 2024)


@dataclass
class Corpus:
    articles: list[Article]
    texts: list[str]
    bytes: int


def province_mentions() -> list[tuple[str, list[str]]]:
    register = load_register()
    return [(p.name, [p.name, *(a for a in p.aliases if not a.isascii())]) for p in register.provinces]


def generate_corpus(n: int, seed: int, min_bytes: int = 2000, max_bytes: int = 4000) -> Corpus:
    draw = Draw(seed)
    provinces = province_mentions()
    start = date(2021, 1, 1)
    articles, texts, total = [], [], 0
    for i in range(n):
        _, names = draw.choice(provinces)
        name = names[0]
        published = start + timedelta(days=draw.randint(0, 4 * 365))
        stamp = dict(wd=WEEKDAYS[published.weekday()], d=published.day, m=published.month, y=published.year,
                     hh=draw.randint(6, 22), mm=draw.randint(0, 59))
        title = draw.choice(TITLES).format(p=name)
        dateline = draw.choice(DATELINES).format(**stamp)
        target = draw.randint(min_bytes, max_bytes)
        sentences = [draw.choice(LEADS).format(p=draw.choice(names), **stamp)]
        size = len(title.encode()) + len(dateline.encode()) + len(sentences[0].encode()) + 3
        while size < target - 150:
            kind = draw.random()
            if kind < 0.45:
                sentence = draw.choice(FACT_TEMPLATES)(draw)
            elif kind < 0.6:
                sentence = draw.choice(TRAP_TEMPLATES)(draw)
            else:
                sentence = draw.choice(FILLERS)
            sentences.append(sentence)
            size += len(sentence.encode()) + 1
        paragraphs, line = [], []
        for sentence in sentences:
            line.append(sentence)
            if len(line) >= draw.randint(2, 5):
                paragraphs.append(" ".join(line))
                line = []
        if line:
            paragraphs.append(" ".join(line))
        text = unicodedata.normalize("NFC", "\n".join([title, dateline, *paragraphs]) + "\n")
        source_id = f"bench_{i:06d}"
        articles.append(Article(source_id=source_id, title=title, clean_text=text, published=published,
                                metadata={"synthetic": True}))
        texts.append(text)
        total += len(text.encode("utf-8"))
    return Corpus(articles=articles, texts=texts, bytes=total)


# --- measurement --------------------------------------------------------------------------------


def pin_to_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity on this platform)"


def load_engine(spec: str):
    module_name, _, attr = spec.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise SystemExit(f"benchmark: cannot import the engine module {module_name!r} ({exc}); "
                         "pass --engine module:function to benchmark another implementation") from exc
    try:
        return getattr(module, attr or "extract_article")
    except AttributeError as exc:
        raise SystemExit(f"benchmark: {module_name!r} has no function {attr!r}") from exc


def count_facts(result) -> int:
    facts = getattr(result, "facts", None)
    if facts is None:
        return len(result) if isinstance(result, list) else 0
    return len(facts) + len(getattr(result, "candidates", []))


def time_engine(extract, articles: list[Article], repeat: int) -> dict:
    best = None
    for _ in range(repeat):
        gc.collect()
        facts = 0
        wall0, cpu0 = time.perf_counter(), time.process_time()
        for article in articles:
            facts += count_facts(extract(article))
        run = dict(wall_s=time.perf_counter() - wall0, cpu_s=time.process_time() - cpu0, facts=facts)
        if best is None or run["cpu_s"] < best["cpu_s"]:
            best = run
    return best


def time_regex(texts: list[str], repeat: int) -> dict:
    best = None
    for _ in range(repeat):
        gc.collect()
        matches = 0
        wall0, cpu0 = time.perf_counter(), time.process_time()
        for text in texts:
            for _m in DIGITS.finditer(text):
                matches += 1
        run = dict(wall_s=time.perf_counter() - wall0, cpu_s=time.process_time() - cpu0, matches=matches)
        if best is None or run["cpu_s"] < best["cpu_s"]:
            best = run
    return best


def rates(run: dict, n_articles: int, n_bytes: int) -> dict:
    out = dict(run)
    for clock in ("wall", "cpu"):
        seconds = max(run[f"{clock}_s"], 1e-9)
        out[f"mb_per_s_{clock}"] = n_bytes / 1e6 / seconds
        out[f"articles_per_s_{clock}"] = n_articles / seconds
    return out


def heap_peak_mb(extract, articles: list[Article]) -> float:
    tracemalloc.start()
    for article in articles:
        extract(article)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux and in bytes on macOS.
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="corpus size (default 10000)")
    parser.add_argument("--seed", type=int, default=20221, help="corpus seed (default 20221)")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs of each pass; the fastest counts (default 1)")
    parser.add_argument("--engine", default="dxdata.extract:extract_article", help="module:function taking an Article")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.add_argument("--pure", action="store_true",
                        help="run the pure-Python engine even if a compiled build is present")
    args = parser.parse_args(argv)
    if args.articles < 1 or args.repeat < 1:
        parser.error("--articles and --repeat must be at least 1")
    if args.pure and not compiled.ENGINE_BUILD.startswith("pure Python"):
        parser.error("--pure only works on the command line (dxdata was imported before it was seen); "
                     "set DXDATA_PURE_PYTHON=1 instead")

    pinning = pin_to_one_core()
    extract = load_engine(args.engine)

    t0 = time.perf_counter()
    corpus = generate_corpus(args.articles, args.seed)
    generation_s = time.perf_counter() - t0
    rss_after_corpus = peak_rss_mb()

    for article in corpus.articles[:WARMUP_ARTICLES]:
        extract(article)  # catalogue loading and pattern compilation are not throughput

    regex = rates(time_regex(corpus.texts, args.repeat), args.articles, corpus.bytes)
    engine = rates(time_engine(extract, corpus.articles, args.repeat), args.articles, corpus.bytes)
    rss_peak = peak_rss_mb()
    heap = heap_peak_mb(extract, corpus.articles[:HEAP_SAMPLE_ARTICLES])

    report = {
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "engine_function": args.engine,
        "engine_build": compiled.ENGINE_BUILD,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpu": pinning,
        "articles": args.articles,
        "seed": args.seed,
        "repeat": args.repeat,
        "corpus_mb": corpus.bytes / 1e6,
        "mean_article_kb": corpus.bytes / args.articles / 1e3,
        "generation_s": generation_s,
        "engine": engine,
        "regex": regex,
        "ratio_cpu": engine["cpu_s"] / max(regex["cpu_s"], 1e-9),
        "ratio_wall": engine["wall_s"] / max(regex["wall_s"], 1e-9),
        "peak_rss_mb": rss_peak,
        "peak_rss_after_corpus_mb": rss_after_corpus,
        f"engine_heap_peak_mb_{HEAP_SAMPLE_ARTICLES}_articles": heap,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"Extraction benchmark, {report['measured_at']} (Python {report['python']}, {pinning})")
    print(f"corpus: {args.articles} articles, {report['corpus_mb']:.1f} MB, "
          f"{report['mean_article_kb']:.2f} KB/article, seed {args.seed} (generated in {generation_s:.1f} s)")
    print(f"engine build: {compiled.ENGINE_BUILD}")
    print(f"{'pass':<28}{'cpu s':>9}{'wall s':>9}{'MB/s':>10}{'articles/s':>13}")
    for label, run in ((f"engine ({args.engine})", engine), (r"bare regex \d+", regex)):
        print(f"{label[:27]:<28}{run['cpu_s']:>9.2f}{run['wall_s']:>9.2f}"
              f"{run['mb_per_s_cpu']:>10.2f}{run['articles_per_s_cpu']:>13.0f}")
    print("(MB/s and articles/s on CPU time; wall-time figures are in --json)")
    print(f"engine facts+candidates: {engine['facts']} ({engine['facts'] / args.articles:.1f}/article); "
          f"regex matches: {regex['matches']}")
    print(f"ratio engine/regex: {report['ratio_cpu']:.1f}x CPU time ({report['ratio_wall']:.1f}x wall)")
    print(f"peak RSS: {rss_peak:.0f} MB ({rss_after_corpus:.0f} MB after generating the corpus); "
          f"engine heap peak over {HEAP_SAMPLE_ARTICLES} articles: {heap:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
