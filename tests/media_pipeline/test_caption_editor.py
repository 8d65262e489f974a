"""The caption editor's server side: checking submitted cues, import and export, the words
the model was unsure of, and the admin view (without JavaScript and with the script's JSON).

The browser side (keyboard, player, split/merge in the page) is tests/e2e/test_caption_editor.py.
"""

from __future__ import annotations

import html
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from media_pipeline import caption_editor
from media_pipeline.subtitles import Cue, load_text_track
from tests.cms.podcasts.conftest import publish_episode, show  # noqa: F401 - fixtures
from tests.cms.videos.conftest import (  # noqa: F401 - fixtures
    publish_video,
    ready_video,
    video_files,
    video_index,
)
from tests.media_pipeline.factories import make_speech_draft

DRAFT = """WEBVTT

NOTE automatisch erstellt – ungeprüft

00:00:00.500 --> 00:00:02.500
Willkommen beim Podcast Smarter Mädels Tant.

00:00:03.000 --> 00:00:05.000
Heute geht es um Kunden in diesem.

00:00:05.500 --> 00:00:08.000
Das Zentrum hilft kleinen Betrieben.
"""
TRANSCRIPT = {
    "version": "1.0.0",
    "language": "de",
    "segments": [
        {
            "startTime": 0.5,
            "endTime": 5.0,
            "body": "…",
            "words": [
                {"startTime": 0.5, "endTime": 1.0, "body": "Willkommen", "probability": 0.95},
                {"startTime": 1.8, "endTime": 2.1, "body": "Mädels", "probability": 0.31},
                {"startTime": 2.1, "endTime": 2.5, "body": "Tant.", "probability": 0.22},
                {"startTime": 3.9, "endTime": 4.3, "body": "Kunden", "probability": 0.9},
                {"startTime": 4.3, "endTime": 4.9, "body": "diesem.", "probability": 0.4},
            ],
        }
    ],
}
SRT = """1
00:00:00,500 --> 00:00:02,500
Willkommen beim Podcast <i>Smarter Mittelstand</i>.

2
00:00:03,000 --> 00:00:05,000
Heute: Kundenservice & Handwerk.
"""


def submission(*cues):
    return json.dumps([{"start": s, "end": e, "text": t} for s, e, t in cues])


# --- checking submitted cues ---------------------------------------------------------------
def test_valid_cues_are_read_and_blank_lines_inside_a_cue_removed():
    cues = caption_editor.cues_from_submission(
        submission(
            ("00:00:01.000", "00:00:02.5", "Eins\n\n zwei "), ("0:03.000", "0:04,000", "Drei")
        ),
        duration=10,
    )
    assert cues == [Cue(1.0, 2.5, "Eins\nzwei"), Cue(3.0, 4.0, "Drei")]


def test_every_problem_of_the_cues_is_named_by_cue_in_german():
    raw = submission(
        ("00:00:01.000", "00:00:00.500", "Endet vor dem Anfang"),
        ("00:00:00.200", "00:00:01.000", "Vor dem Cue davor"),
        ("00:00:02.000", "eine Zeit", "Keine Zeit"),
        ("00:00:03.000", "00:00:04.000", "   "),
        ("00:00:05.000", "00:00:06.000", "Pfeil --> im Text"),
        ("00:00:07.000", "00:00:12.000", "Nach dem Ende"),
    )
    with translation.override("de"), pytest.raises(caption_editor.CuesInvalid) as caught:
        caption_editor.cues_from_submission(raw, duration=10)
    problems = [(error.index, error.field, str(error)) for error in caught.value.errors]
    assert problems == [
        (
            0,
            "end",
            "Untertitel 1: Er muss nach seinem Beginn enden (00:00:01.000 → 00:00:00.500).",
        ),
        (
            1,
            "start",
            "Untertitel 2: Er beginnt bei 00:00:00.200, vor dem Untertitel darüber "
            "(00:00:01.000); Untertitel müssen nach ihrer Anfangszeit geordnet sein.",
        ),
        (2, "end", "Untertitel 3: „eine Zeit“ ist keine Zeit wie 00:01:02.345."),
        (3, "text", "Untertitel 4: Der Untertitel hat keinen Text."),
        (4, "text", "Untertitel 5: Der Text darf kein „-->“ enthalten."),
        (
            5,
            "end",
            "Untertitel 6: Er endet bei 00:00:12.000, nach dem Ende der Aufnahme (00:00:10.000).",
        ),
    ]


