"""Video spec grammar and the pure command builders: no process is run here."""

from fractions import Fraction
from pathlib import Path

import pytest

from media_pipeline.exceptions import InvalidRenditionSpecError
from media_pipeline.ffmpeg_commands import (
    OutputTarget,
    build_hls_command,
    build_video_command,
    ladder_heights,
    output_frame_rate,
    scaled_size,
    sprite_layout,
)
from media_pipeline.probe import MediaInfo, media_info_from_probe
from media_pipeline.specs import (
    DEFAULT_RENDITION_SPECS,
    VIDEO_AUDIO_ONLY_SPEC,
    VIDEO_HLS_SPEC,
    VIDEO_LADDER_SPECS,
    VIDEO_POSTER_SPEC,
    VIDEO_SPRITE_SPEC,
    RenditionSpec,
    poster_spec_at,
)
from media_pipeline.video import build_thumbnails_vtt

FULL_HD = MediaInfo(
    "mov", "mov,mp4", 60.0, audio_streams=1, video_streams=1, channels=2,
    width=1920, height=1080, frame_rate=25.0,
)  # fmt: skip
PHONE = MediaInfo(
    "mov", "mov,mp4", 30.0, audio_streams=1, video_streams=1, channels=2,
    width=1920, height=1080, frame_rate=59.94, rotation=90,
)  # fmt: skip
SILENT = MediaInfo(
    "matroska", "matroska", 10.0, audio_streams=0, video_streams=1,
    width=1280, height=720, frame_rate=30.0,
)  # fmt: skip


def test_ladder_spec_becomes_an_h264_plan_with_crf_and_a_cap():
    plan = RenditionSpec(VIDEO_LADDER_SPECS[720]).plan
    assert (plan.kind, plan.extension, plan.mime_type) == ("video", "mp4", "video/mp4")
    assert (plan.height, plan.crf, plan.maxrate_kbps, plan.bitrate_kbps) == (720, 23, 3000, 128)
    assert plan.container_options["movflags"] == "+faststart"


def test_profile_constants_parse_and_are_the_video_defaults():
    assert sorted(VIDEO_LADDER_SPECS) == [360, 480, 720, 1080]
    assert DEFAULT_RENDITION_SPECS["video"] == (
        *VIDEO_LADDER_SPECS.values(),
        VIDEO_HLS_SPEC,
        VIDEO_POSTER_SPEC,
        VIDEO_SPRITE_SPEC,
        VIDEO_AUDIO_ONLY_SPEC,
    )
    assert RenditionSpec(VIDEO_HLS_SPEC).plan.multi_file
    assert RenditionSpec(VIDEO_SPRITE_SPEC).plan.interval == 2
    assert RenditionSpec(VIDEO_POSTER_SPEC).plan.thumbnail
    assert RenditionSpec(poster_spec_at(12.5)).plan.at_ms == 12500


@pytest.mark.parametrize(
    "spec",
    [
        "mp4|height-720|crf-23",  # no bitrate cap
        "mp4|height-721|crf-23|maxrate-3000k",  # odd height
        "mp4|height-100|crf-23|maxrate-3000k",
        "mp4|height-720|crf-60|maxrate-3000k",
        "mp4|height-720|crf-23|maxrate-3000",
        "mp4|height-720|crf-23|maxrate-3000k|loudnorm",
        "mp4|height-720|crf-23|maxrate-3000k|crf-20",
        "hls",
        "hls|master|segment-3",
        "poster",
        "poster|thumbnail|at-2000ms",
        "poster|at-2s",
        "sprite|interval-2",
        "sprite|interval-0|width-160",
        "sprite|interval-2|width-161",
        "mp3|height-720",
        "h264|height-720",
    ],
)
def test_invalid_video_specs_fail_at_parse_time(spec):
    with pytest.raises(InvalidRenditionSpecError):
        RenditionSpec(spec)


def test_rungs_above_the_source_are_skipped_and_tiny_sources_keep_the_lowest():
    heights = VIDEO_LADDER_SPECS.keys()
    assert ladder_heights((1920, 1080), heights) == [1080, 720, 480, 360]
    assert ladder_heights((854, 480), heights) == [480, 360]
    assert ladder_heights((1000, 700), heights) == [480, 360]
    assert ladder_heights((1080, 1920), heights) == [1080, 720, 480, 360]  # portrait
    assert ladder_heights((320, 240), heights) == [360]


