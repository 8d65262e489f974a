"""A small two-language site with one item of each kind, built and indexed once per module.

Built from factories (never the demo content: loading it takes minutes). The module's
fixture opens a transaction that is rolled back at the end of the module; every test runs
in a savepoint inside it (pytest-django's ``db``), so what a test changes is undone for the
next one.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.utils import timezone
from wagtail.models import Collection, Locale, Page, PageViewRestriction, Site

from cms.core.models import StandardPage
from cms.search.indexing import rebuild
from cms.videos.models import (
    ExplainerVideoIndexPage,
    ExplainerVideoPage,
    GlossaryPage,
    GlossaryTerm,
    VideoTextTrack,
)
from tests.cms.factories import (
    HomePageFactory,
    MaturityLevelFactory,
    PodcastEpisodePageFactory,
    PodcastShowPageFactory,
    TopicFactory,
)
from tests.cms.learning.factories import make_catalogue, make_path, make_unit, step, text

# A cue at 12:34 (754 s), the minute a search must find.
TRANSCRIPT = """WEBVTT

00:00:00.000 --> 00:00:06.000
<v Anna Schmidt>Willkommen zu unserer Folge über den Kundenservice.

00:12:34.000 --> 00:12:40.000
<v Jonas Weber>Seit dem Frühjahr beantworten wir Anfragen per Messenger-Chat.

00:12:40.000 --> 00:12:48.000
<v Anna Schmidt>Und wie reagieren die Kunden darauf?
"""
CAPTIONS = """WEBVTT

00:00:00.000 --> 00:00:05.000
Was ist eine Cloud?

00:01:05.000 --> 00:01:09.000
Die Cloud speichert Daten in einem Rechenzentrum in Frankfurt.
"""
ENGLISH_TRANSCRIPT = """WEBVTT

00:00:00.000 --> 00:00:05.000
Welcome to our episode about customer service.

00:02:03.000 --> 00:02:08.000
Small businesses answer enquiries by chat today.
"""


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def _home_pages():
    """As tests/conftest.py's ``home_pages``, for a module-scoped fixture."""
    german = Locale.objects.get_or_create(language_code="de")[0]
    english = Locale.objects.get_or_create(language_code="en")[0]
    if not Collection.get_first_root_node():
        Collection.add_root(name="Root")
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=german)
    )
    home = HomePageFactory(parent=root, locale=german, title="Startseite", slug="start")
    Site.objects.update_or_create(
        is_default_site=True, defaults={"root_page": home, "hostname": "testserver", "port": 80}
    )
    english_home = home.copy_for_translation(english)
    english_home.title = "Home"
    english_home.save_revision().publish()
    return home, english_home


@pytest.fixture(scope="module")
def _site_data(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.conf import settings

    media_root = settings.MEDIA_ROOT
    if not settings.MEDIA_ON_S3:
        settings.MEDIA_ROOT = tmp_path_factory.mktemp("search-media")
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            data = _build_site()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield data
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
    settings.MEDIA_ROOT = media_root


@pytest.fixture
def site(_site_data, db):
    """The module's site, as fresh objects (a test's changes to them are rolled back)."""
    return {
        key: type(value).objects.get(pk=value.pk) if isinstance(value, models.Model) else value
        for key, value in _site_data.items()
    }


def _build_site():
    home, english_home = _home_pages()
    levels = [
        MaturityLevelFactory(name=name, slug=slug, sort_order=order)
        for order, (name, slug) in enumerate(
            [("Einstieg", "einstieg"), ("Fortgeschritten", "fortgeschritten"), ("Profi", "profi")]
        )
    ]
    topic = TopicFactory(name="Kundenbeziehungen", slug="kundenbeziehungen")
    show = publish(
        PodcastShowPageFactory(parent=home, slug="podcast", title="Smarter Mittelstand")
    )
    episode = PodcastEpisodePageFactory(
        parent=show,
        title="Kundenservice im Handwerk",
        slug="kundenservice",
        summary="Eine Tischlerei organisiert ihren Service neu.",
        transcript=TRANSCRIPT,
    )
    episode.topics.set([topic])
    episode.maturity_levels.set([levels[0]])
    publish(episode)

    restricted = publish(
        PodcastEpisodePageFactory(
            parent=show,
            title="Internes Geheimprojekt",
            slug="geheim",
            summary="Nur für Mitglieder: das Geheimprojekt.",
            transcript=TRANSCRIPT.replace("Messenger-Chat", "Geheimkanal"),
        )
    )
    restriction = PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get_or_create(name="Netzwerk")[0]])

    draft = PodcastEpisodePageFactory(
        parent=show, title="Entwurfsthema Lagerlogistik", slug="entwurf", live=False
    )
    draft.save_revision()
    scheduled = PodcastEpisodePageFactory(
        parent=show, title="Zukunftsthema Robotik", slug="robotik", live=False
    )
    scheduled.go_live_at = timezone.now() + timedelta(days=3)
    scheduled.save_revision().publish()

    video_index = publish(
        home.add_child(
            instance=ExplainerVideoIndexPage(
                title="Kurz erklärt", slug="kurz-erklaert", locale=home.locale
            )
        )
    )
    video = publish(
        video_index.add_child(
            instance=ExplainerVideoPage(
                title="Was ist eine Cloud?",
                slug="cloud",
                summary="Die Cloud kurz erklärt.",
                locale=home.locale,
                text_tracks=[VideoTextTrack(language="de", webvtt=CAPTIONS)],
            )
        )
    )
    glossary = publish(
        video_index.add_child(
            instance=GlossaryPage(title="Schlüsselbegriffe", slug="begriffe", locale=home.locale)
        )
    )
    GlossaryTerm.objects.create(
        term="Cloud",
        slug="cloud",
        short_definition="Rechenleistung und Speicher aus dem Internet.",
        synonyms="Wolke\nRechnerwolke",
        locale=home.locale,
    )

    catalogue = make_catalogue(home)
    unit = make_unit(
        catalogue,
        [step("Worum es geht", [text("<p>Zufriedene Kunden empfehlen Sie weiter.</p>")])],
        level_min=levels[0],
        level_max=levels[1],
        topics=[topic],
        title="Service für Kunden verbessern",
        teaser="Wie kleine Betriebe schneller antworten.",
    )
    learning_path = make_path(catalogue, [unit], title="Digital starten")

    english = Locale.objects.get(language_code="en")
    english_show = publish(
        PodcastShowPageFactory(
            parent=english_home, slug="podcast-en", title="Smart SMEs", locale=english
        )
    )
    english_episode = publish(
        PodcastEpisodePageFactory(
            parent=english_show,
            title="Customer service in small businesses",
            slug="customer-service",
            summary="How a joinery answers its customers.",
            transcript=ENGLISH_TRANSCRIPT,
            locale=english,
        )
    )
    rebuild()
    return {
        "home": home,
        "show": show,
        "episode": episode,
        "restricted": restricted,
        "draft": draft,
        "scheduled": scheduled,
        "video": video,
        "glossary": glossary,
        "unit": unit,
        "path": learning_path,
        "english_episode": english_episode,
        "topic": topic,
        "levels": levels,
    }


@pytest.fixture
def standard_pages(site):
    """Twelve German pages about one subject (for pagination)."""
    home = site["home"]
    pages = []
    for number in range(12):
        page = home.add_child(
            instance=StandardPage(
                title=f"Förderprogramm {number + 1}",
                slug=f"foerderung-{number}",
                intro="Zuschüsse für die Digitalisierung.",
                locale=home.locale,
            )
        )
        pages.append(publish(page))
    rebuild()
    return pages
