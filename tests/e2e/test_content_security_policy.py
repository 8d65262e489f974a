"""The Content-Security-Policy is strict on the public site and still nothing on it breaks.

Chromium reports every blocked script, style, image, media file or frame on the console;
a page that needs something the policy forbids fails here (the ``violations`` fixture). The
demo's public pages and the admin's page editor are walked under the policy in test_site.py,
which loads the demo content once for both.
"""

import pytest

from tests.e2e.test_explainer_video import real_video, video_page, wait_until_playing  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_real_video_plays_with_captions_and_keeps_its_shape(page, video_page, violations):  # noqa: F811
    page.goto(video_page.url)
    wait_until_playing(page)
    page.wait_for_function(
        "() => document.querySelector('video').textTracks[0].mode === 'showing'"
    )

    video = page.locator("[data-video-player] video")
    box = video.bounding_box()
    width, height = (int(video.get_attribute(name)) for name in ("width", "height"))
    # The box keeps the video's shape without any inline style.
    assert abs(box["width"] / box["height"] - width / height) < 0.02
    assert violations == []
