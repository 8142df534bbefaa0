"""A small local web site for the capture tests: news and portal pages as Vietnamese sites build
them (menus, breadcrumbs, share buttons, bylines, related-article blocks, footers, and a dozen
ways of stating the date), a feed, a redirect, a slow page, server errors and a PDF.

Each page wraps the text of a real article of the bundled corpus (title on line 1; a dateline
near the top is dropped, the page states its own date). The server listens on 127.0.0.1 only."""

from __future__ import annotations

import html
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from dxdata.ingest import find_dateline

# Words of page furniture: none may survive in a captured text.
FURNITURE = ["Trang chủ", "Chia sẻ", "Tin liên quan", "Bản quyền thuộc", "Đăng nhập", "Xem nhiều nhất", "In bài viết", "Bình luận"]

NAV = """<header><div class="logo">{site}</div><nav><ul>
<li><a href="/">Trang chủ</a></li><li><a href="/thoi-su">Thời sự</a></li><li><a href="/kinh-te">Kinh tế</a></li>
<li><a href="/chuyen-doi-so">Chuyển đổi số</a></li><li><a href="/login">Đăng nhập</a></li></ul></nav></header>"""
SHARE = """<div class="share-tools"><span>Chia sẻ</span> <a href="#">Facebook</a> <a href="#">Zalo</a> <a href="#">In bài viết</a></div>"""
RELATED = """<aside class="related"><h3>Tin liên quan</h3><ul>
<li><a href="/tin-1">Hội nghị tổng kết công tác năm của ngành</a></li>
<li><a href="/tin-2">Khai trương trung tâm điều hành thông minh cấp huyện</a></li></ul>
<h3>Xem nhiều nhất</h3><ul><li><a href="/tin-3">Thời tiết cuối tuần nắng ráo</a></li></ul></aside>"""
FOOTER = """<footer><p>Bản quyền thuộc {site}. Ghi rõ nguồn khi phát hành lại thông tin từ website này.</p>
<p>Địa chỉ: số 1 đường Trung tâm, điện thoại 0200 000 000</p></footer>"""
COMMENTS = """<div id="comments"><h4>Bình luận</h4><form><textarea></textarea><button>Gửi</button></form></div>"""


@dataclass(frozen=True)
class Style:
    """How one kind of site states the date, and where it puts the byline."""

    name: str
    head: str  # extra <head> markup; {iso} {day} available
    dateline: str  # the visible date inside the article; {d} {m} {y} {H} {M} {weekday}
    path: str = "/tin-tuc/{slug}.html"


STYLES = [
    Style("portal-ngay-dang", "", '<p class="date">Ngày đăng: {d:02}/{m:02}/{y} {H:02}:{M:02}</p>'),
    Style("og-published-time", '<meta property="article:published_time" content="{iso}">', '<span class="time">{weekday}, {d:02}/{m:02}/{y} {H:02}:{M:02}</span>'),
    Style("time-element", "", '<time datetime="{iso}">{d:02}/{m:02}/{y} - {H:02}:{M:02}</time>'),
    Style("weekday-dateline", "", '<div class="meta">{weekday}, {d:02}/{m:02}/{y} {H:02}:{M:02} (GMT+7)</div>'),
    Style("cap-nhat", "", '<div class="updated">Cập nhật: {H:02}:{M:02} ngày {d}/{m}/{y}</div>'),
    Style("json-ld", '<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle","datePublished":"{iso}"}}</script>',
          '<p class="pubdate">{d:02}.{m:02}.{y}</p>'),
    Style("ngay-thang-nam", "", '<p class="date">Ngày {d} tháng {m} năm {y}</p>'),
    Style("date-in-url", "", "", path="/{y}/{m:02}/{d:02}/{slug}.html"),
    Style("meta-pubdate", '<meta name="pubdate" content="{day}">', '<p class="byline">Phóng viên Thu Hà</p>'),
    Style("pipe-stamp", "", '<div class="date-time">{H:02}:{M:02} | {d:02}/{m:02}/{y}</div>'),
    Style("dang-luc", "", '<span>Đăng lúc {d:02}-{m:02}-{y} {H:02}:{M:02}</span>'),
    Style("itemprop", '<meta itemprop="datePublished" content="{iso}">', '<span itemprop="author">Ban Biên tập</span>'),
]
WEEKDAYS = ["Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật"]


@dataclass
class TestPage:
    path: str
    title: str
    paragraphs: list[str]
    published: datetime
    style: str
    source: Path


def article_parts(txt: Path) -> tuple[str, list[str]]:
    """Title and paragraphs of an article file, without a dateline line near the top."""
    lines = [line.strip() for line in txt.read_text(encoding="utf-8").splitlines()]
    title, rest = lines[0], [line for line in lines[1:] if line]
    if rest and find_dateline(rest[0], max_lines=1) is not None:
        rest = rest[1:]
    return title, rest