def test_sizes_keep_the_displayed_aspect_and_never_upscale():
    assert scaled_size(FULL_HD, 720) == (1280, 720)
    assert scaled_size(FULL_HD, 480) == (854, 480)
    assert scaled_size(PHONE, 720) == (720, 1280)
    small = MediaInfo("mov", "mov", 5.0, 0, 1, width=320, height=240)
    assert scaled_size(small, 360) == (320, 240)
    anamorphic = MediaInfo("mov", "mov", 5.0, 0, 1, width=720, height=576, sample_aspect=16 / 11)
    assert scaled_size(anamorphic, 576) == (1048, 576)


def test_frame_rate_is_constant_standard_and_at_most_30():
    assert output_frame_rate(FULL_HD) == 25
    assert output_frame_rate(PHONE) == Fraction(30000, 1001)
    assert output_frame_rate(MediaInfo("mov", "mov", 5.0, 0, 1, frame_rate=50.0)) == 25
    assert output_frame_rate(MediaInfo("mov", "mov", 5.0, 0, 1, frame_rate=24.3)) == 24
    assert output_frame_rate(MediaInfo("mov", "mov", 5.0, 0, 1, frame_rate=12.2)) == 12


def test_probe_reads_rotation_and_treats_a_single_picture_track_as_cover_art():
    stream = {
        "codec_type": "video", "codec_name": "h264", "width": 1920, "height": 1080,
        "avg_frame_rate": "30/1", "nb_frames": "90",
        "side_data_list": [{"side_data_type": "Display Matrix", "rotation": -90}],
    }  # fmt: skip
    audio = {"codec_type": "audio", "channels": 2, "sample_rate": "48000"}
    info = media_info_from_probe("mov", {"streams": [stream, audio], "format": {"duration": "3"}})
    assert (info.kind, info.rotation, info.display_size) == ("video", 270, (1080, 1920))
    still = {**stream, "nb_frames": "1", "side_data_list": []}
    info = media_info_from_probe("mov", {"streams": [still, audio], "format": {"duration": "3"}})
    assert (info.kind, info.has_cover_art) == ("audio", True)


def targets(*specs):
    return [
        OutputTarget(
            RenditionSpec(spec), Path(f"/work/out{i}.{RenditionSpec(spec).plan.extension}")
        )
        for i, spec in enumerate(specs)
    ]


def options_of(argv, output_path):
    """The options of one output: the arguments between the previous output and its path."""
    end = argv.index(f"file:{output_path}")
    start = max(
        (i + 1 for i, arg in enumerate(argv[:end]) if arg.startswith("file:/work/out")),
        default=argv.index("-filter_complex") + 2,
    )
    chunk = argv[start:end]
    return {chunk[i]: chunk[i + 1] for i in range(len(chunk) - 1) if chunk[i].startswith("-")}


def test_one_decode_feeds_every_rung_poster_and_sprite():
    outputs = targets(
        VIDEO_LADDER_SPECS[1080], VIDEO_LADDER_SPECS[720], VIDEO_POSTER_SPEC, VIDEO_SPRITE_SPEC
    )
    argv = build_video_command("ffmpeg", Path("/work/src"), FULL_HD, outputs, preset="veryfast")
    assert argv.count("-i") == 1
    assert argv[argv.index("-i") + 1] == "file:/work/src"
    assert argv[argv.index("-protocol_whitelist") + 1] == "file"
    graph = argv[argv.index("-filter_complex") + 1]
    assert "fps=fps=25" in graph and "split=4" in graph and "asplit=2" in graph
    assert "scale=1920:1080" in graph and "scale=1280:720" in graph
    assert "thumbnail=n=30" in graph and "tile=10x3" in graph
    rungs = [options_of(argv, t.path) for t in outputs[:2]]
    for rung in rungs:
        assert rung["-c:v"] == "libx264" and rung["-preset"] == "veryfast"
        assert rung["-g"] == rung["-keyint_min"] == "50" and rung["-sc_threshold"] == "0"
        assert rung["-force_key_frames"] == "expr:gte(t,n_forced*2)"
        assert rung["-movflags"] == "+faststart" and rung["-map_metadata"] == "-1"
        assert rung["-c:a"] == "aac" and rung["-b:a"] == "128k" and rung["-ac"] == "2"
    assert (rungs[0]["-crf"], rungs[0]["-maxrate"], rungs[0]["-bufsize"]) == (
        "23", "5000k", "10000k"
    )  # fmt: skip
    poster = options_of(argv, outputs[2].path)
    assert (poster["-frames:v"], poster["-c:v"], poster["-f"]) == ("1", "mjpeg", "image2")


