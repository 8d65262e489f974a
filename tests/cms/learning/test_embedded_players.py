"""A learning step shows the player of an embedded explainer video only to who may see the
video: the player names the renditions' storage URLs (on S3, public under their names)."""

import pytest
from django.core.files.base import ContentFile
from wagtail.models import PageViewRestriction

from cms.videos.models import ExplainerVideoIndexPage, ExplainerVideoPage
from cms.videos.renditions import VIDEO_LADDER_SPECS
from media_pipeline.models import MediaKind, RenditionStatus
from tests.media_pipeline.factories import MediaFileFactory, MediaRenditionFactory

from .factories import make_unit, step

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit_with_video(catalogue, levels, home_pages):
    home = home_pages[0]
    index = home.add_child(
        instance=ExplainerVideoIndexPage(
            title="Kurz erklärt", slug="kurz-erklaert", intro="Kurz.", locale=home.locale,
            owner_name="Zentrum", owner_email="video@example.org", author="Zentrum",
        )
    )  # fmt: skip
    index.save_revision().publish()
    media = MediaFileFactory(kind=MediaKind.VIDEO, width=640, height=360)
    rung = MediaRenditionFactory(
        media_file=media,
        spec=VIDEO_LADDER_SPECS[360],
        status=RenditionStatus.READY,
        file=ContentFile(b"mp4-bytes", name="erklaert-360.mp4"),
        mime_type="video/mp4",
        width=640,
        height=360,
    )
    video = index.add_child(
        instance=ExplainerVideoPage(
            title="Was ist eine Cloud?", slug="cloud", summary="Die Cloud erklärt.",
            locale=index.locale, video=media, live=False,
        )
    )  # fmt: skip
    video.save_revision().publish()
    content = [{"type": "video", "value": video.pk}]
    unit = make_unit(catalogue, [step("Ansehen", content)], level_min=levels[0])
    return unit, video, rung.file.url


def _step_page(client, unit) -> str:
    response = client.get(unit.step_url(unit.step_list[0].id))
    assert response.status_code == 200
    return response.content.decode()


def test_public_video_player_is_shown_in_the_step(client, unit_with_video):
    unit, _video, mp4_url = unit_with_video

    assert mp4_url in _step_page(client, unit)


def test_player_of_a_login_restricted_video_is_not_handed_to_anonymous_learners(
    client, unit_with_video, django_user_model
):
    unit, video, mp4_url = unit_with_video
    PageViewRestriction.objects.create(page=video, restriction_type=PageViewRestriction.LOGIN)

    assert mp4_url not in _step_page(client, unit)

    client.force_login(django_user_model.objects.create_user("lernende", password="x"))
    assert mp4_url in _step_page(client, unit)
