from pathlib import Path

import pytest
from django.test import RequestFactory

from cms.core.media_serving import parse_range, serve_local_file, serve_media

PAYLOAD = bytes(range(256)) * 40  # 10,240 bytes


@pytest.fixture(autouse=True)
def _serve_media_locally(settings):
    settings.SERVE_MEDIA = True


@pytest.fixture
def media_file(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "episodes").mkdir()
    path = tmp_path / "episodes" / "folge-1.mp3"
    path.write_bytes(PAYLOAD)
    return "episodes/folge-1.mp3"


def _body(response):
    return b"".join(response.streaming_content)


def _get(path, method="get", **headers):
    from django.conf import settings

    request = getattr(RequestFactory(), method)(f"/media/{path}", headers=headers)
    return serve_local_file(request, Path(settings.MEDIA_ROOT) / path)


def test_full_file_with_content_type_and_accept_ranges(media_file):
    response = _get(media_file)
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/mpeg"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(len(PAYLOAD))
    assert _body(response) == PAYLOAD


def test_byte_range_answers_206_with_exactly_those_bytes(media_file):
    response = _get(media_file, Range="bytes=100-199")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-199/{len(PAYLOAD)}"
    assert response["Content-Length"] == "100"
    assert _body(response) == PAYLOAD[100:200]


def test_open_ended_and_suffix_ranges(media_file):
    tail = _get(media_file, Range="bytes=10000-")
    assert tail.status_code == 206
    assert _body(tail) == PAYLOAD[10000:]
    suffix = _get(media_file, Range="bytes=-40")
    assert suffix.status_code == 206
    assert (
        suffix["Content-Range"] == f"bytes {len(PAYLOAD) - 40}-{len(PAYLOAD) - 1}/{len(PAYLOAD)}"
    )
    assert _body(suffix) == PAYLOAD[-40:]


def test_range_past_the_end_is_416(media_file):
    response = _get(media_file, Range=f"bytes={len(PAYLOAD)}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(PAYLOAD)}"


def test_apple_probe_range_0_1_is_served(media_file):
    response = _get(media_file, Range="bytes=0-1")
    assert response.status_code == 206
    assert _body(response) == PAYLOAD[:2]


def test_head_has_headers_but_no_body(media_file):
    response = _get(media_file, method="head")
    assert response.status_code == 200
    assert response["Content-Length"] == str(len(PAYLOAD))
    assert _body(response) == b""


def test_head_with_range(media_file):
    response = _get(media_file, method="head", Range="bytes=0-9")
    assert response.status_code == 206
    assert response["Content-Length"] == "10"


def test_conditional_get_with_matching_etag_is_304(media_file):
    etag = _get(media_file)["ETag"]
    assert _get(media_file, If_None_Match=etag).status_code == 304


def test_if_range_with_stale_etag_sends_the_whole_file(media_file):
    response = _get(media_file, Range="bytes=0-9", If_Range='"stale"')
    assert response.status_code == 200
    assert _body(response) == PAYLOAD


def test_m4a_and_vtt_content_types(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "a.m4a").write_bytes(b"x")
    (tmp_path / "a.vtt").write_bytes(b"WEBVTT\n")
    assert _get("a.m4a")["Content-Type"] == "audio/mp4"
    assert _get("a.vtt")["Content-Type"].startswith("text/vtt")


def test_paths_outside_media_root_are_not_served(settings, tmp_path):
    from django.http import Http404

    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "images").mkdir(parents=True)
    (tmp_path / "secret.txt").write_text("no")
    with pytest.raises(Http404):
        serve_media(
            RequestFactory().get("/media/images/../../secret.txt"), "images/../../secret.txt"
        )


def test_post_is_not_allowed(image_file):
    assert (
        serve_media(RequestFactory().post(f"/media/{image_file}"), image_file).status_code == 405
    )


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", None),
        ("bytes=0-0", (0, 0)),
        ("bytes=5-2", None),
        ("bytes=0-5,10-20", None),
        ("items=0-5", None),
        ("bytes=-0", False),
        ("bytes=0-99999", (0, 99)),
        ("bytes=-500", (0, 99)),
        ("bytes=" + "9" * 5000 + "-", False),
        ("bytes=0-" + "9" * 5000, (0, 99)),
        ("bytes=-" + "9" * 5000, (0, 99)),
        ("bytes=" + "0" * 5000 + "7-9", (7, 9)),
    ],
)
def test_parse_range(header, expected):
    assert parse_range(header, 100) == expected


@pytest.fixture
def image_file(settings, tmp_path):
    """A file in a folder that is public by design (Wagtail image renditions)."""
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "titelbild.jpg").write_bytes(PAYLOAD)
    return "images/titelbild.jpg"


def test_media_is_served_through_the_site_urls_when_local(client, image_file, settings, db):
    settings.SERVE_MEDIA = True
    response = client.get(f"/media/{image_file}", headers={"Range": "bytes=0-3"})
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == PAYLOAD[:4]


def test_range_with_thousands_of_digits_is_416_not_a_server_error(client, image_file, db):
    response = client.get(f"/media/{image_file}", headers={"Range": "bytes=" + "9" * 5000 + "-"})
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(PAYLOAD)}"


def test_media_url_is_not_answered_when_media_is_not_served_locally(
    client, image_file, settings, db
):
    settings.SERVE_MEDIA = False
    assert client.get(f"/media/{image_file}").status_code == 404
