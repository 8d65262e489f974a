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
