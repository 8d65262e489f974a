"""The podcast page forms as editors meet them: posted to the real Wagtail admin views."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from factory.django import ImageField
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from cms.podcasts.models import PodcastEpisodePage, PodcastShowPage
from tests.cms.admin_forms import form_data
from tests.cms.factories import ImageFactory, PodcastShowPageFactory, ready_audio

pytestmark = pytest.mark.django_db

SRT = """1
00:00:01,000 --> 00:00:03,500
Willkommen beim Podcast.

2
00:00:04,000 --> 00:00:06,000
<i>Heute:</i> Auftragsplanung.
"""

BROKEN_VTT = """WEBVTT

00:00:01.000 --> 00:00:03.000
Willkommen.

00:00:04,000 --> 00:00:06.000
Das Komma stammt aus einer SRT-Datei.
"""


def add_url(parent, model=PodcastEpisodePage) -> str:
    meta = model._meta
    return reverse("wagtailadmin_pages:add", args=(meta.app_label, meta.model_name, parent.pk))


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def post_episode(client, show, publish=True, chapters=(), files=None, **fields):
    url = add_url(show)
    data = form_data(client, url)
    data.update(
        {
            "title": "Folge 7: Auftragsplanung",
            "slug": "auftragsplanung",
            "summary": "Eine Tischlerei plant digital.",
            "audio": ready_audio(duration=125.0).pk,
        }
    )
    data.update(nested_form_data({"chapters": inline_formset(list(chapters))}))
    data.update(fields)
    if publish:
        data["action-publish"] = "action-publish"
    return client.post(url, {**data, **(files or {})})


def field_errors(response, field) -> list[str]:
    assert response.status_code == 200, "the form was accepted"
    return english(response.context["form"].errors.get(field, []))


def chapter_errors(response) -> list[dict]:
    assert response.status_code == 200, "the form was accepted"
    forms = response.context["form"].formsets["chapters"].forms
    return [{field: english(errors) for field, errors in form.errors.items()} for form in forms]


def english(messages) -> list[str]:
    """Lazy messages rendered in the editor's language (the request's is over by now)."""
    with translation.override("en"):
        return [str(message) for message in messages]


def post_show_artwork(client, show, image):
    data = form_data(client, edit_url(show))
    data["artwork"] = image.pk
    return client.post(edit_url(show), data)


def image(width, height):
    return ImageFactory(file=ImageField(width=width, height=height, format="PNG"))


def test_small_artwork_is_refused_with_the_size_needed(editor, show):
    response = post_show_artwork(editor, show, image(1000, 1000))

    assert field_errors(response, "artwork") == [
        "The cover art is 1000 × 1000 pixels; podcast apps need at least 1400 × 1400 "
        "(3000 × 3000 is best)."
    ]


def test_non_square_artwork_is_refused(editor, show):
    response = post_show_artwork(editor, show, image(1600, 1400))

    assert field_errors(response, "artwork") == [
        "The cover art must be square; this image is 1600 × 1400 pixels."
    ]


def test_square_artwork_of_1400_pixels_is_accepted(editor, show):
    artwork = image(1400, 1400)
    response = post_show_artwork(editor, show, artwork)

    assert response.status_code == 302
    show.refresh_from_db()
    assert show.get_latest_revision_as_object().artwork_id == artwork.pk


def test_a_category_chosen_twice_is_refused(editor, show):
    data = form_data(editor, edit_url(show))
    data["category_2"] = data["category_1"]
    response = editor.post(edit_url(show), data)

    assert field_errors(response, "category_2") == ["Choose each category only once."]


def test_valid_episode_is_published_with_a_guid(editor, show):
    response = post_episode(
        editor,
        show,
        chapters=[
            {"start": "0:00", "title": "Einstieg"},
            {"start": "1:30", "title": "Die Umstellung"},
        ],
    )

    assert response.status_code == 302
    episode = PodcastEpisodePage.objects.child_of(show).get()
    assert episode.live
    assert episode.guid is not None
    assert [(c.start, c.title) for c in episode.chapters.all()] == [
        (timedelta(0), "Einstieg"),
        (timedelta(minutes=1, seconds=30), "Die Umstellung"),
    ]
    assert editor.get(episode.url).status_code == 200


def test_saving_a_draft_assigns_no_guid(editor, show):
    response = post_episode(editor, show, publish=False)

    assert response.status_code == 302
    episode = PodcastEpisodePage.objects.child_of(show).get()
    assert not episode.live
    assert episode.guid is None


def test_republishing_keeps_the_guid(editor, show):
    post_episode(editor, show)
    episode = PodcastEpisodePage.objects.child_of(show).get()
    guid = episode.guid

    data = form_data(editor, edit_url(episode))
    data.update(title="Folge 7: Neuer Titel", slug="neuer-titel")
    data["action-publish"] = "action-publish"
    assert editor.post(edit_url(episode), data).status_code == 302

    episode.refresh_from_db()
    assert episode.title == "Folge 7: Neuer Titel"
    assert episode.guid == guid


def test_srt_upload_is_converted_to_webvtt_and_stored(editor, show):
    upload = SimpleUploadedFile("folge-7.srt", SRT.encode(), content_type="application/x-subrip")
    response = post_episode(editor, show, files={"transcript_file": upload})

    assert response.status_code == 302
    episode = PodcastEpisodePage.objects.child_of(show).get()
    assert episode.transcript == (
        "WEBVTT\n"
        "\n1\n00:00:01.000 --> 00:00:03.500\nWillkommen beim Podcast.\n"
        "\n2\n00:00:04.000 --> 00:00:06.000\n<i>Heute:</i> Auftragsplanung.\n"
    )


def test_broken_webvtt_upload_names_the_line(editor, show):
    upload = SimpleUploadedFile("folge-7.vtt", BROKEN_VTT.encode(), content_type="text/vtt")
    response = post_episode(editor, show, files={"transcript_file": upload})

    errors = field_errors(response, "transcript_file")
    assert errors == ["Line 6: “00:00:04,000” is not a valid time; expected e.g. “00:01:02.345”."]
    assert not PodcastEpisodePage.objects.exists()


def test_broken_webvtt_typed_into_the_transcript_field_names_the_line(editor, show):
    response = post_episode(editor, show, transcript=BROKEN_VTT)

    assert field_errors(response, "transcript") == [
        "Line 6: “00:00:04,000” is not a valid time; expected e.g. “00:01:02.345”."
    ]


def test_transcript_longer_than_the_audio_is_refused(editor, show):
    late = "WEBVTT\n\n00:02:00.000 --> 00:02:10.000\nZu spät.\n"
    response = post_episode(editor, show, transcript=late)

    [error] = field_errors(response, "transcript")
    assert error.startswith("Line 3: ")
    assert "after the end of the recording" in error


def test_chapter_after_the_end_of_the_audio_is_refused(editor, show):
    response = post_episode(
        editor,
        show,
        chapters=[{"start": "0:00", "title": "Einstieg"}, {"start": "2:10", "title": "Zu spät"}],
    )

    assert chapter_errors(response) == [
        {},
        {"start": ["The episode is only 2:05 long; this chapter starts after its end."]},
    ]


def test_chapters_out_of_order_are_refused(editor, show):
    response = post_episode(
        editor,
        show,
        chapters=[
            {"start": "1:00", "title": "Zweiter Teil"},
            {"start": "0:30", "title": "Erster"},
        ],
    )

    assert chapter_errors(response) == [
        {},
        {"start": ["Chapters must be in order: each starts after the one above."]},
    ]


def test_serial_show_episode_without_numbers_is_refused(editor, home_pages):
    home, _english = home_pages
    serial = PodcastShowPageFactory(parent=home, slug="serie", show_type="serial")

    response = post_episode(editor, serial)

    message = "This podcast is serial: every episode needs a season and episode number."
    assert field_errors(response, "season_number") == [message]
    assert field_errors(response, "episode_number") == [message]

    response = post_episode(editor, serial, season_number="1", episode_number="1")
    assert response.status_code == 302


def test_episode_cannot_be_added_outside_a_show(editor, home_pages):
    home, _english = home_pages
    for parent in (home, Page.get_first_root_node()):
        response = editor.get(add_url(parent))
        assert response.status_code == 302, "the admin refuses with a message and a redirect"
        assert response.url == reverse("wagtailadmin_home")
    # Nor when the form is posted directly.
    editor.post(add_url(home), {"title": "Verirrte Folge", "slug": "verirrt"})
    assert not PodcastEpisodePage.objects.exists()


def test_show_can_be_added_under_the_home_page(editor, home_pages):
    home, _english = home_pages
    assert editor.get(add_url(home, PodcastShowPage)).status_code == 200