@pytest.mark.parametrize("raw", ["", "not json", "{}", "[1, 2]", '[{"start": 1}]', "[]"])
def test_a_broken_or_empty_submission_is_one_clear_error(raw):
    with pytest.raises(caption_editor.CuesInvalid) as caught:
        caption_editor.cues_from_submission(raw, duration=None)
    assert len(caught.value.errors) == 1 and caught.value.errors[0].index is None


# --- import and export ---------------------------------------------------------------------
def read_with_webvtt_py(text: str, suffix: str, tmp_path):
    webvtt = pytest.importorskip("webvtt", reason="the asr dependency group is not installed")
    path = tmp_path / f"track{suffix}"
    path.write_text(text, encoding="utf-8")
    captions = webvtt.read(str(path)) if suffix == ".vtt" else webvtt.from_srt(str(path))
    # Entities decoded: WebVTT keeps "&amp;" in the payload, SRT writes "&".
    return [(c.start, c.end, html.unescape(c.text)) for c in captions]


def test_srt_imported_and_exported_as_webvtt_and_srt_keeps_times_and_text(tmp_path):
    cues = load_text_track(SRT.encode("cp1252")).cues
    vtt = caption_editor.build_webvtt(cues)
    srt = caption_editor.build_srt(cues)

    # A kept library reads both exports alike: times and words survive.
    expected = [
        ("00:00:00.500", "00:00:02.500", "Willkommen beim Podcast Smarter Mittelstand."),
        ("00:00:03.000", "00:00:05.000", "Heute: Kundenservice & Handwerk."),
    ]
    for text, suffix in ((vtt, ".vtt"), (srt, ".srt")):
        read = read_with_webvtt_py(text, suffix, tmp_path)
        assert [(s, e, t.replace("<i>", "").replace("</i>", "")) for s, e, t in read] == expected
    # And our own import of either export gives the same cues back.
    assert load_text_track(vtt.encode()).cues == cues
    assert [(c.start, c.end, c.text) for c in load_text_track(srt.encode()).cues] == [
        (c.start, c.end, c.text) for c in cues
    ]


def test_srt_export_writes_voices_as_names_and_plain_text():
    srt = caption_editor.build_srt([Cue(1, 2, "<v Anna Schmidt>Hallo &amp; <b>willkommen</b>")])
    assert srt == "1\n00:00:01,000 --> 00:00:02,000\nAnna Schmidt: Hallo & <b>willkommen</b>\n"


# --- unsure words ----------------------------------------------------------------------------
def test_words_below_the_probability_threshold_are_found_in_their_cue():
    cues = load_text_track(DRAFT.encode()).cues
    unsure = caption_editor.unsure_words(json.dumps(TRANSCRIPT), cues)
    assert unsure == [["Mädels", "Tant"], ["diesem"], []]
    assert caption_editor.unsure_words("kaputt", cues) == [[], [], []]


# --- the admin view ---------------------------------------------------------------------------
@pytest.fixture
def episode_with_draft(publish_episode):  # noqa: F811 - the fixture imported above
    episode = publish_episode(transcript="")
    make_speech_draft(episode.audio, DRAFT, TRANSCRIPT)
    return episode


def editor_url(episode):
    return reverse("media:caption_editor", args=(episode.audio.pk,))


