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
