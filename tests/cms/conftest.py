import io

import pytest
from django.core.management import call_command

from cms.core.models import HomePage
from tests.cms.factories import MaturityLevelFactory


@pytest.fixture
def demo_site(db):
    """The demo content as `make demo` loads it; returns the German home page."""
    call_command("load_demo_content", admin_password="pw-for-tests-only", stdout=io.StringIO())
    return HomePage.objects.get(locale__language_code="de")


# A module with several tests on the demo content loads it once (about 8 s each time) instead
# of once per test: it overrides ``demo_site`` and ``_media_root`` with the two fixtures
# below, ``shared_demo_site`` and ``shared_demo_media_root``.
@pytest.fixture(scope="module")
def _shared_demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(scope="module")
def _shared_demo(django_db_setup, django_db_blocker, _shared_demo_media):
    """The demo content, loaded once for the module inside a transaction that is rolled back
    after its last test; each test runs in a savepoint inside it (pytest-django's ``db``), as
    Django's ``TestCase.setUpTestData`` does, so a test's changes never reach the next."""
    from django.conf import settings as django_settings
    from django.core.cache import cache
    from django.db import transaction
    from django.test import override_settings

    media = {} if django_settings.MEDIA_ON_S3 else {"MEDIA_ROOT": _shared_demo_media}
    with django_db_blocker.unblock(), override_settings(**media):
        with transaction.atomic():
            call_command(
                "load_demo_content", admin_password="pw-for-tests-only", stdout=io.StringIO()
            )
            yield
            transaction.set_rollback(True)
        cache.clear()


@pytest.fixture
def shared_demo_site(_shared_demo, db):
    return HomePage.objects.get(locale__language_code="de")


@pytest.fixture
def shared_demo_media_root(settings, _shared_demo_media):
    from django.conf import settings as django_settings

    if not django_settings.MEDIA_ON_S3:
        settings.MEDIA_ROOT = _shared_demo_media


@pytest.fixture
def levels(db):
    """The three maturity levels, lowest first."""
    return [
        MaturityLevelFactory(name=name, slug=slug, sort_order=order)
        for order, (name, slug) in enumerate(
            [("Einstieg", "einstieg"), ("Fortgeschritten", "fortgeschritten"), ("Profi", "profi")]
        )
    ]


@pytest.fixture
def editor(client, admin_user):
    """A logged-in superuser whose admin speaks English, so messages do not depend on
    whether the German catalogue is compiled."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(admin_user)
    return client


@pytest.fixture
def queries_of(client):
    """GET ``url`` twice (the first warms caches) and return the second response and the
    number of queries it took."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def measure(url, using=None):
        using = using or client
        using.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = using.get(url)
        assert response.status_code == 200, url
        return response, len(captured.captured_queries)

    return measure
