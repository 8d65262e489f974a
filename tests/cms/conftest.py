import io

import pytest
from django.core.management import call_command
from wagtail.models import Locale, Page, Site

from cms.core.models import HomePage


@pytest.fixture
def demo_site(db):
    """The demo content as `make demo` loads it; returns the German home page."""
    call_command("load_demo_content", admin_password="pw-for-tests-only", stdout=io.StringIO())
    return HomePage.objects.get(locale__language_code="de")


@pytest.fixture
def home_pages(db):
    """A German home page as the default site's root, with its English translation."""
    from tests.cms.factories import HomePageFactory

    german = Locale.objects.get_or_create(language_code="de")[0]
    english = Locale.objects.get_or_create(language_code="en")[0]
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root, locale=german, title="Startseite", slug="start")
    Site.objects.update_or_create(
        is_default_site=True, defaults={"root_page": home, "hostname": "testserver", "port": 80}
    )
    english_home = home.copy_for_translation(english)
    english_home.title = "Home"
    english_home.save_revision().publish()
    return home, english_home
