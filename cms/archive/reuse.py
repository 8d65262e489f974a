"""Which files an incremental export may keep without rendering them again.

A page's file is reused when its **dependency key** is the one the previous manifest stored
for it, the file is still there, and every link it had still leads where it led (see
``StaticExporter._check_reused``). The key is a hash computed before anything is rendered,
from a snapshot taken in a fixed number of queries whatever the size of the site:

- the **site fingerprint**, the same for every page: the export's options (base URL, site
  address, languages), the code (the project's Python files, templates, static files and
  translation catalogues by content; installed packages by version), the project-ended
  state, and the rows of every table a page may show that is not one page's own — site
  settings, sites, locales, collections and view restrictions, images and documents, media
  files and their renditions, people, topics, levels, key terms, questionnaires and
  redirects (``GLOBAL_TABLES``, and every model of the content apps that is not a page, a
  page's child or private). A change there re-renders everything;
- the page's own **content**: its row in the page tree (title, slug, URL path, live
  revision, publication dates, menu flag, …), its specific row (every field, so an edit
  that bypasses a revision counts too) and the rows of its children (chapters, hosts,
  people, text tracks, key terms, related items, path units: every model with a
  ``ParentalKey`` to a page, and the page's many-to-many rows);
- the content of its **ancestors** (breadcrumbs, the show an episode belongs to, the
  language's home), of its **translations** (language switch, ``hreflang``), of all its
  **descendants** (listings, pagination, feeds: a show page is rendered again when one of its
  episodes changes) and of the **pages it linked to** in its last rendering or references
  (Wagtail's ``ReferenceIndex``): cards, related items, "next episode"; and for the few
  pages that list what is not below them (``SITE_WIDE_LISTINGS``), every page of their
  language;
- the site roots and their children (the header menu) are part of the site fingerprint.

Files that are not pages belong to the page they are about (a show's feed, an episode's
chapters, transcript and enclosure, a video's text tracks and embed) and share its key;
files the exporter cannot attribute (the sitemap, the search pages and their index, static
files, the note and 404 pages, the language homes) are produced again on every run, which
is cheap, and still written only when their bytes change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import itertools
import json
from collections import defaultdict
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from modelcluster.fields import ParentalKey
from wagtail.models import Page

REUSE_VERSION = 1

# App labels whose models a public page may show. Their models that are pages or page
# children are part of a page's own content; the others are site-wide.
CONTENT_APPS = (
    "core",
    "taxonomy",
    "people",
    "podcasts",
    "videos",
    "learning",
    "digitalcheck",
    "images",
    "media_pipeline",
    "wagtaildocs",
    "wagtailimages",
    "wagtailredirects",
    "taggit",
)
# Site-wide tables from apps that otherwise hold no content.
GLOBAL_TABLES = (
    "wagtailcore.Site",
    "wagtailcore.Locale",
    "wagtailcore.Collection",
    "wagtailcore.PageViewRestriction",
    "wagtailcore.CollectionViewRestriction",
)
# Never shown to an anonymous visitor, or derived from what is hashed anyway (renditions of
# images are made while rendering: hashing them would make the next run render everything).
PRIVATE_OR_DERIVED = frozenset(
    {
        "core.cachegeneration",
        "learning.learner",
        "learning.unitprogress",
        "learning.stepprogress",
        "learning.quizattempt",
        "learning.checklistitemstate",
        "learning.reflectionanswer",
        "digitalcheck.submission",
        "digitalcheck.certificate",
        "podcasts.podcastimport",
        "images.customrendition",
        "wagtailimages.rendition",
        "wagtailimages.uploadedimage",
        "wagtaildocs.uploadeddocument",
    }
)
CODE_SUFFIXES = frozenset(
    {".py", ".html", ".txt", ".xml", ".mo", ".css", ".js", ".mjs", ".json", ".svg", ".woff2"}
)
PACKAGES = ("django", "wagtail", "feedgen", "beautifulsoup4", "lxml", "markdown")
# Pages that show what is not below them (the glossary lists its terms' videos, which are its
# siblings; the statement and the Digital-Check may name content anywhere): one per
# language, keyed on every page of their language's tree.
SITE_WIDE_LISTINGS = frozenset(
    {"videos.glossarypage", "core.accessibilitystatementpage", "digitalcheck.digitalcheckpage"}
)
# A page's row in the tree, as its own content and as others show it (drafts do not count).
PAGE_FIELDS = (
    "id",
    "path",
    "url_path",
    "title",
    "slug",
    "seo_title",
    "search_description",
    "live",
    "live_revision_id",
    "last_published_at",
    "first_published_at",
    "go_live_at",
    "expire_at",
    "expired",
    "locale_id",
    "translation_key",
    "content_type_id",
    "show_in_menus",
)
# Views that are about one page: the URL's keyword names that page (or its GUID).
PAGE_VIEWS = {
    "podcast_feed": "show_id",
    "video_feed": "index_id",
    "video_text_track": "page_id",
    "video_embed": "page_id",
    "episode_chapters": "guid",
    "episode_transcript": "guid",
    "episode_enclosure": "guid",
    "video_enclosure": "guid",
}


def _plain(value):
    """Values as stored: a StreamField's raw blocks, never its rendering."""
    if hasattr(value, "get_prep_value"):
        return value.get_prep_value()
    return str(value)


