"""Captions and publishing rules as editors meet them, posted to the real Wagtail admin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from cms.videos.models import ExplainerVideoPage
from tests.cms.admin_forms import form_data

from .conftest import GERMAN_CAPTIONS

pytestmark = pytest.mark.django_db

SRT = """1
00:00:00,000 --> 00:00:01,000
Was ist eine Cloud?

2
00:00:01,000 --> 00:00:02,000
<i>Kurz:</i> Daten & Programme im Netz.
"""

BROKEN = """WEBVTT

00:00:00.000 --> 00:00:01.000
Was ist eine Cloud?

00:00:01,000 --> 00:00:02.000
Das Komma stammt aus einer SRT-Datei.
"""

OVERLAPPING = """WEBVTT

00:00:00.000 --> 00:00:01.500
Was ist eine Cloud?

00:00:01.000 --> 00:00:02.000
Überlappt den ersten Untertitel.
"""


def add_url(parent) -> str:
    return reverse("wagtailadmin_pages:add", args=("videos", "explainervideopage", parent.pk))


def post_video(client, index, media, tracks=(), files=None, publish=True, **fields):
    url = add_url(index)
    data = form_data(client, url)
    data.update(
        {
            "title": "Was ist eine Cloud?",
            "slug": "was-ist-eine-cloud",
            "summary": "Die Cloud in zwei Sekunden erklärt.",
            "video": media.pk,
        }
    )
    rows = [{"kind": "captions", "language": "de", "webvtt": "", **row} for row in tracks]
    data.update(nested_form_data({"text_tracks": inline_formset(rows)}))
    data.update(fields)
    if publish:
        data["action-publish"] = "action-publish"
    return client.post(url, {**data, **(files or {})})


def upload(name, text):
    return SimpleUploadedFile(name, text.encode(), content_type="text/plain")


def track_errors(response) -> list[dict]:
    assert response.status_code == 200, "the form was accepted"
    forms = response.context["form"].formsets["text_tracks"].forms
    with translation.override("en"):
        return [
            {field: [str(e) for e in errors] for field, errors in form.errors.items()}
            for form in forms
        ]


def page_errors(response) -> list[str]:
    assert response.status_code == 200, "the form was accepted"
    with translation.override("en"):
        return [str(e) for e in response.context["form"].non_field_errors()]


def test_video_with_german_captions_is_published(editor, video_index, ready_video):
    response = post_video(
        editor,
        video_index,
        ready_video(),
        tracks=[{}],
        files={"text_tracks-0-upload": upload("cloud.vtt", GERMAN_CAPTIONS)},
    )

    assert response.status_code == 302
    page = ExplainerVideoPage.objects.child_of(video_index).get()
    assert page.live
    assert page.guid is not None
    (track,) = page.text_tracks.all()
    assert (track.kind, track.language) == ("captions", "de")
    assert track.webvtt.startswith("WEBVTT\n")
    assert "Die Cloud speichert Daten im Rechenzentrum." in track.webvtt
    # The transcript was left empty, so it is made from the captions, by speaker.
    assert page.transcript == (
        "Anna Schmidt: Was ist eine Cloud? Die Cloud speichert Daten im Rechenzentrum."
    )
    assert editor.get(page.url).status_code == 200


def test_an_edited_transcript_is_kept(editor, video_index, ready_video):
    response = post_video(
        editor,
        video_index,
        ready_video(),
        tracks=[{"webvtt": GERMAN_CAPTIONS}],
        transcript="Unser eigener Text.",
    )

    assert response.status_code == 302
    assert ExplainerVideoPage.objects.get().transcript == "Unser eigener Text."


def test_srt_upload_is_converted_to_webvtt(editor, video_index, ready_video):
    response = post_video(
        editor,
        video_index,
        ready_video(),
        tracks=[{}],
        files={"text_tracks-0-upload": upload("cloud.srt", SRT)},
    )

    assert response.status_code == 302
    track = ExplainerVideoPage.objects.get().text_tracks.get()
    assert track.webvtt == (
        "WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.000\nWas ist eine Cloud?\n\n"
        "2\n00:00:01.000 --> 00:00:02.000\n<i>Kurz:</i> Daten &amp; Programme im Netz.\n"
    )


def test_broken_timestamp_is_refused_with_its_line_number(editor, video_index, ready_video):
    response = post_video(
        editor,
        video_index,
        ready_video(),
        tracks=[{}],
        files={"text_tracks-0-upload": upload("cloud.vtt", BROKEN)},
    )

    assert track_errors(response)[0]["upload"] == [
        "Line 6: “00:00:01,000” is not a valid time; expected e.g. “00:01:02.345”."
    ]
    assert not ExplainerVideoPage.objects.exists()


def test_overlapping_captions_are_refused_with_their_line(editor, video_index, ready_video):
    response = post_video(
        editor,
        video_index,
        ready_video(),
        tracks=[{}],
        files={"text_tracks-0-upload": upload("cloud.vtt", OVERLAPPING)},
    )

    assert track_errors(response)[0]["upload"] == [
        "Line 6: this caption starts at 00:00:01.000, before the previous one ends "
        "(00:00:01.500); captions must not overlap."
    ]


def test_captions_longer_than_the_video_are_refused(editor, video_index, ready_video):
    long_captions = GERMAN_CAPTIONS + "\n00:00:02.000 --> 00:00:09.000\nZu lang.\n"

    response = post_video(editor, video_index, ready_video(), tracks=[{"webvtt": long_captions}])

    (message,) = track_errors(response)[0]["webvtt"]
    assert message.startswith("Line 9: the cue ends at 00:00:09.000, after the end")


# What the editor (whose admin speaks English) reads after publishing a video without German
# captions: in their language, though messages are stored after the admin's language ends.
NOT_PUBLISHED = "Saved as a draft, not published"


def test_publishing_without_german_captions_saves_a_draft_and_says_why(
    editor, video_index, ready_video
):
    """Wagtail's autosave keeps a refused form's content as a draft anyway: the editor is told
    the truth (saved, not published, and why) instead of "could not be saved" under a header
    that says "Saved"."""
    response = post_video(
        editor,
        video_index,
        ready_video(),
        tracks=[{"language": "en"}],
        files={"text_tracks-0-upload": upload("cloud.vtt", GERMAN_CAPTIONS)},
    )

    assert response.status_code == 302
    page = ExplainerVideoPage.objects.get()
    assert not page.live and page.has_unpublished_changes
    assert page.text_tracks.get().language == "en"
    shown = editor.get(response.url).content.decode()
    assert NOT_PUBLISHED in shown
    assert "could not be" not in shown and "Als Entwurf" not in shown


def test_a_german_audio_description_alone_does_not_count_as_captions(
    editor, video_index, ready_video
):
    response = post_video(
        editor,
        video_index,
        ready_video(),
        tracks=[{"kind": "descriptions", "webvtt": GERMAN_CAPTIONS}],
    )

    assert response.status_code == 302
    assert not ExplainerVideoPage.objects.get().live


def test_submitting_for_moderation_without_german_captions_saves_a_draft(
    editor, video_index, ready_video
):
    # An approval publishes what was submitted, so the rule applies on submitting already.
    response = post_video(
        editor, video_index, ready_video(), publish=False, **{"action-submit": "1"}
    )

    assert response.status_code == 302
    page = ExplainerVideoPage.objects.get()
    assert not page.live
    assert page.current_workflow_state is None  # not submitted


def test_publishing_an_edit_that_deletes_the_german_captions_keeps_the_live_version(
    editor, publish_video
):
    page = publish_video()
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    data = form_data(editor, url)
    data.update({"text_tracks-0-DELETE": "1", "title": "Ohne Untertitel"})

    response = editor.post(url, {**data, "action-publish": "action-publish"}, follow=True)

    assert response.status_code == 200
    page.refresh_from_db()
    assert page.live and page.title != "Ohne Untertitel"  # the live version is untouched
    assert page.has_unpublished_changes  # the edit is kept as a draft
    assert page.text_tracks.filter(language="de", kind="captions").exists()
    assert NOT_PUBLISHED in response.content.decode()


def test_broken_german_captions_still_refuse_the_form(editor, video_index, ready_video):
    response = post_video(editor, video_index, ready_video(), tracks=[{"webvtt": BROKEN}])

    assert response.status_code == 200
    assert any(track_errors(response))
    assert not ExplainerVideoPage.objects.exists()


def bulk_publish(client, *pages, include_descendants=False):
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    query = "&".join(f"id={page.pk}" for page in pages)
    data = {"include_descendants": "on"} if include_descendants else {}
    return client.post(f"{url}?{query}&next=/admin/pages/", data, follow=True)


def draft_video(video_index, ready_video, tracks=(), **fields):
    page = video_index.add_child(
        instance=ExplainerVideoPage(
            title=fields.get("title", "Was ist eine Cloud?"),
            slug=fields.get("slug", "was-ist-eine-cloud"),
            summary="Die Cloud in zwei Sekunden erklärt.",
            video=ready_video(),
            locale=video_index.locale,
            live=False,
            text_tracks=list(tracks),
        )
    )
    page.save_revision()
    return page


def test_bulk_publishing_refuses_videos_without_german_captions(editor, video_index, ready_video):
    from cms.videos.models import VideoTextTrack

    lacking = draft_video(video_index, ready_video)
    captioned = draft_video(
        video_index,
        ready_video,
        tracks=[VideoTextTrack(language="de", webvtt=GERMAN_CAPTIONS)],
        title="Was ist ein ERP?",
        slug="erp",
    )

    response = bulk_publish(editor, lacking, captioned)

    html = response.content.decode()
    assert "Not published: Was ist eine Cloud?." in html and "German captions" in html
    # Nothing of the batch is published, so the editor can fix it and repeat it.
    assert not ExplainerVideoPage.objects.filter(live=True).exists()

    assert bulk_publish(editor, captioned).status_code == 200
    assert ExplainerVideoPage.objects.get(pk=captioned.pk).live


def test_bulk_publishing_a_parent_with_draft_descendants_checks_them_too(
    editor, video_index, ready_video
):
    lacking = draft_video(video_index, ready_video)
    video_index.save_revision()

    response = bulk_publish(editor, video_index, include_descendants=True)

    assert "Not published: Was ist eine Cloud?." in response.content.decode()
    assert not ExplainerVideoPage.objects.get(pk=lacking.pk).live


def test_a_draft_without_captions_can_be_saved(editor, video_index, ready_video):
    response = post_video(editor, video_index, ready_video(), publish=False)

    assert response.status_code == 302
    page = ExplainerVideoPage.objects.get()
    assert not page.live


def test_the_same_language_twice_is_refused(editor, video_index, ready_video):
    response = post_video(
        editor,
        video_index,
        ready_video(),
        tracks=[{"webvtt": GERMAN_CAPTIONS}, {"webvtt": GERMAN_CAPTIONS}],
    )

    assert track_errors(response)[1]["language"] == [
        "There is already a track of this kind in this language."
    ]


def test_the_video_field_uses_the_chooser_limited_to_videos(editor, video_index):
    html = editor.get(add_url(video_index)).content.decode()

    assert reverse("video_chooser:choose") in html
    assert reverse("media_chooser:choose") not in html


def test_key_terms_list_their_linked_videos_in_the_admin(editor, glossary, publish_video):
    from cms.videos.models import GlossaryTerm

    page = publish_video()
    page.glossary_terms.add(GlossaryTerm.objects.get(slug="cloud"))
    page.save()

    response = editor.get(reverse("wagtailsnippets_videos_glossaryterm:list"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Ärztesoftware" in content
    assert "Was ist eine Cloud?" in content


def test_video_podcast_cover_must_be_square(editor, video_index):
    from factory.django import ImageField

    from tests.cms.factories import ImageFactory

    url = reverse("wagtailadmin_pages:edit", args=(video_index.pk,))
    data = form_data(editor, url)
    data["artwork"] = ImageFactory(file=ImageField(width=1600, height=1400)).pk

    response = editor.post(url, data)

    assert response.status_code == 200
    with translation.override("en"):
        assert [str(e) for e in response.context["form"].errors["artwork"]] == [
            "The cover art must be square; this image is 1600 × 1400 pixels."
        ]


def test_editing_a_published_video_replaces_its_captions_on_publish(editor, publish_video):
    page = publish_video()
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    data = form_data(editor, url)
    assert data["text_tracks-TOTAL_FORMS"] == ["1"]
    corrected = GERMAN_CAPTIONS.replace("Rechenzentrum", "Rechenzentrum des Anbieters")

    draft = editor.post(url, {**data, "text_tracks-0-webvtt": corrected})

    assert draft.status_code == 302
    track_url = page.text_tracks.get().get_url()
    assert b"des Anbieters" not in b"".join(editor.get(track_url))  # only a draft so far

    published = editor.post(
        url, {**data, "text_tracks-0-webvtt": corrected, "action-publish": "action-publish"}
    )

    assert published.status_code == 302
    assert b"Rechenzentrum des Anbieters" in b"".join(editor.get(track_url))


def test_preview_shows_the_drafts_captions(editor, publish_video):
    import base64
    import re

    page = publish_video()
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    data = form_data(editor, url)
    corrected = GERMAN_CAPTIONS.replace("Rechenzentrum", "Rechenzentrum des Anbieters")
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=(page.pk,))

    assert editor.post(preview_url, {**data, "text_tracks-0-webvtt": corrected}).json()["is_valid"]
    html = editor.get(preview_url).content.decode()

    (src,) = re.findall(r'<track[^>]* src="data:text/vtt;base64,([^"]+)"', html)
    assert "Rechenzentrum des Anbieters" in base64.b64decode(src).decode()
