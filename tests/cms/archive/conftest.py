import datetime as dt
import hashlib
import json
import os
import shutil

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from cms.archive.export import MANIFEST_NAME
from cms.podcasts.models import EpisodeChapter
from cms.search.indexing import rebuild
from cms.search.models import Kind, SearchDocument
from tests.cms.factories import StandardPageFactory
from tests.cms.learning.conftest import catalogue, topics, unit  # noqa: F401 - shared fixtures
from tests.cms.podcasts.conftest import publish_episode, show  # noqa: F401 - shared fixtures
from tests.cms.search.conftest import TRANSCRIPT
from tests.cms.videos.conftest import (  # noqa: F401 - shared fixtures
    publish_video,
    ready_video,
    video_files,
    video_index,
)


@pytest.fixture
def small_site(home_pages, show, publish_episode, unit):  # noqa: F811 - imported fixtures
    """A show with two public episodes (READY audio, chapters) and a restricted one, a unit,
    a restricted page and a draft."""
    home, _english = home_pages
    first = publish_episode(title="Erste Folge", slug="erste-folge")
    second = publish_episode(title="Zweite Folge", slug="zweite-folge")
    EpisodeChapter.objects.create(page=first, start=dt.timedelta(0), title="Begrüßung")
    secret = publish_episode(title="Nur für Mitglieder", slug="nur-fuer-mitglieder")
    PageViewRestriction.objects.create(page=secret, restriction_type="login")
    restricted = StandardPageFactory(parent=home, title="Intern", slug="intern")
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    password = StandardPageFactory(parent=home, title="Vorstand", slug="vorstand")
    PageViewRestriction.objects.create(
        page=password, restriction_type="password", password="geheim"
    )
    draft = StandardPageFactory(parent=home, title="Entwurf", slug="entwurf", live=False)
    links = "".join(
        f'<a linktype="page" id="{page.pk}">{page.title}</a> '
        for page in (restricted, password, draft)
    )
    members_only = Collection.get_first_root_node().add_child(name="Nur für Mitglieder")
    CollectionViewRestriction.objects.create(
        collection=members_only, restriction_type=CollectionViewRestriction.LOGIN
    )
    documents = [
        get_document_model().objects.create(
            title=title, collection=collection, file=ContentFile(b"%PDF-1.4\n", name=name)
        )
        for title, name, collection in (
            ("Leitfaden", "leitfaden.pdf", Collection.get_first_root_node()),
            ("Intern", "intern.pdf", members_only),
        )
    ]
    links += "".join(
        f'<a linktype="document" id="{document.pk}">{document.title}</a> '
        for document in documents
    )
    public = StandardPageFactory(
        parent=home,
        title="Impressum",
        slug="impressum",
        body=[{"type": "paragraph", "value": f"<p>{links}</p>"}],
    )
    return {
        "show": show,
        "episodes": [first, second],
        "secret_episode": secret,
        "unit": unit,
        "public": public,
        "restricted": restricted,
        "draft": draft,
        "documents": documents,
    }


@pytest.fixture
def indexed_site(small_site):
    """``small_site`` in the search index, the first episode with a transcript (a cue at
    12:34), and the restricted episode in the index as a missed signal would leave it."""
    first = small_site["episodes"][0]
    first.transcript = TRANSCRIPT
    first.save_revision().publish()
    rebuild()
    secret = small_site["secret_episode"]
    SearchDocument.objects.create(
        kind=Kind.EPISODE,
        language="de",
        page=secret,
        url=secret.url,
        title=secret.title,
        body="Seit dem Frühjahr nur für Mitglieder.",
        folded="seit dem frühjahr nur für mitglieder.",
        published_at=timezone.now(),
    )
    return small_site


@pytest.fixture(scope="module")
def shared_demo_archive(_shared_demo, _shared_demo_media, django_db_blocker, tmp_path_factory):
    """The demo site (``shared_demo_site``) exported once for the module, search index
    included; a test that changes it works on ``copy_archive(...)``."""
    from django.conf import settings
    from django.core.cache import caches
    from django.test import override_settings

    from cms.archive.export import export_static_site

    dest = tmp_path_factory.mktemp("demo-archive")
    media = {} if settings.MEDIA_ON_S3 else {"MEDIA_ROOT": _shared_demo_media}
    with django_db_blocker.unblock(), override_settings(**media):
        # Earlier modules' pages (rolled back, same ids) must not answer from a cache.
        for cache in caches.all():
            cache.clear()
        rebuild()
        export_static_site(dest)
    return dest


def copy_archive(source, dest):
    """A copy of an exported archive made of hard links: change a file only through
    ``rewrite_file``, which replaces it instead of writing through the link."""
    shutil.copytree(source, dest, copy_function=os.link)
    return dest


def rewrite_file(archive, path, change):
    """Replace the file ``path`` of ``archive`` with ``change(its text)``, and its entry in
    the manifest, as if the export had written it so."""
    file = archive / path
    body = change(file.read_text()).encode()
    file.unlink()
    file.write_bytes(body)
    manifest = json.loads((archive / MANIFEST_NAME).read_text())
    manifest["files"][path] = {"sha256": hashlib.sha256(body).hexdigest(), "size": len(body)}
    (archive / MANIFEST_NAME).unlink()
    (archive / MANIFEST_NAME).write_text(json.dumps(manifest))
