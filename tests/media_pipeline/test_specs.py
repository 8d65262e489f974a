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
    assert spec.output_name("folge-1") == "folge-1.mp3.bitrate-128k.mono-64k.loudnorm-16.mp3"


def test_default_specs_parse():
    for specs in DEFAULT_RENDITION_SPECS.values():
        for spec in specs:
            RenditionSpec(spec)
    assert PODCAST_AAC_SPEC in DEFAULT_RENDITION_SPECS["audio"]


def test_loudness_target_and_mono_bitrate_are_part_of_the_spec():
    plan = RenditionSpec("mp3|bitrate-128k|mono-64k|loudnorm-18").plan
    assert (plan.loudnorm, plan.loudness_target, plan.mono_bitrate_kbps) == (True, -18.0, 64)
    assert RenditionSpec("aac|bitrate-96k|loudnorm").plan.loudness_target == -16.0


@pytest.mark.parametrize(
    "spec", ["mp3|loudnorm-5", "mp3|loudnorm-x", "mp3|mono-8k", "mp4|mono-64k"]
)
def test_bad_loudness_or_mono_arguments_are_refused_where_written(spec):
    with pytest.raises(InvalidRenditionSpecError):
        RenditionSpec(spec)


def test_every_output_declares_its_batch():
    batches = {spec: RenditionSpec(spec).batch_name for spec in DEFAULT_RENDITION_SPECS["video"]}
    assert batches[PODCAST_AAC_SPEC] == "audio"  # the audio-only rendition of a video
    assert {b for s, b in batches.items() if s != PODCAST_AAC_SPEC} == {"video"}
    # An editor's poster frame is made on its own, without re-encoding the ladder.
    assert RenditionSpec("poster|at-12500ms").batch_name == "poster|at-12500ms"


def test_a_setting_that_changes_an_output_changes_its_recipe(settings):
    from media_pipeline.specs import VIDEO_HLS_SPEC, VIDEO_LADDER_SPECS, recipe

    rung, hls = VIDEO_LADDER_SPECS[720], VIDEO_HLS_SPEC
    before = {spec: recipe(spec) for spec in (rung, hls, PODCAST_MP3_SPEC)}
    settings.MEDIA_VIDEO_PRESET = "medium"
    after = {spec: recipe(spec) for spec in (rung, hls, PODCAST_MP3_SPEC)}
    assert before[rung] != after[rung] and before[hls] != after[hls]
    assert before[PODCAST_MP3_SPEC] == after[PODCAST_MP3_SPEC]
