"""An abandoned "new page" form leaves an autosaved draft behind (Wagtail's autosave creates
the page as soon as the editor types); its slug must not block the page the editor really
makes (issue 18)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from cms.videos.models import ExplainerVideoPage

from .conftest import GERMAN_CAPTIONS
from .test_admin_forms import add_url, post_video

CAPTIONS = [{"webvtt": GERMAN_CAPTIONS}]

pytestmark = pytest.mark.django_db


def test_an_abandoned_draft_gives_its_slug_to_the_page_made_after_it(
    editor, video_index, ready_video
):
    abandoned = post_video(editor, video_index, ready_video(), publish=False)
    assert abandoned.status_code == 302
    draft = ExplainerVideoPage.objects.get()

    made = post_video(
        editor, video_index, ready_video(), CAPTIONS, title="Was ist eine Cloud? (neu)"
    )

    assert made.status_code == 302, "the slug of the abandoned draft blocked the new page"
    page = ExplainerVideoPage.objects.get(title="Was ist eine Cloud? (neu)")
    assert page.slug == "was-ist-eine-cloud" and page.live
    draft.refresh_from_db()
    assert draft.slug == f"was-ist-eine-cloud-entwurf-{draft.pk}"
    assert draft.get_latest_revision_as_object().slug == draft.slug  # autosave keeps it
    assert draft.title == "Was ist eine Cloud?"  # nothing of its content lost
    shown = editor.get(made.url).content.decode()
    assert "Your unpublished draft “Was ist eine Cloud?” had this short URL" in shown


@pytest.mark.parametrize("case", ["published", "other editor"])
def test_a_published_page_or_someone_elses_draft_keeps_its_slug(
    editor, video_index, ready_video, case
):
    first = post_video(editor, video_index, ready_video(), CAPTIONS, publish=(case == "published"))
    assert first.status_code == 302
    existing = ExplainerVideoPage.objects.get()
    if case == "other editor":
        colleague = get_user_model().objects.create_user("kollegin", "k@example.org", "pw")
        ExplainerVideoPage.objects.filter(pk=existing.pk).update(owner=colleague)

    second = post_video(editor, video_index, ready_video(), CAPTIONS, title="Zweite Cloud")

    assert second.status_code == 200
    assert "slug" in second.context["form"].errors
    existing.refresh_from_db()
    assert existing.slug == "was-ist-eine-cloud"


def test_the_add_form_still_works_without_a_clash(editor, video_index):
    assert editor.get(add_url(video_index)).status_code == 200
    assert reverse("wagtailadmin_home")
