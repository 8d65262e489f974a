"""The person snippet as editors meet it: posted to the real Wagtail admin views."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import rich_text

from cms.people.models import Person

pytestmark = pytest.mark.django_db


def post_person(client, name):
    url = reverse("wagtailsnippets_people_person:add") + "?locale=de"
    return client.post(
        url, {"name": name, "role": "", "organisation": "", "bio": rich_text(""), "link": ""}
    )


def test_a_name_podcast_apps_accept_is_saved(editor, home_pages):
    response = post_person(editor, "Dr. Miriam Keller")

    assert response.status_code == 302
    assert Person.objects.filter(name="Dr. Miriam Keller").exists()


def test_a_name_longer_than_podcast_apps_accept_is_refused(editor, home_pages):
    response = post_person(editor, "G" * 145)

    assert response.status_code == 200
    assert (
        "Podcast apps accept names of at most 128 characters; this one has 145."
        in response.content.decode()
    )
    assert not Person.objects.exists()