def editor_data(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="caption-editor-data" type="application/json">')
    body = html[start:].split(">", 1)[1].split("</script>", 1)[0]
    return json.loads(body)


@pytest.mark.django_db
def test_the_editor_offers_the_draft_cues_with_unsure_words_and_its_own_script(
    admin_client, episode_with_draft
):
    response = admin_client.get(editor_url(episode_with_draft))
    assert response.status_code == 200
    html = response.content.decode()
    assert "media_pipeline/caption-editor.js" in html and "onclick" not in html
    assert "automatisch erstellt – ungeprüft" in html
    data = editor_data(response)
    assert [cue["start"] for cue in data["cues"]] == [
        "00:00:00.500",
        "00:00:03.000",
        "00:00:05.500",
    ]
    assert data["cues"][0]["unsure"] == ["Mädels", "Tant"]
    assert data["strings"]["split"] == "Am Cursor teilen"
    assert '<audio controls preload="metadata"' in html  # the episode's AAC rendition


@pytest.mark.django_db
def test_bad_cues_are_refused_at_the_cue_and_nothing_is_saved(admin_client, episode_with_draft):
    episode = episode_with_draft
    revisions = episode.revisions.count()
    raw = submission(("00:00:03.000", "00:00:02.000", "Rückwärts"))
    response = admin_client.post(editor_url(episode), {"cues": raw, "page": episode.pk})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    data = editor_data(response)
    assert data["errors"][0]["index"] == 0 and data["errors"][0]["field"] == "end"
    assert data["cues"][0]["text"] == "Rückwärts"  # the editor keeps what was typed
    assert episode.revisions.count() == revisions


@pytest.mark.django_db
def test_edited_cues_marked_as_reviewed_become_a_new_revision(admin_client, episode_with_draft):
    episode = episode_with_draft
    revisions = episode.revisions.count()
    raw = submission(
        ("00:00:00.500", "00:00:02.500", "Willkommen beim Podcast Smarter Mittelstand."),
        ("00:00:03.000", "00:00:05.000", "Heute geht es um Kundenservice."),
    )
    response = admin_client.post(
        editor_url(episode), {"cues": raw, "page": episode.pk, "action": "review"}
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.revisions.count() == revisions + 1
    assert "Smarter Mittelstand." in episode.transcript
    assert "Kunden in diesem" not in episode.transcript

    # Existing captions are edited the same way, from the page.
    again = admin_client.get(editor_url(episode) + f"?source=page-{episode.pk}")
    assert editor_data(again)["cues"][1]["text"] == "Heute geht es um Kundenservice."


@pytest.mark.django_db
def test_a_bad_file_is_refused_with_a_clear_message_and_a_good_one_imported(
    admin_client, episode_with_draft
):
    url = editor_url(episode_with_draft)
    raw = submission(("00:00:01.000", "00:00:02.000", "Bleibt"))
    bad = SimpleUploadedFile("kaputt.srt", b"1\n00:00:01,000 --> gestern\nHallo\n")
    response = admin_client.post(url, {"cues": raw, "action": "import", "track_file": bad})
    assert response.status_code == 200
    html = response.content.decode()
    assert "„kaputt.srt“ konnte nicht importiert werden" in html
    assert "Zeile 2" in html
    assert editor_data(response)["cues"][0]["text"] == "Bleibt"

    binary = SimpleUploadedFile("bild.vtt", bytes(range(256)))
    assert admin_client.post(url, {"action": "import", "track_file": binary}).status_code == 200

    good = SimpleUploadedFile("folge.srt", SRT.encode("utf-8"))
    response = admin_client.post(url, {"cues": raw, "action": "import", "track_file": good})
    assert response.status_code == 200
    cues = editor_data(response)["cues"]
    assert [cue["text"] for cue in cues] == [
        "Willkommen beim Podcast <i>Smarter Mittelstand</i>.",
        "Heute: Kundenservice &amp; Handwerk.",
    ]


@pytest.mark.django_db
def test_the_edited_cues_are_exported_as_srt_and_webvtt(
    admin_client, episode_with_draft, tmp_path
):
    url = editor_url(episode_with_draft)
    raw = submission(
        ("00:00:01.000", "00:00:02.000", "Erster"), ("00:00:02.000", "00:00:03.5", "Zweiter")
    )
    srt = admin_client.post(url, {"cues": raw, "action": "export-srt"})
    assert srt["Content-Type"] == "application/x-subrip; charset=utf-8"
    assert srt["Content-Disposition"].startswith("attachment;")
    assert read_with_webvtt_py(srt.content.decode(), ".srt", tmp_path) == [
        ("00:00:01.000", "00:00:02.000", "Erster"),
        ("00:00:02.000", "00:00:03.500", "Zweiter"),
    ]
    # Without the script: the WebVTT text is what is exported.
    vtt = admin_client.post(url, {"webvtt": DRAFT, "action": "export-vtt"})
    assert vtt["Content-Type"] == "text/vtt; charset=utf-8"
    assert len(read_with_webvtt_py(vtt.content.decode(), ".vtt", tmp_path)) == 3


@pytest.mark.django_db
def test_a_videos_existing_captions_are_edited_without_any_draft(
    admin_client,
    publish_video,  # noqa: F811 - the fixture imported above
):
    page = publish_video()
    url = reverse("media:caption_editor", args=(page.video.pk,))
    response = admin_client.get(url)
    html = response.content.decode()
    assert "Untertitel bearbeiten" in html and "ungeprüft" not in html
    assert '<video controls preload="metadata"' in html  # the 360p rung
    cues = editor_data(response)["cues"]
    assert cues[0]["text"] == "<v Anna Schmidt>Was ist eine Cloud?"

    revisions = page.revisions.count()
    raw = submission(
        ("00:00:00.000", "00:00:01.000", "<v Anna Schmidt>Was ist die Cloud?"),
        ("00:00:01.000", "00:00:02.000", cues[1]["text"]),
    )
    assert admin_client.post(url, {"cues": raw, "page": page.pk}).status_code == 302
    page.refresh_from_db()
    assert page.revisions.count() == revisions + 1
    assert "Was ist die Cloud?" in page.text_tracks.get(language="de").webvtt


@pytest.mark.django_db
def test_without_the_script_broken_webvtt_is_shown_again_as_text_with_its_line(
    admin_client, episode_with_draft
):
    broken = DRAFT.replace("00:00:03.000 --> 00:00:05.000", "00:00:03.000 --> fünf")
    response = admin_client.post(
        editor_url(episode_with_draft), {"webvtt": broken, "page": episode_with_draft.pk}
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in html
    assert "Zeile 8" in html and "fünf" in html
    # The script leaves the text field (no empty list of cues instead of the text).
    assert editor_data(response)["text_only"] is True


@pytest.mark.django_db
def test_an_editor_without_permission_on_media_sees_no_draft(
    client, django_user_model, episode_with_draft
):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("gast", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.get(editor_url(episode_with_draft))
    assert response.status_code in {302, 403}
    assert b"Smarter M" not in response.content


# --- drafts in the editors' search, never in the public one -------------------------------------
def media_listing(client, query):
    return client.get(reverse("media:index"), {"q": query}, HTTP_ACCEPT_LANGUAGE="de")


def draft_matches(html: str) -> list[str]:
    """The text of the listing's “found in the draft” cells, whitespace folded."""
    cells = re.findall(r'<td class="media-draft-match">(.*?)</td>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]


@pytest.mark.django_db
def test_an_editor_finds_the_file_by_words_only_its_draft_has_labelled_as_unreviewed(
    admin_client, episode_with_draft
):
    audio = episode_with_draft.audio
    audio.title = "Folge 12 Rohschnitt"
    audio.save()

    found = media_listing(admin_client, "kleinen Betrieben").content.decode()
    assert "Folge 12 Rohschnitt" in found
    # Labelled, with the words around what was found.
    [match] = draft_matches(found)
    assert match.startswith("automatisch erstellt – ungeprüft")
    assert "Das Zentrum hilft kleinen Betrieben." in match
    # Every word must occur; the title still finds the file, without a draft label.
    missing = media_listing(admin_client, "kleinen Banken").content.decode()
    assert "Folge 12 Rohschnitt" not in missing
    by_title = media_listing(admin_client, "Rohschnitt").content.decode()
    assert "Folge 12 Rohschnitt" in by_title
    assert draft_matches(by_title) == [""]


@pytest.mark.django_db
def test_a_long_draft_shows_only_the_words_around_the_match():
    from media_pipeline.drafts import draft_excerpts
    from tests.media_pipeline.factories import MediaFileFactory

    filler = "Wir sprechen über die Straße vor dem Betrieb. " * 20
    webvtt = f"WEBVTT\n\n00:00:01.000 --> 00:00:05.000\n{filler}Die Großstadt zählt. {filler}\n"
    media_file = MediaFileFactory()
    make_speech_draft(media_file, webvtt)

    excerpt = draft_excerpts([media_file.pk], "großstadt Zählt")[media_file.pk]
    assert excerpt.startswith("…") and excerpt.endswith("…")
    assert "Die Großstadt zählt." in excerpt
    assert len(excerpt) < 200
    assert draft_excerpts([media_file.pk], "Großstadt Dorf") == {}


@pytest.mark.django_db
def test_the_public_search_finds_the_words_of_a_draft_only_after_review(
    client, admin_client, episode_with_draft, django_capture_on_commit_callbacks
):
    from cms.search.indexing import index_page
    from media_pipeline import drafts

    episode = episode_with_draft
    index_page(episode)
    public = client.get("/de/suche/", {"q": "kleinen Betrieben"})
    assert public.status_code == 200
    assert episode.title not in public.content.decode()
    assert "Das Zentrum hilft" not in public.content.decode()  # the query is echoed, no hit

    with django_capture_on_commit_callbacks(execute=True):  # the index follows the publish
        drafts.mark_reviewed(episode)
    reviewed = client.get("/de/suche/", {"q": "kleinen Betrieben"}).content.decode()
    assert episode.title in reviewed
    assert "Das Zentrum hilft <mark>kleinen</mark> <mark>Betrieben</mark>." in reviewed
    # The draft stays the editors' to find.
    assert episode.audio.title in media_listing(admin_client, "kleinen Betrieben").content.decode()


@pytest.mark.django_db
def test_a_long_passage_pasted_into_the_search_still_gets_an_answer(
    admin_client, episode_with_draft
):
    """An editor pastes a long stretch of captions: the listing answers (a condition per word
    made SQLite's expression tree too deep, a server error) and still finds the file."""
    title = episode_with_draft.audio.title
    passage = "Das Zentrum hilft kleinen Betrieben. " * 300
    response = media_listing(admin_client, passage)
    assert response.status_code == 200
    assert title in response.content.decode()
    # Many different words, some not in the draft: an answer, and no file for them.
    unknown = " ".join(f"Wort{number}" for number in range(1200))
    response = media_listing(admin_client, f"kleinen Betrieben {unknown}")
    assert response.status_code == 200
    assert title not in response.content.decode()


@pytest.mark.django_db
def test_the_drafts_words_are_searched_only_for_whoever_may_open_the_draft(
    client, django_user_model, episode_with_draft
):
    """The caption editor shows a draft only to holders of "change" on media; the listing's
    search must not show its words to someone who may only upload (or view) files."""
    from django.contrib.auth.models import Group, Permission

    audio = episode_with_draft.audio
    audio.title = "Folge 12 Rohschnitt"
    audio.save()
    uploaders = Group.objects.create(name="Hochladen")
    uploaders.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="add_mediafile"),
        Permission.objects.get(codename="view_mediafile"),
    )
    user = django_user_model.objects.create_user("hochladen", password="pw")
    user.groups.add(uploaders)
    client.force_login(user)
    assert client.get(editor_url(episode_with_draft)).status_code in {302, 403}

    found = media_listing(client, "kleinen Betrieben")
    assert found.status_code == 200
    assert "Folge 12 Rohschnitt" not in found.content.decode()
    assert "Das Zentrum hilft" not in found.content.decode()
    assert "Folge 12 Rohschnitt" in media_listing(client, "Rohschnitt").content.decode()

    user.user_permissions.add(Permission.objects.get(codename="change_mediafile"))
    user = django_user_model.objects.get(pk=user.pk)  # permissions are cached on the object
    client.force_login(user)
    found = media_listing(client, "kleinen Betrieben").content.decode()
    assert "Folge 12 Rohschnitt" in found and "Das Zentrum hilft" in found