def digest(value) -> str:
    return hashlib.sha256(
        json.dumps(value, sort_keys=True, default=_plain, separators=(",", ":")).encode()
    ).hexdigest()


class DependencySnapshot:
    """What every page's key is computed from, read once at the start of a run."""

    def __init__(self, options: dict):
        from wagtail.models import Site

        from cms.core.models import SiteSettings

        self.now = timezone.now()
        # The first request of a site creates its settings row: create it before hashing.
        for site in Site.objects.all():
            SiteSettings.for_site(site)
        self.site_fingerprint = digest(
            {
                "version": REUSE_VERSION,
                "options": options,
                "code": code_fingerprint(),
                "tables": global_tables_fingerprint(),
                "project_ended": project_ended_state(),
                "menus": menu_fingerprint(),
            }
        )
        self.summary: dict[int, tuple] = {}
        self.paths: list[tuple[str, int]] = []
        self.translations: dict[str, list[int]] = defaultdict(list)
        first_published = PAGE_FIELDS.index("first_published_at")
        translation_key = PAGE_FIELDS.index("translation_key")
        for row in Page.objects.order_by("path").values_list(*PAGE_FIELDS):
            page_id, path = row[0], row[1]
            visible = row[first_published] is not None and row[first_published] <= self.now
            self.summary[page_id] = (*row, visible)
            self.paths.append((path, page_id))
            self.translations[str(row[translation_key])].append(page_id)
        self.by_path = dict(self.paths)
        self.index = {page_id: position for position, (_path, page_id) in enumerate(self.paths)}
        own = page_rows_fingerprints()
        self.content = {
            page_id: digest([summary, own.get(page_id, "")])
            for page_id, summary in self.summary.items()
        }
        self.references = page_references()
        self.guids = page_guids()
        self.page_types = {
            content_type.pk: f"{content_type.app_label}.{content_type.model}"
            for content_type in ContentType.objects.all()
        }
        self._descendants: dict[int, str] = {}

    def page_for_url(self, key: str) -> int | None:
        """The page a non-page URL is about (a show's feed, an episode's chapters…)."""
        path = key.split("?", 1)[0]
        try:
            with translation.override(translation.get_language_from_path(path)):
                match = resolve(path)
        except Resolver404:
            return None
        name = PAGE_VIEWS.get(match.url_name or "")
        if name is None or name not in match.kwargs:
            return None
        value = match.kwargs[name]
        if name == "guid":
            return self.guids.get(str(value))
        return value if value in self.summary else None

    def descendants_digest(self, page_id: int) -> str:
        if page_id not in self._descendants:
            position = self.index[page_id]
            path = self.paths[position][0]
            found = []
            for other_path, other in itertools.islice(self.paths, position + 1, None):
                if not other_path.startswith(path):
                    break
                found.append(self.content[other])
            self._descendants[page_id] = digest(found)
        return self._descendants[page_id]

    def key(self, page_id: int | None, linked: set[int]) -> str | None:
        """The dependency key of a file about ``page_id`` that linked to ``linked`` pages;
        None when there is no such page any more (render it: it may be gone)."""
        if page_id is None or page_id not in self.summary:
            return None
        summary = self.summary[page_id]
        path, depth_steps = summary[1], Page.steplen
        ancestors = [
            self.content.get(self.by_path.get(path[:end]), "")
            for end in range(depth_steps, len(path), depth_steps)
        ]
        translations = [
            self.content[other]
            for other in sorted(
                self.translations[str(summary[PAGE_FIELDS.index("translation_key")])]
            )
        ]
        related = sorted((linked | self.references.get(page_id, set())) - {page_id})
        wide = ""
        if self.page_types.get(summary[PAGE_FIELDS.index("content_type_id")]) in (
            SITE_WIDE_LISTINGS
        ):
            home = self.by_path.get(path[: 2 * depth_steps])
            wide = self.descendants_digest(home) if home is not None else ""
        return digest(
            [
                self.site_fingerprint,
                self.content[page_id],
                ancestors,
                translations,
                self.descendants_digest(page_id),
                [[other, self.content.get(other, "gone")] for other in related],
                wide,
            ]
        )