def build_page(style: Style, title: str, paragraphs: list[str], when: datetime, site: str) -> str:
    fields = dict(d=when.day, m=when.month, y=when.year, H=when.hour, M=when.minute, weekday=WEEKDAYS[when.weekday()],
                  iso=when.isoformat(), day=when.date().isoformat())
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{html.escape(title)} - {site}</title>
<meta property="og:site_name" content="{site}">{style.head.format(**fields)}</head>
<body>{NAV.format(site=site)}
<div class="breadcrumb"><a href="/">Trang chủ</a> &gt; <a href="/chuyen-doi-so">Chuyển đổi số</a></div>
<main><article><h1 class="title">{html.escape(title)}</h1>
{style.dateline.format(**fields)}
{SHARE}
<div class="content">{body}</div>
<p class="author"><strong>Minh Anh</strong></p>
{SHARE}</article>{COMMENTS}</main>
{RELATED}{FOOTER.format(site=site)}</body></html>"""


class Site:
    """Pages by path, plus the special routes, served from a thread on 127.0.0.1."""

    def __init__(self, articles: list[Path], start: datetime):
        self.pages: dict[str, TestPage] = {}
        self.bodies: dict[str, tuple[int, str, bytes]] = {}
        self.hits: dict[str, int] = {}
        for i, txt in enumerate(articles):
            style = STYLES[i % len(STYLES)]
            title, paragraphs = article_parts(txt)
            when = start.replace(day=1 + i, hour=7 + i % 10, minute=5 * i % 60)
            path = style.path.format(slug=f"bai-{i:02}", d=when.day, m=when.month, y=when.year)
            site = f"Cổng thông tin điện tử số {i}"
            self.pages[path] = TestPage(path, title, paragraphs, when, style.name, txt)
            self.bodies[path] = (200, "text/html; charset=utf-8", build_page(style, title, paragraphs, when, site).encode())
        first = next(iter(self.pages))
        self.bodies["/moved"] = (301, first, b"")
        self.bodies["/missing"] = (404, "text/html", b"<html><body><h1>404 Not Found</h1></body></html>")
        self.bodies["/broken"] = (500, "text/html", b"<html><body><h1>Internal Server Error</h1></body></html>")
        self.bodies["/report.pdf"] = (200, "application/pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n")
        self.bodies["/huge"] = (200, "text/html", b"<html><body>" + b"<p>x</p>" * 200_000 + b"</body></html>")
        self.bodies["/english"] = (200, "text/html", (
            "<html lang='en'><head><meta property='article:published_time' content='2023-03-01T08:00:00+07:00'></head><body><article>"
            + "<p>The province reported that its online public service portal now offers many services to residents and firms.</p>"
            "<p>Most administrative dossiers are now handled online, officials said, through the national public service portal.</p>"
            "<p>Training for commune officials continues this year, with a focus on data sharing between agencies.</p>"
            + "</article></body></html>").encode())
        self.bodies["/undated"] = (200, "text/html", (
            "<html lang='vi'><body><article><h1>Tỉnh đẩy mạnh chuyển đổi số</h1>"
            + "<p>Toàn tỉnh đã có nhiều tổ công nghệ số cộng đồng hoạt động hiệu quả ở các xã, phường, thị trấn trên địa bàn.</p>"
            "<p>Các tổ hướng dẫn người dân cài đặt ứng dụng, thanh toán không dùng tiền mặt và nộp hồ sơ trực tuyến.</p>"
            "<p>Sở Thông tin và Truyền thông tiếp tục tập huấn kỹ năng số cho thành viên các tổ trong thời gian tới.</p>"
            + "</article></body></html>").encode())
        self.slow_seconds = 3.0
        self.server: ThreadingHTTPServer | None = None

    def feed(self, paths: list[str]) -> bytes:
        items = "".join(
            f"<item><title>{html.escape(self.pages[p].title)}</title><link>{self.url(p)}</link>"
            f"<pubDate>{self.pages[p].published:%a, %d %b %Y %H:%M:%S} +0700</pubDate></item>"
            for p in paths
        )
        return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Chuyển đổi số</title>{items}</channel></rss>'.encode()

    def url(self, path: str) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def start(self) -> "Site":
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the stdlib's name)
                site.hits[self.path] = site.hits.get(self.path, 0) + 1
                if self.path == "/slow":
                    time.sleep(site.slow_seconds)
                    self._send(200, "text/html", b"<html><body>late</body></html>")
                    return
                status, kind, body = site.bodies.get(self.path, (404, "text/html", b"<html><body>404</body></html>"))
                if status in (301, 302):
                    self.send_response(status)
                    self.send_header("Location", kind)
                    self.end_headers()
                    return
                self._send(status, kind, body)

            def _send(self, status, kind, body):
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (the timeout test)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
