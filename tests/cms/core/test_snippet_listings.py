"""Snippet listings (people, topics, key terms) cost the same queries however many rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.cms.factories import LocaleFactory, PersonFactory, TopicFactory

pytestmark = pytest.mark.django_db


def listing(client, url):
    client.get(url)  # warm
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize(
    ("factory", "list_url_name"),
    [
        (PersonFactory, "wagtailsnippets_people_person:list"),
        (TopicFactory, "wagtailsnippets_taxonomy_topic:list"),
    ],
)
def test_snippet_list_queries_do_not_grow_and_translate_only_what_is_missing(
    editor, factory, list_url_name
):
    german, english = LocaleFactory(language_code="de"), LocaleFactory(language_code="en")
    url = reverse(list_url_name) + "?locale=de"
    made = []

    def add(count):
        for _ in range(count):
            item = factory(locale=german)
            if len(made) % 2:
                item.copy_for_translation(english).save()
            made.append(item)

    add(3)
    small, _html = listing(editor, url)
    add(12)
    large, html = listing(editor, url)

    assert large == small
    model = type(made[0])._meta
    offered = [
        reverse(
            "simple_translation:submit_snippet_translation",
            args=[model.app_label, model.model_name, item.pk],
        )
        in html
        for item in made
    ]
    # Every other row was translated: only the others offer "Translate".
    assert offered == [index % 2 == 0 for index in range(15)]
