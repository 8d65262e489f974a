from pathlib import Path

from media_pipeline.ffmpeg_commands import (
    OutputTarget,
    build_loudness_command,
    build_output_measure_command,
    build_transcode_command,
)
from media_pipeline.probe import MediaInfo
from media_pipeline.specs import RenditionSpec

STEREO = MediaInfo("mov", "mov,mp4", 60.0, audio_streams=1, video_streams=0, channels=2)
MONO = MediaInfo("wav", "wav", 60.0, audio_streams=1, video_streams=0, channels=1)
SURROUND = MediaInfo("matroska", "matroska", 60.0, audio_streams=1, video_streams=0, channels=6)


def targets(*specs):
    return [OutputTarget(RenditionSpec(s), Path(f"/work/out{i}")) for i, s in enumerate(specs)]


def argv_for(info, *specs, gain=None):
    return build_transcode_command(
        "ffmpeg", Path("/work/src"), info, targets(*specs), gain_db=gain
    )


def option(argv, name, occurrence=0):
    positions = [i for i, arg in enumerate(argv) if arg == name]
    return argv[positions[occurrence] + 1]


def test_input_is_local_file_only_with_the_probed_demuxer():
    argv = argv_for(STEREO, "mp3|bitrate-128k")
    assert argv[0] == "ffmpeg"
    assert option(argv, "-f") == "mov"
    assert option(argv, "-protocol_whitelist") == "file"
    assert option(argv, "-i") == "file:/work/src"


def test_one_decode_feeds_mp3_aac_and_waveform():
    argv = argv_for(
        STEREO,
        "mp3|bitrate-128k|loudnorm",
        "aac|bitrate-96k|loudnorm",
        "waveform|peaks-1000",
        gain=4.5,
    )
    assert argv.count("-i") == 1
    graph = option(argv, "-filter_complex")
    assert "volume=4.50dB" in graph
    assert "asplit=3" in graph
    assert "alimiter" in graph
    assert option(argv, "-c:a") == "libmp3lame"
    assert option(argv, "-c:a", 1) == "aac"
    assert option(argv, "-b:a") == "128k"
    assert option(argv, "-b:a", 1) == "96k"
    assert "+faststart" in argv
    assert "/work/out2" in argv and "s16le" in argv


def test_mono_stays_mono_at_half_the_bitrate():
    argv = argv_for(MONO, "mp3|bitrate-128k")
    assert option(argv, "-ac") == "1"
    assert option(argv, "-b:a") == "64k"
    assert "channel_layouts=mono" in option(argv, "-filter_complex")


def test_surround_is_downmixed_to_stereo_at_44_1_khz():
    argv = argv_for(SURROUND, "mp3|bitrate-128k")
    graph = option(argv, "-filter_complex")
    assert "channel_layouts=stereo" in graph
    assert "sample_rates=44100" in graph
    assert option(argv, "-ac") == "2"


def test_no_gain_without_loudnorm():
    graph = option(argv_for(STEREO, "aac|bitrate-96k", gain=6.0), "-filter_complex")
    assert "volume" not in graph


def test_metadata_and_cover_art_are_not_copied():
    argv = argv_for(STEREO, "mp3|bitrate-128k")
    assert option(argv, "-map_metadata") == "-1"
    assert option(argv, "-map").startswith("[")  # only the filtered audio is mapped


def test_progress_goes_to_stdout():
    argv = argv_for(STEREO, "mp3|bitrate-128k")
    assert option(argv, "-progress") == "pipe:1"
    assert "-nostdin" in argv


def test_loudness_command_measures_true_peak():
    argv = build_loudness_command("ffmpeg", Path("/work/out.mp3"), "mp3")
    graph = option(argv, "-filter_complex")
    assert "ebur128=framelog=quiet" in graph
    assert "aresample=176400" in graph and "volumedetect" in graph
    assert option(argv, "-protocol_whitelist") == "file"


def test_wav_input_is_read_in_large_packets():
    argv = argv_for(MONO, "mp3|bitrate-128k")
    assert option(argv, "-max_size") == "65536"
    assert "-max_size" not in argv_for(STEREO, "mp3|bitrate-128k")


def test_measured_outputs_are_teed_to_their_fifo():
    specs = ("mp3|bitrate-128k|loudnorm", "aac|bitrate-96k|loudnorm")
    pipes = {Path("/work/out0"): Path("/work/m0.fifo"), Path("/work/out1"): Path("/work/m1.fifo")}
    argv = build_transcode_command(
        "ffmpeg", Path("/work/src"), STEREO, targets(*specs), gain_db=1.0, measure_pipes=pipes
    )
    assert option(argv, "-f", 1) == "tee" and option(argv, "-f", 2) == "tee"
    mp3_tee, aac_tee = [arg for arg in argv if arg.startswith("[f=")]
    assert mp3_tee == (
        r"[f=mp3:onfail=abort:write_xing=1:id3v2_version=3]file\:/work/out0"
        r"|[f=mp3:onfail=abort:flush_packets=0]file\:/work/m0.fifo"
    )
    assert aac_tee.startswith("[f=ipod:onfail=abort:movflags=+faststart]file\\:/work/out1|")
    assert aac_tee.endswith("[f=adts:onfail=abort:flush_packets=0]file\\:/work/m1.fifo")
    assert "-movflags" not in argv and "-id3v2_version" not in argv  # muxer options: slaves


def test_output_measure_command_reads_the_fifo_and_trims_the_priming():
    argv = build_output_measure_command(
        "ffmpeg", Path("/work/m1.fifo"), "ipod", sample_rate=44100, duration=10.0
    )
    assert option(argv, "-protocol_whitelist") == "file"
    assert option(argv, "-f") == "aac"
    assert option(argv, "-i") == "file:/work/m1.fifo"
    graph = option(argv, "-filter_complex")
    assert "atrim=start_sample=1024:end_sample=442024" in graph
    assert "ebur128" in graph and "aresample=176400" in graph and "volumedetect" in graph


def test_source_halves_log_their_gating_blocks():
    first = build_loudness_command(
        "ffmpeg", Path("/work/src"), "wav", 2, true_peak=False, duration=1800.0, block_log=True
    )
    second = build_loudness_command(
        "ffmpeg", Path("/work/src"), "wav", 2, true_peak=False, start=1799.7, block_log=True
    )
    assert option(first, "-t") == "1800.000" and "-ss" not in first
    assert option(second, "-ss") == "1799.700"
    assert first.index("-t") < first.index("-i") and second.index("-ss") < second.index("-i")
    assert "ebur128=framelog=info:peak=sample" in option(first, "-filter_complex")


def test_gain_without_limiter_when_the_peaks_stay_under_the_ceiling():
    argv = build_transcode_command(
        "ffmpeg", Path("/work/src"), STEREO, targets("mp3|bitrate-128k|loudnorm"), gain_db=3.0,
        limiter=False,
    )  # fmt: skip
    graph = option(argv, "-filter_complex")
    assert "volume=3.00dB" in graph and "alimiter" not in graph
