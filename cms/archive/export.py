"""Export the public site as static files that any web server or bucket can serve.

The export asks the real site: every page, feed and file is requested through Django's test
client as an anonymous visitor without a User-Agent (so nothing is counted as reach), starting
from ``sitemap.xml`` (every live public page in every language) and following the links of
what it finds. What an anonymous visitor cannot fetch — drafts, pages behind a view
restriction, originals, private documents, private feeds — is therefore never archived: the
archive has no privacy rules of its own. Links to such things, and to what needs a server
(sign-up, certificates, learner progress), lead to a note page in the page's language; forms
get a note that they do not work in the archive. The search page is the exception: it is
archived with a client-side index and searches in the browser (``search.py``).

URL paths are kept: ``/de/podcast/folge-1/`` becomes ``de/podcast/folge-1/index.html``,
``/podcast-audio/<guid>.mp3`` stays ``podcast-audio/<guid>.mp3``, so an archive served at the
site's old address keeps every link and enclosure URL working. Pagination (``?page=N``)
becomes ``…/_q/page-N/index.html``, a glossary letter (``?letter=c``) ``…/_q/letter-c/``.

``manifest.json`` lists every file with its SHA-256 (and, for media, a key that changes when
the stored file does). A run writes a file only when its bytes differ from the manifest's
and deletes the files of the previous manifest that are no longer part of the site. Files
not in the manifest are never touched. ``incremental`` also skips re-reading media whose key
is unchanged and keeps, without rendering it, every file whose page and dependencies are
unchanged (``reuse.py``: the manifest stores each such file's dependency key and links).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import posixpath
import re
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import default_storage
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import Client, RequestFactory
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from lxml import etree
from wagtail.models import Page, Site

from cms.core.media_access import MediaAccess, get_media_access, normalise_media_name
from cms.core.media_serving import guess_content_type

from .destinations import get_destination
from .digitalcheck import finish_check_page, prepare_check_page
from .learning import finish_learning_page, prepare_learning_page
from .reuse import REUSE_VERSION, DependencySnapshot
from .reuse import digest as reuse_digest
from .search import INDEX_NAME, build_search_index, build_search_page, dump_search_index

logger = logging.getLogger(__name__)

MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 1
NOTE_PATH = "_archive/unavailable/"  # below each language prefix
CHUNK_SIZE = 256 * 1024
MAX_REDIRECTS = 5

# Views that only a server can answer (or that are personal): never archived; links to them
# lead to the note page.
SERVER_ONLY_URL_NAMES = frozenset(
    {
        "site_search_suggestions",
        "personal_feed",
        "private_podcast_feed",
        "private_episode_enclosure",
        "private_episode_chapters",
        "private_episode_transcript",
        "certificates",
        "certificate_issue",
        "certificate_pdf",
        "certificate_verify",
        "reach_beacon",
        "reach_follow_up",
        "healthz",
        "video_oembed",
        "sitemap",  # written from its own request, with sections renamed
    }
)
SERVER_ONLY_PREFIXES = ("/admin/", "/api/", "/django-admin/")
# Attributes whose server endpoints mean nothing in the archive (scripts check for them).
SERVER_ONLY_ATTRIBUTES = (
    "data-suggest-url",
    "data-reach-beacon",
    "data-api-step-url",
    "data-csrf-token",
    "data-checklist",
)
URL_ATTRIBUTES = ("href", "src", "poster", "action", "data-thumbnails")
SRCSET_ATTRIBUTES = ("srcset",)
# Queries that select another page of a listing, archived as ``…/_q/<name>-<value>/``: the
# pagination and the glossary's initial letter (``glossary.letter_slug``: a–z, 0).
KEPT_QUERY = re.compile(r"^(?:(page|p)=(\d{1,6})|(letter)=([a-z0]))$")
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
PROTECTED_XML = re.compile(r"(<(?:podcast:)?guid\b[^>]*>.*?</(?:podcast:)?guid>)", re.S)


@dataclass
class Resource:
    """One file of the archive, before link rewriting."""

    url: str  # the site URL (path plus kept query) it was fetched from
    path: str  # where it goes in the archive
    content_type: str
    body: bytes | None = None  # text resources (HTML, feeds, CSS, …)
    chunks: Callable[[], Iterator[bytes]] | None = None  # media and other binaries
    source_key: str = ""  # binaries: changes when the stored bytes change
    language: str = ""
    final: bool = False  # the body already links as the archive does: no rewriting
    page_id: int | None = None  # the page it shows or is about (``reuse``)
    links: list[str] = field(default_factory=list)  # the site URLs it links to
    reused: bool = False  # kept from the previous run without rendering it

    @property
    def is_html(self) -> bool:
        return self.content_type.startswith("text/html")

    @property
    def is_text(self) -> bool:
        kind = self.content_type.split(";", 1)[0].strip().lower()
        return kind.startswith("text/") or any(
            word in kind for word in ("xml", "json", "mpegurl", "javascript")
        )


@dataclass
class ExportReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    left_out: dict[str, str] = field(default_factory=dict)  # URL → why
    errors: list[str] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)  # URLs rendered (not streamed files)
    reused: list[str] = field(default_factory=list)  # URLs kept without requesting them

    @property
    def total(self) -> int:
        return len(self.written) + len(self.unchanged)


def export_static_site(
    dest: str,
    *,
    base_url: str | None = None,
    incremental: bool = False,
    dry_run: bool = False,
    log: Callable[[str], None] | None = None,
    archived_on: datetime.date | None = None,
) -> ExportReport:
    """Export the default site's public content into ``dest``: a folder, or
    ``s3://bucket/prefix`` through the configured S3 storage's options.

    ``base_url`` (``https://archiv.example.org/lernfunk``) makes every link absolute under
    it; without it pages link relatively (the archive works in any folder) and feeds and the
    sitemap use the site's own address. Never raises for pages that fail to render: they are
    listed in ``report.errors`` and left out. Pages say they were archived on
    ``archived_on`` (today) unless their content is unchanged since an earlier run.
    """
    exporter = StaticExporter(
        get_destination(str(dest)), base_url=base_url, log=log, incremental=incremental
    )
    if archived_on is not None:
        exporter.archived_on = archived_on
    exporter.crawl()
    return exporter.write(incremental=incremental, dry_run=dry_run)


class StaticExporter:
    def __init__(self, destination, *, base_url=None, log=None, incremental=False):
        self.destination = destination
        self.incremental = incremental
        self.site = Site.objects.get(is_default_site=True)
        self.site_root = self.site.root_url.rstrip("/")
        self.base_url = base_url.rstrip("/") if base_url else None
        self.absolute_base = self.base_url or self.site_root
        self.log = log or (lambda message: None)
        secure = self.site.port == 443
        self.client = Client(
            raise_request_exception=False,
            SERVER_NAME=self.site.hostname,
            SERVER_PORT=str(self.site.port),
            **({"wsgi.url_scheme": "https", "HTTPS": "on"} if secure else {}),
        )
        self.anonymous = RequestFactory().get("/")
        self.anonymous.user = AnonymousUser()
        # Media in a bucket (or behind a CDN) has absolute URLs: the storage names them.
        probe = default_storage.url("probe")
        self.media_prefix = probe.removesuffix("probe") if "://" in probe else None
        origins = [self.site_root]
        if self.media_prefix:
            origins.append(self.media_prefix.rstrip("/"))
        self.absolute_url = re.compile(
            "(?:" + "|".join(re.escape(origin) for origin in origins) + r")(?:/[^\s\"'<>]*)?"
        )
        prefixes = [settings.MEDIA_URL.strip("/"), settings.STATIC_URL.strip("/")]
        prefixes += [code for code, _name in settings.LANGUAGES]
        self.root_path = re.compile(
            r"(?<![\w/:.])/(?:" + "|".join(map(re.escape, prefixes)) + r")/[^\s\"'#<>]*"
        )
        self.resources: dict[str, Resource] = {}  # by archive path
        self.targets: dict[str, str | None] = {}  # site URL → archive path (None: left out)
        self.report = ExportReport()
        self.feeds: dict[str, dict] = {}
        self.queue: deque[str] = deque()
        self.search_pages: dict[str, str] = {}  # site URL of a language's search → language
        self.archived_on = timezone.localdate()
        self.redirects: dict[str, str] = {}  # site URL → the URL of the page it redirects to
        self.previous: dict = {}
        self.snapshot: DependencySnapshot | None = None
        self.reusable: dict[str, tuple[str, dict]] = {}  # site URL → (path, manifest entry)
        self.previous_redirects: dict[str, str] = {}
        self.previous_pages: dict[str, int] = {}  # site URL → page, as the last run saw it
        self.previous_urls: list[str] = []
        # The language homes: their bytes make the note page, so they are always rendered.
        self.always_rendered = {f"/{language}/" for language, _name in settings.LANGUAGES}

    # --- crawling -------------------------------------------------------------------------

    def crawl(self) -> None:
        self.previous = load_manifest(self.destination) or {}
        self.snapshot = DependencySnapshot(
            {
                "site": self.site_root,
                "base_url": self.base_url,
                "absolute_base": self.absolute_base,
                "media_prefix": self.media_prefix,
                "languages": settings.LANGUAGES,
                "language_code": settings.LANGUAGE_CODE,
                "urls": [settings.MEDIA_URL, settings.STATIC_URL],
            }
        )
        if self.incremental:
            self._load_reusable()
        for language, _name in settings.LANGUAGES:
            self._enqueue(f"/{language}/")
            with translation.override(language):
                search = reverse("site_search")
            self.search_pages[search] = language
            self._enqueue(search)
        self._enqueue("/favicon.ico")
        for url in self._sitemap_urls():
            self._enqueue(url)
        self._drain()
        self._check_reused()
        self._add_generated_files()
        self.log(
            f"crawled {len(self.targets)} URLs, {len(self.resources)} files, "
            f"rendered {len(self.report.rendered)}, reused {len(self.report.reused)}"
        )

    def _drain(self) -> None:
        while self.queue:
            url = self.queue.popleft()
            self._visit(url)

    # --- reusing the previous run's files (``reuse``) ----------------------------------------

    def _load_reusable(self) -> None:
        reuse = self.previous.get("reuse") or {}
        if reuse.get("version") != REUSE_VERSION:
            return
        self.previous_urls = reuse.get("urls", [])
        self.previous_redirects = reuse.get("redirects", {})
        for path, entry in self.previous.get("files", {}).items():
            if entry.get("page") is not None and entry.get("url"):
                self.previous_pages[entry["url"]] = entry["page"]
                if entry.get("deps"):
                    self.reusable[entry["url"]] = (path, entry)

    def _linked_pages(self, links, pages: dict[str, int], redirects: dict[str, str]) -> set:
        found = {pages.get(redirects.get(link, link)) for link in links}
        found.discard(None)
        return found

    def _links_digest(self, links) -> str:
        return reuse_digest([[link, self.targets.get(link)] for link in links])

    def _reuse(self, key: str) -> bool:
        """Keep the previous run's file for ``key`` when its dependency key is unchanged;
        its links are followed as if it had been rendered."""
        url = self.previous_redirects.get(key, key)
        found = self.reusable.get(url)
        if found is None:
            return False
        path, entry = found
        existing = self.resources.get(path)
        if existing is not None:
            if existing.url != url:
                return False
            self.targets[key] = path
            return True
        try:
            links = [self.previous_urls[index] for index in entry.get("links", [])]
        except (IndexError, TypeError):
            return False
        linked = self._linked_pages(links, self.previous_pages, self.previous_redirects)
        if self.snapshot.key(entry["page"], linked) != entry["deps"]:
            return False
        if not self.destination.exists(path):
            return False
        resource = Resource(
            url=url,
            path=path,
            content_type=entry.get("type", ""),
            page_id=entry["page"],
            links=links,
            language=entry.get("language", ""),
            reused=True,
        )
        self._add(resource)
        self.targets[key] = path
        if key != url:
            self.redirects[key] = url
        if path in self.previous.get("feeds", {}):
            self.feeds[path] = self.previous["feeds"][path]
        self.report.reused.append(url)
        for link in links:
            self._enqueue(link)
        return True

    def _check_reused(self) -> None:
        """A reused file is rendered again when one of its links no longer leads where it
        led (a linked page was unpublished, moved or is new in the archive); rendering it
        may find new pages, which may in turn make other files stale."""
        while True:
            stale = [
                resource
                for resource in self.resources.values()
                if resource.reused
                and self._links_digest(resource.links)
                != self.previous["files"][resource.path].get("targets")
            ]
            if not stale:
                return
            for resource in stale:
                self._render_again(resource)
            self._drain()

    def _render_again(self, old: Resource) -> None:
        self.report.reused.remove(old.url)
        del self.resources[old.path]
        self.feeds.pop(old.path, None)
        aliases = [key for key, path in self.targets.items() if path == old.path]
        for key in aliases:
            self.targets[key] = None
        resource = self._fetch(old.url)
        if resource is None:
            return
        for key in aliases:
            self.targets[key] = resource.path
        self._take(old.url, resource)

    def _sitemap_urls(self) -> list[str]:
        urls = []
        pending = ["/sitemap.xml"]
        section = 0
        while pending:
            url = pending.pop(0)
            response = self.client.get(url)
            if response.status_code != 200:
                self.report.errors.append(f"{url}: {response.status_code}")
                continue
            body = response.content
            root = etree.fromstring(body)
            is_index = etree.QName(root).localname == "sitemapindex"
            path = "sitemap.xml" if url == "/sitemap.xml" else f"sitemap-{section}.xml"
            section += 1
            self._add(Resource(url=url, path=path, content_type="application/xml", body=body))
            self.targets[url] = path
            for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"):
                key = self._site_url(loc.text or "")
                if key and is_index:
                    pending.append(key)
                elif key:
                    urls.append(key)
        return urls

    def _site_url(self, url: str, base: str = "/") -> str | None:
        """The key of an internal URL (path plus kept query), or None for other sites."""
        if not url or url.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
            return None
        if self.media_prefix and url.startswith(self.media_prefix):
            url = "/media-storage/" + url[len(self.media_prefix) :]
        absolute = urljoin(self.site_root + base, url)
        if not absolute.startswith(self.site_root + "/"):
            return None
        parts = urlsplit(absolute)
        query = parts.query if KEPT_QUERY.match(parts.query) else ""
        path = parts.path or "/"
        if posixpath.normpath(path).startswith("/..") or "\\" in path:
            return None
        return f"{path}?{query}" if query else path

    def _enqueue(self, key: str) -> None:
        if key not in self.targets:
            self.targets[key] = None
            self.queue.append(key)

    def _visit(self, key: str) -> None:
        reason = self._server_only(key)
        if reason:
            self.report.left_out[key] = reason
            return
        if self.reusable and self._reuse(key):
            return
        resource = self._fetch(key)
        if resource is None:
            return
        self.targets[key] = resource.path
        if resource.path in self.resources:
            return
        self._take(key, resource)

    def _take(self, key: str, resource: Resource) -> None:
        if key in self.search_pages and resource.is_html:
            resource.body = build_search_page(resource.body, self.search_pages[key])
        prepare_learning_page(self, resource)
        prepare_check_page(self, resource)
        self._add(resource)
        resource.links = list(dict.fromkeys(self._discover(resource)))
        for found in resource.links:
            self._enqueue(found)

    def _server_only(self, key: str) -> str:
        path = key.split("?", 1)[0]
        if path.startswith(SERVER_ONLY_PREFIXES):
            return "needs the server"
        if path.startswith("/media-storage/"):
            return ""
        try:
            # Translated URL patterns resolve in the path's language, whatever the last
            # request left active.
            with translation.override(translation.get_language_from_path(path)):
                match = resolve(path)
        except Resolver404:
            return ""  # a redirect (e.g. a missing slash), or a 404 found below
        if match.url_name in SERVER_ONLY_URL_NAMES:
            return "needs the server"
        return ""

    def _fetch(self, key: str) -> Resource | None:
        if key.startswith("/media-storage/"):
            return self._fetch_media(key.removeprefix("/media-storage/"), key)
        if key.startswith(settings.STATIC_URL):
            return self._fetch_static(key)
        url = key
        for _hop in range(MAX_REDIRECTS):
            response = self.client.get(url)
            if response.status_code in (301, 302, 303, 307, 308):
                location = response["Location"]
                if self.media_prefix and location.startswith(self.media_prefix):
                    # Enclosures on S3: the archive keeps the stable URL with the bytes.
                    name = location[len(self.media_prefix) :].split("?", 1)[0]
                    found = self._fetch_media(name, key, path=key.lstrip("/"))
                    return found
                target = self._site_url(location, url)
                if target is None or not self._same_page(url, target):
                    self.report.left_out[key] = f"redirects to {location}"
                    return None
                url = target
                continue
            break
        else:
            self.report.left_out[key] = "too many redirects"
            return None
        if response.status_code != 200:
            if response.status_code >= 500:
                self.report.errors.append(f"{key}: {response.status_code}")
            self.report.left_out[key] = str(response.status_code)
            close_response(response)
            return None
        if asks_for_password(response):
            self.report.left_out[key] = "password"
            return None
        content_type = response.get("Content-Type", "application/octet-stream")
        path = self._archive_path(url, html=content_type.startswith("text/html"))
        if path is None:
            self.report.left_out[key] = "no file name"
            return None
        if url != key:
            self.redirects[key] = url
        if not response.streaming:
            self.report.rendered.append(key)
        if response.streaming:
            close_response(response)
            source_key = "|".join(
                response.get(header, "") for header in ("ETag", "Last-Modified", "Content-Length")
            )
            return Resource(
                url=url,
                path=path,
                content_type=content_type,
                chunks=lambda url=url: self._stream(url),
                source_key=source_key if source_key.strip("|") else "",
                page_id=self.snapshot.page_for_url(url),
            )
        language = translation.get_language_from_path(url) or ""
        page = (getattr(response, "context_data", None) or {}).get("page")
        return Resource(
            url=url,
            path=path,
            content_type=content_type,
            body=response.content,
            language=language,
            page_id=page.pk if isinstance(page, Page) else self.snapshot.page_for_url(url),
        )

    def _same_page(self, url: str, target: str) -> bool:
        """Redirects worth following: a missing slash, the language prefix, the site root."""
        source = url.split("?", 1)[0]
        target = target.split("?", 1)[0]
        return (
            source == "/"
            or target == source + "/"
            or target.endswith(source)
            and translation.get_language_from_path(target) is not None
        )

    def _stream(self, url: str) -> Iterator[bytes]:
        response = self.client.get(url)
        try:
            yield from response.streaming_content if response.streaming else [response.content]
        finally:
            close_response(response)

    def _fetch_media(self, name: str, key: str, path: str | None = None) -> Resource | None:
        name = normalise_media_name(name)
        if name is None or get_media_access(self.anonymous, name) is not MediaAccess.PUBLIC:
            self.report.left_out[key] = "not public"
            return None
        if not default_storage.exists(name):
            self.report.left_out[key] = "missing"
            return None

        def chunks():
            with default_storage.open(name, "rb") as handle:
                while chunk := handle.read(CHUNK_SIZE):
                    yield chunk

        return Resource(
            url=key,
            path=path or f"media/{name}",
            content_type="application/octet-stream",
            chunks=chunks,
            source_key=f"{name}|{default_storage.size(name)}",
        )

    def _fetch_static(self, key: str) -> Resource | None:
        name = key.split("?", 1)[0].removeprefix(settings.STATIC_URL)
        if normalise_media_name(name) != name:
            return None
        full = None
        if staticfiles_storage.exists(name):
            full = staticfiles_storage.path(name)
        else:
            full = finders.find(name)
        if not full:
            self.report.left_out[key] = "404"
            return None
        with open(full, "rb") as handle:
            body = handle.read()
        content_type = guess_content_type(name)
        return Resource(url=key, path=key.lstrip("/"), content_type=content_type, body=body)

    def _archive_path(self, url: str, *, html: bool) -> str | None:
        path, _sep, query = url.partition("?")
        match = KEPT_QUERY.match(query)
        name = value = None
        if match:
            name, value = match.group(1) or match.group(3), match.group(2) or match.group(4)
        if html:
            folder = path.lstrip("/")
            if folder and not folder.endswith("/"):
                folder += "/"
            if match:
                folder += f"_q/{name}-{value}/"
            return folder + "index.html"
        if path.endswith("/"):
            return None
        if match:
            stem, dot, extension = path.lstrip("/").rpartition(".")
            return f"{stem}-{name}{value}{dot}{extension}"
        return path.lstrip("/")

    def _add(self, resource: Resource) -> None:
        self.resources[resource.path] = resource
        if self.targets.get(resource.url) is None:
            self.targets[resource.url] = resource.path

    # --- discovering links ----------------------------------------------------------------

    def _discover(self, resource: Resource) -> list[str]:
        if resource.body is None or not resource.is_text:
            return []
        if resource.is_html:
            return list(self._html_links(resource))
        text = resource.body.decode("utf-8", "replace")
        found = []
        if resource.content_type.startswith("text/css"):
            found += [m.group(2) for m in CSS_URL.finditer(text)]
        elif "mpegurl" in resource.content_type.lower() or resource.path.endswith(".m3u8"):
            found += [line for line in text.splitlines() if line and not line.startswith("#")]
            found += re.findall(r'URI="([^"]+)"', text)
        else:  # feeds, JSON, text tracks: absolute URLs and root-relative media
            found += [m.group(0) for m in self.absolute_url.finditer(text)]
            if self._has_root_paths(resource):
                found += [m.group(0) for m in self.root_path.finditer(text)]
            if resource.path.startswith("feeds/") and resource.path.endswith(".xml"):
                self.feeds[resource.path] = feed_identity(resource.body)
        keys = [self._site_url(link.strip(), resource.url) for link in found]
        return [key for key in keys if key]

    def _is_absolute(self, value) -> bool:
        """An absolute URL of the site in any other attribute (the feed address to copy, the
        share link, og:image) stays absolute, under the archive's address."""
        return isinstance(value, str) and value.startswith(self.site_root + "/")

    @staticmethod
    def _has_root_paths(resource: Resource) -> bool:
        """Text tracks and JSON (chapters, the web manifest) name files by root paths."""
        return "json" in resource.content_type or "vtt" in resource.content_type

    def _html_links(self, resource: Resource):
        soup = BeautifulSoup(resource.body, "html.parser")
        for tag in soup.find_all(True):
            for attribute in URL_ATTRIBUTES:
                value = tag.get(attribute)
                if value and not (tag.name == "form" and attribute == "action"):
                    key = self._site_url(value, resource.url)
                    if key:
                        yield key
            for attribute in SRCSET_ATTRIBUTES:
                for candidate in (tag.get(attribute) or "").split(","):
                    key = self._site_url(candidate.strip().split(" ")[0], resource.url)
                    if key:
                        yield key
            for attribute, value in tag.attrs.items():
                if attribute not in URL_ATTRIBUTES and self._is_absolute(value):
                    key = self._site_url(value)
                    if key:
                        yield key
        for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
            for match in self.absolute_url.finditer(script.string or ""):
                key = self._site_url(match.group(0))
                if key:
                    yield key

    # --- generated files ------------------------------------------------------------------

    def _add_generated_files(self) -> None:
        default = settings.LANGUAGE_CODE
        homes = {}
        for language, _name in settings.LANGUAGES:
            home = self.resources.get(f"{language}/index.html")
            if home is None:
                continue
            homes[language] = home
            note_url = f"/{language}/{NOTE_PATH}"
            with translation.override(language):
                body = replace_main(home.body, build_note_html())
            self._add(
                Resource(
                    url=note_url,
                    path=self._archive_path(note_url, html=True),
                    content_type="text/html; charset=utf-8",
                    body=body,
                    language=language,
                )
            )
            response = self.client.get(f"/{language}/{NOTE_PATH}does-not-exist/")
            if response.status_code == 404:
                path = "404.html" if language == default else f"{language}/404.html"
                self._add(
                    Resource(
                        url=f"/{language}/404.html",
                        path=path,
                        content_type="text/html; charset=utf-8",
                        body=response.content,
                        language=language,
                    )
                )
        self._add_search_indexes()
        if default in homes:
            self._add(
                Resource(
                    url="/",
                    path="index.html",
                    content_type="text/html; charset=utf-8",
                    body=build_root_redirect(default),
                    language=default,
                )
            )
        robots = f"User-agent: *\nAllow: /\n\nSitemap: {self.absolute_base}/sitemap.xml\n"
        self._add(
            Resource(
                url="/robots.txt",
                path="robots.txt",
                content_type="text/plain",
                body=robots.encode(),
            )
        )

    def _add_search_indexes(self) -> None:
        for url, language in self.search_pages.items():
            page = self.resources.get(self.targets.get(url) or "")
            if page is None:
                continue
            index = Resource(
                url=url + INDEX_NAME,
                path=posixpath.join(posixpath.dirname(page.path), INDEX_NAME),
                content_type="application/json",
                language=language,
                final=True,
            )

            def link(value, index=index):  # None for other sites and what was left out
                return self.link_for(value, index) if self._site_url(value) else None

            data = build_search_index(language, link)
            index.body = dump_search_index(data)
            self._add(index)
            self.log(f"search index {index.path}: {len(data['documents'])} documents")

    # --- rewriting ------------------------------------------------------------------------

    def link_for(self, value: str, resource: Resource, *, absolute: bool = False) -> str | None:
        """The archive's link for ``value`` found in ``resource``; None when it must go."""
        key = self._site_url(value, resource.url)
        if key is None:
            return value
        parts = urlsplit(urljoin(self.site_root + resource.url, value))
        path = self.targets.get(key)
        if path is None:
            return None
        url_path = path.removesuffix("index.html")
        suffix = ""
        if path.endswith("index.html") and re.fullmatch(r"t=\d+(\.\d+)?", parts.query):
            suffix += f"?{parts.query}"
        if parts.fragment:
            suffix += f"#{parts.fragment}"
        if absolute or self.base_url or resource.path.endswith("404.html"):
            base = self.absolute_base if absolute or self.base_url else ""
            return f"{base}/{url_path}{suffix}"
        here = posixpath.dirname(resource.path)
        relative = posixpath.relpath("/" + (url_path or "."), "/" + (here or "."))
        if url_path.endswith("/") or url_path == "":
            relative = relative.rstrip("/") + "/" if relative != "." else "./"
        return relative + suffix

    def rewrite(self, resource: Resource) -> bytes:
        if not resource.is_text or resource.final:
            return resource.body
        if resource.is_html:
            return self._rewrite_html(resource)
        text = resource.body.decode("utf-8")
        if resource.content_type.startswith("text/css"):

            def css(match):
                link = self.link_for(match.group(2), resource)
                return f"url({match.group(1)}{link or match.group(2)}{match.group(1)})"

            return CSS_URL.sub(css, text).encode()
        if resource.path in ("robots.txt",) or resource.path.endswith(".m3u8"):
            return resource.body

        def absolute(match):
            return self.link_for(match.group(0), resource, absolute=True) or match.group(0)

        pieces = PROTECTED_XML.split(text) if resource.path.endswith(".xml") else [text]
        for index in range(0, len(pieces), 2):
            pieces[index] = self.absolute_url.sub(absolute, pieces[index])
            if self._has_root_paths(resource):
                pieces[index] = self.root_path.sub(absolute, pieces[index])
        return "".join(pieces).encode()

    def _rewrite_html(self, resource: Resource) -> bytes:
        soup = BeautifulSoup(resource.body, "html.parser")
        language = resource.language or settings.LANGUAGE_CODE
        note_link = self.link_for(f"/{language}/{NOTE_PATH}", resource) or "/"
        with translation.override(language):
            form_note = _(
                "This is an archive of a site whose project has ended. Forms such as sign-up, "
                "login and saved learning progress needed the live server and do not work here."
            )
        for form in soup.find_all("form"):
            for hidden in form.find_all("input", attrs={"name": "csrfmiddlewaretoken"}):
                hidden.decompose()
            form["method"] = "get"
            search_link = self._search_link(form, resource)
            form["action"] = search_link or note_link
            if search_link is None and "site-search" not in (form.get("class") or []):
                note = soup.new_tag("p", attrs={"class": "notice archive-note", "role": "note"})
                note.string = form_note
                form.insert(0, note)
        for tag in soup.find_all(True):
            for attribute in SERVER_ONLY_ATTRIBUTES:
                if tag.has_attr(attribute):
                    del tag[attribute]
            for attribute in URL_ATTRIBUTES:
                if tag.has_attr(attribute) and attribute != "action":
                    link = self.link_for(tag[attribute], resource)
                    if link is None and attribute == "href":
                        link = note_link
                    if link is None:
                        del tag[attribute]
                    else:
                        tag[attribute] = link
            for attribute in SRCSET_ATTRIBUTES:
                if tag.has_attr(attribute):
                    candidates = []
                    for candidate in tag[attribute].split(","):
                        url, _sep, descriptor = candidate.strip().partition(" ")
                        link = self.link_for(url, resource)
                        if link:
                            candidates.append(f"{link} {descriptor}".strip())
                    tag[attribute] = ", ".join(candidates)
            for attribute, value in list(tag.attrs.items()):
                if attribute not in URL_ATTRIBUTES and self._is_absolute(value):
                    tag[attribute] = self.link_for(value, resource, absolute=True) or value
        finish_learning_page(soup, resource, NOTE_PATH)
        finish_check_page(self, soup, resource, note_link, NOTE_PATH)
        self._rewrite_subscribe_box(soup, resource, language)
        for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
            if script.string:
                script.string = self.absolute_url.sub(
                    lambda m: self.link_for(m.group(0), resource, absolute=True) or m.group(0),
                    script.string,
                )
        return str(soup).encode()

    def _search_link(self, form, resource: Resource) -> str | None:
        """The archive's search page for a search form (the header's, the page's own)."""
        action = form.get("action") or resource.url
        if self._site_url(action, resource.url) not in self.search_pages:
            return None
        return self.link_for(action, resource)

    def _rewrite_subscribe_box(self, soup, resource: Resource, language: str) -> None:
        """The podcast-app link and the QR code name the feed's address: the archive's."""
        from cms.podcasts.subscribe import feed_qr_svg, podcast_app_url

        live_app_prefix = podcast_app_url(self.site_root + "/")
        for link in soup.find_all("a", href=lambda href: href and href.startswith("podcast:")):
            if link["href"].startswith(live_app_prefix):
                live = self.site_root + "/" + link["href"][len(live_app_prefix) :]
                link["href"] = podcast_app_url(self.link_for(live, resource, absolute=True))
        for svg in soup.find_all("svg", class_="subscribe-qr"):
            found = self.absolute_url.search(svg.title.get_text() if svg.title else "")
            if found:
                with translation.override(language):
                    code = feed_qr_svg(self.link_for(found.group(0), resource, absolute=True))
                svg.replace_with(BeautifulSoup(code, "html.parser"))

    # --- writing --------------------------------------------------------------------------

    def write(self, *, incremental: bool, dry_run: bool) -> ExportReport:
        old_files = self.previous.get("files", {})
        files = {}
        urls: dict[str, int] = {}
        pages = {
            resource.url: resource.page_id
            for resource in self.resources.values()
            if resource.page_id is not None
        }
        for path in sorted(self.resources):
            resource = self.resources[path]
            old = old_files.get(path, {})
            if resource.reused:
                entry = {
                    name: value
                    for name, value in old.items()
                    if name in ("sha256", "size", "source", "content", "archived_on")
                }
                self.report.unchanged.append(path)
                files[path] = {**entry, **self._reuse_entry(resource, pages, urls)}
                continue
            present = self.destination.exists(path)
            if resource.body is not None:
                body = self.rewrite(resource)
                stamp = {}
                if resource.is_html:
                    # The date a page's content was archived: kept while its content stays
                    # the same, so an incremental run does not rewrite every page.
                    content = hashlib.sha256(body).hexdigest()
                    day = old.get("archived_on") if old.get("content") == content else None
                    day = day or self.archived_on.isoformat()
                    body = stamp_archive_date(body, day, resource.language)
                    stamp = {"content": content, "archived_on": day}
                digest = hashlib.sha256(body).hexdigest()
                entry = {"sha256": digest, "size": len(body), **stamp}
                if present and old.get("sha256") == digest:
                    self.report.unchanged.append(path)
                else:
                    if not dry_run:
                        self.destination.write_chunks(path, [body])
                    self.report.written.append(path)
            elif (
                incremental
                and present
                and resource.source_key
                and old.get("source") == resource.source_key
            ):
                entry = dict(old)
                self.report.unchanged.append(path)
            else:
                if dry_run:
                    entry = dict(old)
                    self.report.written.append(path)
                else:
                    digest, size = self.destination.write_chunks(path, resource.chunks())
                    entry = {"sha256": digest, "size": size}
                    if present and old.get("sha256") == digest:
                        self.report.unchanged.append(path)
                    else:
                        self.report.written.append(path)
            if resource.source_key:
                entry["source"] = resource.source_key
            files[path] = {**entry, **self._reuse_entry(resource, pages, urls)}
        for path in sorted(set(old_files) - set(files)):
            if not dry_run:
                self.destination.delete(path)
            self.report.removed.append(path)
        if not dry_run:
            manifest = {
                "version": MANIFEST_VERSION,
                "generated": timezone.now().isoformat(timespec="seconds"),
                "site": self.site_root,
                "base_url": self.base_url,
                "absolute_base": self.absolute_base,
                "feeds": self.feeds,
                "files": files,
                "reuse": {
                    "version": REUSE_VERSION,
                    "urls": list(urls),
                    "redirects": {
                        key: url for key, url in sorted(self.redirects.items()) if url in pages
                    },
                },
            }
            self.destination.write_chunks(
                MANIFEST_NAME, [json.dumps(manifest, indent=1, sort_keys=True).encode()]
            )
        return self.report

    def _reuse_entry(self, resource: Resource, pages: dict, urls: dict) -> dict:
        """What the next incremental run needs to decide about this file without rendering
        it: the page it is about, the dependency key, its links and where they led."""
        if resource.page_id is None:
            return {}
        entry = {"url": resource.url, "page": resource.page_id}
        if resource.url in self.search_pages or resource.url in self.always_rendered:
            return entry
        if resource.content_type:
            entry["type"] = resource.content_type
        if resource.language:
            entry["language"] = resource.language
        linked = self._linked_pages(resource.links, pages, self.redirects)
        entry["deps"] = self.snapshot.key(resource.page_id, linked)
        entry["links"] = [urls.setdefault(link, len(urls)) for link in resource.links]
        entry["targets"] = self._links_digest(resource.links)
        return entry


def asks_for_password(response) -> bool:
    """Wagtail answers a page behind a password with 200 and its password form."""
    from wagtail.forms import PasswordViewRestrictionForm

    context = getattr(response, "context_data", None) or {}
    return isinstance(context.get("form"), PasswordViewRestrictionForm)


def close_response(response) -> None:
    """Close a streamed test-client response without closing the database connection, as
    the client itself does (``request_finished`` would close it: fatal inside a test's
    transaction, a needless reconnect otherwise)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def load_manifest(destination) -> dict | None:
    raw = destination.read_bytes(MANIFEST_NAME)
    return json.loads(raw) if raw else None


def feed_identity(body: bytes) -> dict:
    """The identity apps know a feed by: ``podcast:guid`` and the item guids, in order."""
    root = etree.fromstring(body)
    guid = root.findtext("./channel/{https://podcastindex.org/namespace/1.0}guid")
    items = [item.findtext("guid") for item in root.findall("./channel/item")]
    return {"podcast_guid": guid, "item_guids": items}


def build_note_html() -> str:
    """The note page's main content, in the active language."""
    from django.utils.html import format_html

    return format_html(
        '<div class="container"><h1>{}</h1><p>{}</p><p><a href="{}">{}</a></p></div>',
        _("Not available in the archive"),
        _(
            "This part of the site needed a server: sign-up and login, saved learning "
            "progress, certificates and personal feeds. The project has ended "
            "and the site is kept as an archive of static pages, so these are no longer "
            "offered. All public pages, episodes, videos, units and documents remain "
            "available."
        ),
        f"/{translation.get_language()}/",
        _("To the home page"),
    )


def stamp_archive_date(page: bytes, day: str, language: str) -> bytes:
    """``page`` with "Archived on <date>" (a ``<time datetime>``) at the end of its footer, in
    the page's language; before ``</body>`` where there is no footer."""
    from django.utils.formats import date_format
    from django.utils.html import escape, format_html

    with translation.override(language or settings.LANGUAGE_CODE):
        time = format_html(
            '<time datetime="{}">{}</time>',
            day,
            date_format(datetime.date.fromisoformat(day), "DATE_FORMAT"),
        )
        text = escape(_("Archived on %(date)s")) % {"date": time}
    note = f'<div class="container"><p class="archive-stamp">{text}</p></div>'.encode()
    for closing in (b"</footer>", b"</body>"):
        at = page.rfind(closing)
        if at != -1:
            return page[:at] + note + page[at:]
    return page + note


def replace_main(page: bytes, content: str) -> bytes:
    soup = BeautifulSoup(page, "html.parser")
    main = soup.find("main")
    main.clear()
    main.append(BeautifulSoup(content, "html.parser"))
    title = soup.find("title")
    if title is not None:
        title.string = BeautifulSoup(content, "html.parser").h1.get_text()
    for link in soup.find_all("link", attrs={"rel": "alternate", "hreflang": True}):
        link.decompose()
    return str(soup).encode()


def build_root_redirect(language: str) -> bytes:
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{language}"><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="0; url={language}/">'
        f"<title>Lernfunk</title></head>"
        f'<body><p><a href="{language}/">{language}/</a></p></body></html>\n'
    ).encode()
