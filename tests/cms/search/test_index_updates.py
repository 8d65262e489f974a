"""The index follows publishing, unpublishing, moving, privacy and new captions."""

import pytest
from wagtail.models import PageViewRestriction

from cms.search.models import SearchCue, SearchDocument
from cms.videos.models import VideoTextTrack

from .test_search_pages import hit_titles

pytestmark = pytest.mark.django_db


def test_unpublishing_and_publishing_again(site, client, django_capture_on_commit_callbacks):
    episode = site["episode"]
    with django_capture_on_commit_callbacks(execute=True):
        episode.unpublish()
    assert hit_titles(client.get("/de/suche/", {"q": "Messenger"})) == []

    with django_capture_on_commit_callbacks(execute=True):
        episode.save_revision().publish()
    assert hit_titles(client.get("/de/suche/", {"q": "Messenger"})) == [
        "Kundenservice im Handwerk"
    ]


def test_new_captions_are_searchable_once_published(
    site, client, django_capture_on_commit_callbacks
):
    video = site["video"]
    video.text_tracks.add(
        VideoTextTrack(
            language="de",
            webvtt="WEBVTT\n\n00:00:30.000 --> 00:00:33.000\nDas Backup liegt in Nürnberg.\n",
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        video.save_revision().publish()

    response = client.get("/de/suche/", {"q": "Nürnberg"})
    assert hit_titles(response) == ["Was ist eine Cloud?"]
    assert f"{video.url}?t=30" in response.content.decode()


def test_a_new_restriction_removes_the_subtree(site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=site["show"], restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
    assert not SearchDocument.objects.filter(page=site["episode"]).exists()
    assert not SearchCue.objects.filter(document__page=site["episode"]).exists()


def test_deleting_a_page_deletes_its_document(site):
    site["unit"].delete()

    assert not SearchDocument.objects.filter(title="Service für Kunden verbessern").exists()


def test_the_rebuild_command_indexes_only_what_visitors_may_see(site):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("rebuild_search_index", stdout=out)

    titles = set(SearchDocument.objects.values_list("title", flat=True))
    assert "Kundenservice im Handwerk" in titles
    assert titles.isdisjoint({"Internes Geheimprojekt", "Entwurfsthema Lagerlogistik"})
    assert "Zukunftsthema Robotik" not in titles
    assert f"{len(titles)} documents" in out.getvalue()


def test_moving_a_page_follows_its_new_place(site, client, django_capture_on_commit_callbacks):
    """Moved under a section that only members may see, a unit leaves the public results with
    everything below it; moved back out, it is found again under its new address."""
    from cms.core.models import StandardPage

    home, unit = site["home"], site["unit"]
    members = home.add_child(
        instance=StandardPage(title="Mitgliederbereich", slug="mitglieder", locale=home.locale)
    )
    members.save_revision().publish()
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)
    open_section = home.add_child(
        instance=StandardPage(title="Archiv", slug="archiv", locale=home.locale)
    )
    open_section.save_revision().publish()

    def hits():
        return hit_titles(client.get("/de/suche/", {"q": "Service für Kunden verbessern"}))

    assert "Service für Kunden verbessern" in hits()
    with django_capture_on_commit_callbacks(execute=True):
        unit.move(members, pos="last-child")
    assert "Service für Kunden verbessern" not in hits()
    assert not SearchDocument.objects.filter(page=unit).exists()

    with django_capture_on_commit_callbacks(execute=True):
        type(unit).objects.get(pk=unit.pk).move(open_section, pos="last-child")
    response = client.get("/de/suche/", {"q": "Service für Kunden verbessern"})
    assert "Service für Kunden verbessern" in hit_titles(response)
    assert "/archiv/" in response.content.decode()
