import pytest

from media_pipeline.exceptions import InvalidRenditionSpecError
from media_pipeline.specs import (
    DEFAULT_RENDITION_SPECS,
    PODCAST_AAC_SPEC,
    PODCAST_MP3_SPEC,
    RenditionSpec,
)


def test_mp3_spec_becomes_a_cbr_plan_with_loudness_normalisation():
    plan = RenditionSpec("mp3|bitrate-128k|loudnorm").plan
    assert (plan.extension, plan.mime_type, plan.container) == ("mp3", "audio/mpeg", "mp3")
    assert plan.bitrate_kbps == 128
    assert plan.loudnorm is True


def test_aac_spec_is_an_m4a_with_the_index_in_front():
    plan = RenditionSpec("aac|bitrate-96k").plan
    assert (plan.extension, plan.mime_type) == ("m4a", "audio/mp4")
    assert plan.container_options["movflags"] == "+faststart"
    assert plan.loudnorm is False


def test_waveform_spec_counts_peaks():
    plan = RenditionSpec("waveform|peaks-500").plan
    assert (plan.kind, plan.extension, plan.peaks) == ("data", "json", 500)


@pytest.mark.parametrize(
    "spec",
    [
        "",
        "mp4|bitrate-128k",
        "mp3|bitrate-9000k",
        "mp3|bitrate-fast",
        "mp3|bitrate",
        "bitrate-128k|mp3",
        "mp3|aac",
        "mp3|loudnorm|loudnorm",
        "mp3|loudnorm-5",
        "waveform|peaks-3",
        "MP3|bitrate-128k",
        "mp3;rm -rf /",
        "mp3||loudnorm",
    ],
)
def test_invalid_specs_fail_at_parse_time(spec):
    with pytest.raises(InvalidRenditionSpecError):
        RenditionSpec(spec)


def test_output_names_are_deterministic():
    spec = RenditionSpec(PODCAST_MP3_SPEC)
    assert spec.output_name("folge-1") == "folge-1.mp3.bitrate-128k.loudnorm.mp3"


def test_default_specs_parse():
    for specs in DEFAULT_RENDITION_SPECS.values():
        for spec in specs:
            RenditionSpec(spec)
    assert PODCAST_AAC_SPEC in DEFAULT_RENDITION_SPECS["audio"]
