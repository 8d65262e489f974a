"""Check an exported archive the way a visitor and a podcast app will meet it.

The folder is served by Python's plain static server on loopback (plus single byte ranges,
which every ordinary web server answers and podcast apps require) and crawled: every HTML
page of the manifest answers, every link and asset on it answers, every feed parses with
feedparser and podcastparser, passes the live feed's checks (``feeds.checks``) and keeps the
``podcast:guid`` and item guids the live feed had, and every enclosure points into the archive,
has the length the feed gives and answers a Range request with 206. In the system Chromium
(Playwright) the archive's own search must find the relevance set's top results and axe must
find no serious or critical violation on one page of every page type in each language.
"""

from __future__ import annotations

import functools
import json
import os
import re
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup
from lxml import etree

from cms.core.media_serving import guess_content_type, parse_range
from feeds.checks import check_feed

from .export import CSS_URL, MANIFEST_NAME, SRCSET_ATTRIBUTES, URL_ATTRIBUTES, feed_identity
from .search import INDEX_NAME


class RangeRequestHandler(SimpleHTTPRequestHandler):
    """``http.server``'s static handler, answering a single byte range with 206 (RFC 9110)."""

    def send_head(self):
        path = self.translate_path(self.path)
        header = self.headers.get("Range", "")
        if not header or not os.path.isfile(path):
            return super().send_head()
        size = os.path.getsize(path)
        byte_range = parse_range(header, size)
        if byte_range is None:
            return super().send_head()
        if byte_range is False:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        first, last = byte_range
        source = open(path, "rb")  # noqa: SIM115 - closed by do_GET/do_HEAD
        source.seek(first)
        self.send_response(206)
        self.send_header("Content-Type", guess_content_type(path))
        self.send_header("Content-Range", f"bytes {first}-{last}/{size}")
        self.send_header("Content-Length", str(last - first + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        return _Slice(source, last - first + 1)

    def log_message(self, format, *args):  # noqa: A002 - http.server's signature
        pass


class _Slice:
    def __init__(self, source, length: int):
        self.source = source
        self.left = length

    def read(self, size: int = -1) -> bytes:
        size = self.left if size < 0 else min(size, self.left)
        data = self.source.read(size)
        self.left -= len(data)
        return data

    def close(self) -> None:
        self.source.close()


def serve_archive(dest: str | os.PathLike) -> ThreadingHTTPServer:
    """Serve ``dest`` on a free loopback port in a daemon thread; call ``shutdown()`` after."""
    handler = functools.partial(RangeRequestHandler, directory=os.fspath(dest))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@dataclass
class VerifyReport:
    pages: int = 0
    links: int = 0
    assets: int = 0
    feeds: int = 0
    enclosures: int = 0
    search_queries: int = 0
    axe_pages: int = 0
    browser: str = ""  # why the browser checks did not run, if they did not
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        outcome = "OK" if self.ok else f"FAILED ({len(self.problems)} problems)"
        browser = f" ({self.browser})" if self.browser else ""
        return (
            f"verify_static_site: {self.pages} pages, {self.links} links, {self.assets} assets, "
            f"{self.feeds} feeds, {self.enclosures} enclosures, "
            f"{self.search_queries} search queries, {self.axe_pages} axe pages{browser}: {outcome}"
        )


def verify_static_site(
    dest: str | os.PathLike,
    *,
    browser=None,
    skip_browser: bool = False,
    chromium: str | None = None,
    relevance_set: dict | None = None,
) -> VerifyReport:
    """Verify the archive folder ``dest``; every problem is a line in the report's
    ``problems`` naming its file or URL. ``browser`` is a Playwright browser to use (else
    the system Chromium is launched, ``chromium`` or ``find_chromium()``); ``relevance_set``
    is ``{language: [(query, {titles one of which is among the first three})]}``, None for
    the titles of the archive's own search index. Without Playwright or Chromium the browser
    checks are a problem unless ``skip_browser``."""
    report = VerifyReport()
    root = Path(dest)
    manifest_file = root / MANIFEST_NAME
    if not manifest_file.is_file():
        report.problems.append(f"{MANIFEST_NAME} is missing: not an export")
        return report
    manifest = json.loads(manifest_file.read_text())
    for path, entry in manifest["files"].items():
        file = root / path
        if not file.is_file() or file.stat().st_size != entry["size"]:
            report.problems.append(f"{path}: missing or not the exported size")
    server = serve_archive(root)
    try:
        crawler = _Crawler(server, manifest, report, root)
        crawler.run()
        if skip_browser:
            report.browser = "browser checks skipped"
        else:
            from .browser_checks import run_browser_checks

            run_browser_checks(
                crawler.origin,
                crawler.page_types,
                crawler.search_pages,
                report,
                browser=browser,
                chromium=chromium,
                relevance_set=relevance_set,
            )
    finally:
        server.shutdown()
        server.server_close()
    return report


def _depth(url: str) -> int:
    return urlsplit(url).path.count("/")


class _Crawler:
    def __init__(self, server, manifest: dict, report: VerifyReport, root: Path):
        self.manifest_root = root
        self.origin = f"http://127.0.0.1:{server.server_address[1]}"
        self.bases = sorted(
            {base.rstrip("/") for base in (manifest.get("absolute_base"), manifest.get("site"))}
            - {None, ""},
            key=len,
            reverse=True,
        )
        self.manifest = manifest
        self.report = report
        self.checked: dict[str, int] = {}
        self.page_types: dict[tuple[str, str], str] = {}  # (language, type): first page URL
        self.search_pages: dict[str, str] = {}  # language: search page URL

    def local(self, url: str) -> str | None:
        """The loopback URL for an archive URL, or None for other sites."""
        for base in self.bases:
            if url == base or url.startswith(base + "/"):
                return self.origin + url[len(base) :]
        return url if url.startswith(self.origin + "/") or url == self.origin else None

    def get(self, url: str, headers: dict | None = None):
        # Only loopback URLs of our own server reach here (see local()).
        request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, b""

    def status(self, url: str) -> int:
        url = url.split("#", 1)[0].split("?", 1)[0]
        if url not in self.checked:
            request = urllib.request.Request(url, method="HEAD")  # noqa: S310
            try:
                with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                    self.checked[url] = response.status
            except urllib.error.HTTPError as error:
                self.checked[url] = error.code
        return self.checked[url]

    def check_link(self, page: str, page_url: str, link: str, *, asset: bool = False) -> None:
        if not link or link.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
            return
        url = self.local(urljoin(page_url, link))
        if url is None:
            return
        if asset:
            self.report.assets += 1
        else:
            self.report.links += 1
        if self.status(url) != 200:
            what = "missing asset" if asset else "broken link"
            self.report.problems.append(f"{page}: {what} {link}")

    def run(self) -> None:
        files = self.manifest["files"]
        for path in sorted(files):
            if path.endswith(".html"):
                self.check_page(path)
            elif path.endswith(".css"):
                self.check_css(path)
        for path, identity in sorted(self.manifest.get("feeds", {}).items()):
            self.check_feed(path, identity)
        self.check_sitemap()

    def check_page(self, path: str) -> None:
        # 404 pages answer for missing paths anywhere: their links are absolute.
        url = f"{self.origin}/{path.removesuffix('index.html')}"
        status, _headers, body = self.get(url)
        self.report.pages += 1
        if status != 200:
            self.report.problems.append(f"{path}: answers {status}")
            return
        soup = BeautifulSoup(body, "html.parser")
        language = soup.html.get("lang", "") if soup.html else ""
        kinds = [name for name in (soup.body.get("class") or []) if name.startswith("template-")]
        # The shallowest page of each type stands for it (a listing's first page, not its N-th).
        key = (language[:2], kinds[0] if kinds else "page")
        if key not in self.page_types or _depth(url) < _depth(self.page_types[key]):
            self.page_types[key] = url
        folder = self.manifest_root / urlsplit(url).path.strip("/")
        if "template-search" in kinds and (folder / INDEX_NAME).is_file():
            self.search_pages.setdefault(language[:2], url)
        for tag in soup.find_all(True):
            for attribute in URL_ATTRIBUTES:
                if tag.has_attr(attribute):
                    asset = not (tag.name in {"a", "area", "form"} or attribute == "action")
                    self.check_link(path, url, tag[attribute], asset=asset)
            for attribute in SRCSET_ATTRIBUTES:
                for candidate in (tag.get(attribute) or "").split(","):
                    self.check_link(path, url, candidate.strip().split(" ")[0], asset=True)
            if tag.name == "form" and tag.get("method", "get").lower() != "get":
                self.report.problems.append(f"{path}: a form still posts to the server")

    def check_css(self, path: str) -> None:
        url = f"{self.origin}/{path}"
        _status, _headers, body = self.get(url)
        for match in CSS_URL.finditer(body.decode("utf-8", "replace")):
            self.check_link(path, url, match.group(2), asset=True)

    def check_feed(self, path: str, identity: dict) -> None:
        self.report.feeds += 1
        url = f"{self.origin}/{path}"
        status, _headers, body = self.get(url)
        if status != 200:
            self.report.problems.append(f"{path}: answers {status}")
            return
        for problem in check_feed(body, url):
            self.report.problems.append(f"{path}: {problem}")
        try:
            kept = feed_identity(body) == identity
        except etree.XMLSyntaxError:
            return
        if not kept:
            self.report.problems.append(f"{path}: podcast:guid or item guids changed")
        for enclosure in etree.fromstring(body).iterfind("./channel/item/enclosure"):
            self.check_enclosure(path, enclosure.get("url", ""), enclosure.get("length", ""))

    def check_enclosure(self, path: str, href: str, length: str) -> None:
        self.report.enclosures += 1
        url = self.local(href)
        if url is None:
            self.report.problems.append(f"{path}: enclosure {href} is outside the archive")
            return
        status, headers, body = self.get(url, {"Range": "bytes=0-1"})
        if status != 206 or len(body) != 2 or not headers.get("Content-Range"):
            self.report.problems.append(f"{path}: enclosure {href} answers Range with {status}")
        elif headers["Content-Range"].rpartition("/")[2] != length:
            self.report.problems.append(
                f"{path}: enclosure {href} holds {headers['Content-Range'].rpartition('/')[2]}"
                f" bytes, the feed says {length}"
            )

    def check_sitemap(self) -> None:
        status, _headers, body = self.get(f"{self.origin}/sitemap.xml")
        if status != 200:
            self.report.problems.append(f"sitemap.xml: answers {status}")
            return
        for loc in re.findall(rb"<loc>([^<]+)</loc>", body):
            link = loc.decode().strip()
            url = self.local(link)
            if url is None:
                self.report.problems.append(f"sitemap.xml: {link} is outside the archive")
                continue
            self.report.links += 1
            if urlsplit(url).query and url.endswith(".xml"):
                continue
            if self.status(url) != 200:
                self.report.problems.append(f"sitemap.xml: broken {link}")
