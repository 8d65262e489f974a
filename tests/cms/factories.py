import factory
import wagtail_factories
from wagtail.models import Locale

from cms.core.models import HomePage, StandardPage
from cms.images.models import CustomImage
from cms.people.models import Person
from cms.taxonomy.models import MaturityLevel, Topic


class LocaleFactory(factory.django.DjangoModelFactory):
    language_code = "de"

    class Meta:
        model = Locale
        django_get_or_create = ("language_code",)


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Startseite"
    slug = "start"
    intro = "Lernangebote für den Mittelstand."
    locale = factory.SubFactory(LocaleFactory)

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Seite {n}")
    intro = "Einleitung"
    locale = factory.SubFactory(LocaleFactory)

    class Meta:
        model = StandardPage


class ImageFactory(wagtail_factories.ImageFactory):
    credit = "Foto: Test"

    class Meta:
        model = CustomImage


class TopicFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Thema {n}")
    slug = factory.Sequence(lambda n: f"thema-{n}")
    locale = factory.SubFactory(LocaleFactory)

    class Meta:
        model = Topic


class MaturityLevelFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Stufe {n}")
    slug = factory.Sequence(lambda n: f"stufe-{n}")
    sort_order = factory.Sequence(lambda n: n)
    locale = factory.SubFactory(LocaleFactory)

    class Meta:
        model = MaturityLevel


class PersonFactory(factory.django.DjangoModelFactory):
    name = factory.Faker("name", locale="de_DE")
    role = "Referentin"
    organisation = "Mittelstand-Digital Zentrum"
    locale = factory.SubFactory(LocaleFactory)

    class Meta:
        model = Person


class PodcastShowPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Smarter Mittelstand {n}")
    subtitle = "Praxisgeschichten aus dem Mittelstand"
    description = "<p>Wie kleine und mittlere Unternehmen die Digitalisierung anpacken.</p>"
    owner_name = "Mittelstand-Digital Zentrum"
    owner_email = "podcast@example.org"
    author = "Mittelstand-Digital Zentrum"
    category_1 = "Business › Management"
    artwork = factory.SubFactory(
        "tests.cms.factories.ImageFactory",
        file=factory.django.ImageField(width=1400, height=1400, color="#0b5394", format="PNG"),
    )
    locale = factory.SubFactory(LocaleFactory)

    class Meta:
        model = "podcasts.PodcastShowPage"


class PodcastEpisodePageFactory(wagtail_factories.PageFactory):
    """An episode whose audio already has a READY MP3 rendition (tiny, not real audio)."""

    title = factory.Sequence(lambda n: f"Folge {n}: Digitalisierung im Handwerk")
    summary = "Eine Tischlerei stellt auf digitale Auftragsplanung um."
    show_notes = '<p>Mehr unter <a href="https://example.org">example.org</a>.</p>'
    locale = factory.SubFactory(LocaleFactory)
    audio = factory.LazyFunction(lambda: ready_audio())

    class Meta:
        model = "podcasts.PodcastEpisodePage"


def ready_audio(size: int = 4000, duration: float = 125.0, **kwargs):
    """A MediaFile with READY MP3 and AAC renditions (small placeholder files)."""
    from media_pipeline.models import RenditionStatus
    from media_pipeline.specs import PODCAST_AAC_SPEC, PODCAST_MP3_SPEC
    from tests.media_pipeline.factories import MediaFileFactory, MediaRenditionFactory

    media = MediaFileFactory(duration=duration, **kwargs)
    for spec, name, mime in (
        (PODCAST_MP3_SPEC, "folge.mp3", "audio/mpeg"),
        (PODCAST_AAC_SPEC, "folge.m4a", "audio/mp4"),
    ):
        MediaRenditionFactory(
            media_file=media,
            spec=spec,
            status=RenditionStatus.READY,
            file=factory.django.FileField(filename=name, data=bytes(range(256)) * (size // 256)),
            file_size=size // 256 * 256,
            mime_type=mime,
            duration=duration,
            bitrate=128000,
        )
    return media