def test_silent_source_gets_no_audio_map_and_portrait_sizes_are_rotated():
    argv = build_video_command(
        "ffmpeg", Path("/work/src"), SILENT, targets(VIDEO_LADDER_SPECS[720])
    )
    assert "-c:a" not in argv and "[0:a" not in argv[argv.index("-filter_complex") + 1]
    argv = build_video_command(
        "ffmpeg", Path("/work/src"), PHONE, targets(VIDEO_LADDER_SPECS[720])
    )
    graph = argv[argv.index("-filter_complex") + 1]
    assert "scale=720:1280" in graph and "fps=fps=30000/1001" in graph


def test_editor_frame_past_the_end_takes_the_last_second():
    argv = build_video_command("ffmpeg", Path("/work/src"), SILENT, targets(poster_spec_at(99)))
    assert "trim=start=9.000" in argv[argv.index("-filter_complex") + 1]


def test_hls_is_a_remux_of_the_rungs_into_fmp4_vod_playlists():
    argv = build_hls_command(
        "ffmpeg", [Path("/w/720.mp4"), Path("/w/480.mp4")], Path("/w/hls"), has_audio=True
    )
    assert argv[argv.index("-c") + 1] == "copy"
    assert "-c:v" not in argv and "libx264" not in argv
    assert argv[argv.index("-hls_segment_type") + 1] == "fmp4"
    assert argv[argv.index("-hls_playlist_type") + 1] == "vod"
    assert argv[argv.index("-var_stream_map") + 1] == "v:0,a:0 v:1,a:1"
    assert [argv[i + 1] for i, a in enumerate(argv) if a == "-i"] == [
        "file:/w/720.mp4",
        "file:/w/480.mp4",
    ]
    silent = build_hls_command("ffmpeg", [Path("/w/720.mp4")], Path("/w/hls"), has_audio=False)
    assert silent[silent.index("-var_stream_map") + 1] == "v:0"


def test_sprite_layout_and_thumbnails_track():
    spec = RenditionSpec(VIDEO_SPRITE_SPEC)
    layout = sprite_layout(FULL_HD, spec)
    assert (layout.interval, layout.count, layout.columns, layout.rows) == (2, 30, 10, 3)
    assert (layout.tile_width, layout.tile_height) == (160, 90)
    long = MediaInfo("mov", "mov", 3600.0, 1, 1, width=1920, height=1080)
    assert sprite_layout(long, spec).count <= 400  # the interval grows instead
    track = build_thumbnails_vtt("s.jpg", layout, 59.5)
    cues = track.split("\n\n")[1:]
    assert cues[0] == "00:00:00.000 --> 00:00:02.000\ns.jpg#xywh=0,0,160,90"
    assert cues[11].startswith("00:00:22.000 --> 00:00:24.000\ns.jpg#xywh=160,90,160,90")
    assert cues[-1].strip() == "00:00:58.000 --> 00:00:59.500\ns.jpg#xywh=1440,180,160,90"


def test_pages_find_video_outputs_by_the_configured_profile_not_the_constants(settings):
    from cms.videos.renditions import ladder_specs
    from media_pipeline.roles import video_role_specs
    from media_pipeline.specs import DEFAULT_RENDITION_SPECS

    ladder = {
        540: "mp4|height-540|crf-23|maxrate-2000k",
        360: "mp4|height-360|crf-26|maxrate-700k",
    }
    settings.MEDIA_DEFAULT_RENDITION_SPECS = {
        **DEFAULT_RENDITION_SPECS,
        "video": (*ladder.values(), "hls|master|segment-6", "poster|thumbnail|height-480"),
    }
    roles = video_role_specs()
    assert roles["mp4"] == ladder == ladder_specs()
    assert (roles["hls"], roles["poster"]) == (
        "hls|master|segment-6",
        "poster|thumbnail|height-480",
    )
    assert "sprite" not in roles and "audio_only" not in roles