def code_fingerprint() -> dict:
    """Templates, static files, translation catalogues and the project's Python code by
    content; what lies outside the project (installed packages) by package version and by
    file size and modification time."""
    from django.contrib.staticfiles import finders
    from django.template import engines

    root = Path(settings.BASE_DIR).resolve()
    folders = set()
    for engine in engines.all():
        folders.update(Path(folder) for folder in engine.template_dirs)
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                folders.add(Path(location))
    folders.update(Path(folder) for folder in settings.LOCALE_PATHS)
    for name in ("cms", "feeds", "media_pipeline"):
        folders.add(root / name)
    files = {}
    for folder in sorted({folder.resolve() for folder in folders if folder.is_dir()}):
        inside = folder.is_relative_to(root) and "site-packages" not in folder.parts
        for file in sorted(folder.rglob("*")):
            if file.suffix not in CODE_SUFFIXES or not file.is_file():
                continue
            if "__pycache__" in file.parts or "node_modules" in file.parts:
                continue
            if inside:
                files[str(file)] = hashlib.sha256(file.read_bytes()).hexdigest()
            else:
                stat = file.stat()
                files[str(file)] = [stat.st_size, stat.st_mtime_ns]
    versions = {}
    for package in PACKAGES:
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = None
    return {"files": digest(files), "packages": versions}


def menu_fingerprint() -> str:
    """The site roots and their children: the header menu (``show_in_menus``) and the
    language homes every page links to."""
    return digest(
        list(
            Page.objects.filter(depth__lte=3)
            .order_by("path")
            .values_list(
                "id",
                "path",
                "url_path",
                "title",
                "slug",
                "live",
                "live_revision_id",
                "show_in_menus",
                "search_description",
                "locale_id",
            )
        )
    )


def project_ended_state():
    from cms.core.models import SiteSettings

    ended = [
        getattr(each, "project_ended_on", None) for each in SiteSettings.objects.order_by("pk")
    ]
    today = dt.date.today()
    return [bool(day and day <= today) for day in ended]


def _is_page_model(model) -> bool:
    return issubclass(model, Page)


def _page_key_field(model):
    """The field of a page's child model that names its page (a ``ParentalKey``)."""
    for field in model._meta.concrete_fields:
        if isinstance(field, ParentalKey) and _is_page_model(field.related_model):
            return field
    return None


def _rows(model, fields=None) -> list:
    names = fields or [field.attname for field in model._meta.concrete_fields]
    return list(model._base_manager.order_by("pk").values_list(*names))


def global_tables_fingerprint() -> str:
    tables = {}
    for label in GLOBAL_TABLES:
        model = apps.get_model(label)
        tables[model._meta.label_lower] = _rows(model)
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.app_label not in CONTENT_APPS or meta.label_lower in PRIVATE_OR_DERIVED:
            continue
        if _is_page_model(model) or _page_key_field(model) is not None:
            continue
        if meta.auto_created and any(
            _is_page_model(field.related_model)
            for field in meta.concrete_fields
            if field.is_relation
        ):
            continue  # a page's many-to-many rows: the page's own
        tables[meta.label_lower] = _rows(model)
    return digest(tables)


def page_rows_fingerprints() -> dict[int, str]:
    """Per page: its specific row, its children's rows and its many-to-many rows."""
    rows: dict[int, list] = defaultdict(list)
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.app_label not in CONTENT_APPS or meta.label_lower in PRIVATE_OR_DERIVED:
            continue  # editors' comments, revisions, logs: never shown
        if _is_page_model(model) and model is not Page and not meta.abstract:
            own = [
                field.attname
                for field in meta.concrete_fields
                if field.model is not Page and not field.primary_key
            ]
            if not own:
                continue
            for row in model._base_manager.order_by("pk").values_list("pk", *own):
                rows[row[0]].append([meta.label_lower, row[1:]])
            continue
        parent = _page_key_field(model)
        if parent is None and meta.auto_created:
            parent = next(
                (
                    field
                    for field in meta.concrete_fields
                    if field.is_relation and _is_page_model(field.related_model)
                ),
                None,
            )
        if parent is None:
            continue
        names = [field.attname for field in meta.concrete_fields]
        position = names.index(parent.attname)
        for row in _rows(model, names):
            rows[row[position]].append([meta.label_lower, row])
    return {page_id: digest(found) for page_id, found in rows.items()}


def page_references() -> dict[int, set[int]]:
    """The pages each page references (Wagtail's reference index: choosers, rich text,
    StreamField blocks). Sites whose content was bulk-inserted may lack these rows; the
    links of the previous rendering still count."""
    from wagtail.models import ReferenceIndex

    page_type = ContentType.objects.get_for_model(Page)
    found: dict[int, set[int]] = defaultdict(set)
    rows = ReferenceIndex.objects.filter(
        base_content_type=page_type, to_content_type=page_type
    ).values_list("object_id", "to_object_id")
    for source, target in rows:
        try:
            found[int(source)].add(int(target))
        except ValueError:
            continue
    return found


def page_guids() -> dict[str, int]:
    guids = {}
    for model in apps.get_models():
        if _is_page_model(model) and any(
            field.name == "guid" for field in model._meta.concrete_fields
        ):
            for page_id, guid in model._base_manager.exclude(guid=None).values_list("pk", "guid"):
                guids[str(guid)] = page_id
    return guids
