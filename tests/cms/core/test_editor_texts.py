"""What editors read in the German admin: names in German, not Wagtail's English defaults."""

import re

from django.urls import reverse

GERMAN = {"HTTP_ACCEPT_LANGUAGE": "de"}


def test_the_default_workflow_is_offered_in_german(admin_client, home_pages):
    home, _english = home_pages

    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=(home.pk,)), **GERMAN).text

    assert "In Redaktionsfreigabe einreichen" in html
    assert "Moderators approval" not in html


def test_admin_search_says_what_it_counts(admin_client, home_pages):
    html = admin_client.get(reverse("wagtailadmin_pages:search") + "?q=Start", **GERMAN).text

    text = " ".join(html.split())
    assert re.search(r"1-1 von 1 Seite\b", text)
    assert "von 1 None" not in text
