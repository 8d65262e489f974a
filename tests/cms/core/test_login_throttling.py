"""Guessing passwords: after a few failures an account is locked for a while, on every login.

The counters live in the cache, keyed by the (hashed) user name only: no IP address or
browser string is looked at or kept.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from tests.cms.learning.factories import make_catalogue

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed logins for this account"


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_learner_login_refuses_the_right_password_after_many_wrong_ones(client, home_pages):
    _german, english = home_pages
    catalogue = make_catalogue(english, title="Learning", slug="learning")
    get_user_model().objects.create_user("lea@example.org", "lea@example.org", "Richtig-123!")
    login_url = catalogue.url + "login/"
    for attempt in range(30):
        client.post(login_url, {"username": "lea@example.org", "password": f"falsch-{attempt}"})

    response = client.post(login_url, {"username": "Lea@Example.org", "password": "Richtig-123!"})

    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not _logged_in(client)


def test_admin_login_refuses_the_right_password_after_many_wrong_ones(client, admin_user):
    for attempt in range(30):
        client.post(
            "/admin/login/",
            {"username": "admin", "password": f"wrong-{attempt}"},
            HTTP_ACCEPT_LANGUAGE="en",
        )

    response = client.post(
        "/admin/login/", {"username": "admin", "password": "password"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not _logged_in(client)


def test_a_few_typos_do_not_lock_anyone_out(client, admin_user):
    for attempt in range(3):
        client.post("/admin/login/", {"username": "admin", "password": f"wrong-{attempt}"})
    response = client.post("/admin/login/", {"username": "admin", "password": "password"})
    assert response.status_code == 302
    assert _logged_in(client)
