"""Pure builders of ffmpeg argv lists (through ffmpeg-python); nothing here runs a process.

An audio batch runs as a handful of processes side by side (see ``audio._transcode_and_measure``):

1. The source is measured (``build_loudness_command``), in two halves in parallel for long
   recordings, logging the 400 ms block loudness that ``loudness.py`` recombines; the same
   decode writes the waveform's low-rate PCM.
2. One process per encoded output decodes the source, resamples and downmixes it, applies the
   gain to the loudness target (and a peak limiter where the peaks need it) and encodes
   (``build_transcode_command``).
   Each loudness-normalised output is written through the ``tee`` muxer twice: to its file
   and, as the same encoded packets, to a FIFO in the work folder.
3. Per such output a measuring process (``build_output_measure_command``) decodes the FIFO while
   the encoder runs and reports integrated loudness and true peak of the *encoded* audio, so
   verification costs no extra pass after the encode.

WAV input is read in 64 KiB packets (``max_size``): ffmpeg 6 hands every packet from its
demuxer thread to the decoder with a wake-up, and the default 4 KiB packets made that
hand-off (mostly system time) cost as much as the ``ebur128`` analysis itself.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import ffmpeg

from .probe import MediaInfo
from .specs import RenditionSpec

WAVEFORM_SAMPLE_RATE = 4000
# Sample-peak ceiling after the gain: leaves room for inter-sample peaks and codec overshoot,
# so the encoded output stays under the true-peak limit (-1 dBTP).
LIMITER_CEILING_DB = -2.0
# WAV packets of 64 KiB instead of 4 KiB: a sixteenth of the demuxer-thread hand-offs.
WAV_PACKET_BYTES = 65536
# Muxer (not encoder) options among a plan's options; with ``tee`` they go to the file's slave.
MUXER_OPTIONS = {"write_xing", "id3v2_version", "movflags", "write_id3v1"}


@dataclass(frozen=True)
class MeasureStream:
    """How an encoded output is streamed to its measuring process: the ``tee`` slave's muxer,
    the demuxer that reads it back, and the encoder's priming samples, which the file's own
    header (LAME tag, MP4 edit list) tells decoders to skip but the bare stream cannot."""

    muxer: str
    demuxer: str
    priming_samples: int


MEASURE_STREAMS = {
    # libmp3lame: encoder delay 576 + decoder delay 529, as ffmpeg's mp3 demuxer skips.
    "mp3": MeasureStream("mp3", "mp3", 1105),
    # ffmpeg's AAC encoder: one frame of priming, the edit list's media_time.
    "ipod": MeasureStream("adts", "aac", 1024),
}


@dataclass(frozen=True)
class OutputTarget:
    spec: RenditionSpec
    path: Path


def output_channels(source: MediaInfo) -> int:
    """Mono stays mono; stereo and anything with more channels (5.1) becomes stereo."""
    return 1 if source.channels == 1 else 2


MONO_LOUDNESS_OFFSET_LU = 3.0  # mono outputs are 3 LU quieter (AES TD1004: -16 / -19)


def loudness_target(source: MediaInfo, spec: RenditionSpec) -> float:
    """The integrated loudness (LUFS) this output is normalised to: the spec's ``loudnorm``
    target, 3 LU less when the output is mono."""
    target = spec.plan.loudness_target
    return target - MONO_LOUDNESS_OFFSET_LU if output_channels(source) == 1 else target


def audio_bitrate_kbps(spec: RenditionSpec, source: MediaInfo) -> int:
    """The spec's bitrate; for a mono output its ``mono`` bitrate (half, if not given)."""
    plan = spec.plan
    if output_channels(source) == 1:
        return plan.mono_bitrate_kbps or max(32, plan.bitrate_kbps // 2)
    return plan.bitrate_kbps


def input_options(demuxer: str | None) -> dict:
    """Options for reading an untrusted file: only the ``file`` protocol, the demuxer found by
    probing, and large packets where the demuxer allows it."""
    options = {"protocol_whitelist": "file"}
    if demuxer:
        options["f"] = demuxer
    if demuxer == "wav":
        options["max_size"] = WAV_PACKET_BYTES
    return options


def _tee_escape(text: str) -> str:
    return re.sub(r"([\\|\[\]:])", r"\\\1", text)


def build_transcode_command(
    ffmpeg_binary: str,
    source_path: Path,
    source: MediaInfo,
    targets: list[OutputTarget],
    *,
    gain_db: float | None = None,
    limiter: bool = True,
    measure_pipes: dict[Path, Path] | None = None,
) -> list[str]:
    """argv for one ffmpeg process that writes every target from a single decode.

    ``gain_db`` is applied (then, with ``limiter``, a peak limiter at ``LIMITER_CEILING_DB``)
    when a target's spec has ``loudnorm``; it comes from measuring the source. Input is read
    with the demuxer found by probing and only the ``file`` protocol; metadata and cover art
    are not copied to the outputs.

    The audio track is ``source.audio_index`` (the one flagged default). A video's sound is
    kept on the video's timeline: a late start is padded with silence, so the audio-only
    rendition lasts ``source.audio_output_duration``.

    ``measure_pipes`` maps a target's path to a FIFO: that target is written through the
    ``tee`` muxer to its file and, packet for packet, to the FIFO, which the process from
    ``build_output_measure_command`` reads.
    """
    if not targets:
        raise ValueError("no targets")
    measure_pipes = measure_pipes or {}
    channels = output_channels(source)
    stream = ffmpeg.input(f"file:{source_path}", **input_options(source.demuxer))[
        f"a:{source.audio_index}"
    ]
    if source.kind == "video":
        # On the video's timeline: sound that starts after the picture gets silence before it
        # (see ``MediaInfo.audio_output_duration``); it ends where the sound ends.
        stream = stream.filter("aresample", first_pts=0)
    stream = stream.filter(
        "aformat",
        sample_rates=str(targets[0].spec.plan.sample_rate),
        channel_layouts="mono" if channels == 1 else "stereo",
    )
    normalise = gain_db is not None and any(t.spec.plan.loudnorm for t in targets)
    if normalise:
        stream = stream.filter("volume", f"{gain_db:.2f}dB")
    if normalise and limiter:
        stream = stream.filter(
            "alimiter",
            limit=f"{10 ** (LIMITER_CEILING_DB / 20):.4f}",
            level="disabled",
            attack=5,
            release=50,
        )
    branches = stream.filter_multi_output("asplit", len(targets)) if len(targets) > 1 else None
    outputs = []
    for index, target in enumerate(targets):
        branch = branches.stream(index) if branches is not None else stream
        plan = target.spec.plan
        if plan.kind == "data":
            if channels == 2:
                # Mixed to mono before resampling (the same 0.5/0.5 mix ``ac=1`` would do
                # after it): half the work for the same samples.
                branch = branch.filter("pan", "mono|c0<c0+c1")
            outputs.append(
                ffmpeg.output(
                    branch.filter("aresample", WAVEFORM_SAMPLE_RATE),
                    str(target.path),
                    f="s16le",
                    ac=1,
                    acodec="pcm_s16le",
                )
            )
            continue
        outputs.append(_encoded_output(branch, source, target, measure_pipes.get(target.path)))
    command = ffmpeg.merge_outputs(*outputs).global_args(*_PROCESS_ARGS)
    return command.overwrite_output().compile(cmd=ffmpeg_binary)


_PROCESS_ARGS = (
    "-nostdin",
    "-hide_banner",
    "-loglevel",
    "error",
    "-nostats",
    "-progress",
    "pipe:1",
)


def _encoded_output(stream, source: MediaInfo, target: OutputTarget, measure_pipe: Path | None):
    """The output node encoding ``stream`` as ``target``'s spec says; with ``measure_pipe``
    through the ``tee`` muxer to the file and, packet for packet, to the FIFO."""
    plan = target.spec.plan
    options = {
        **plan.codec_options,
        **plan.container_options,
        "b:a": f"{audio_bitrate_kbps(target.spec, source)}k",
        "ac": output_channels(source),
        "f": plan.container,
        "map_metadata": -1,
    }
    if measure_pipe is None:
        return ffmpeg.output(stream, str(target.path), **options)
    muxer_options = {k: options.pop(k) for k in list(options) if k in MUXER_OPTIONS}
    options.pop("f")
    slave = ":".join(
        [f"f={plan.container}", "onfail=abort"]
        + [f"{key}={_tee_escape(str(value))}" for key, value in muxer_options.items()]
    )
    measure = MEASURE_STREAMS[plan.container]
    tee = (
        f"[{slave}]{_tee_escape(f'file:{target.path}')}"
        f"|[f={measure.muxer}:onfail=abort:flush_packets=0]{_tee_escape(f'file:{measure_pipe}')}"
    )
    return ffmpeg.output(stream, tee, f="tee", **options)


TRUE_PEAK_OVERSAMPLED_RATE = 176400  # 4x 44.1 kHz, as BS.1770's true-peak meter
# ebur128 summary plus 4x oversampled max (volumedetect): matches ebur128=peak=true within
# 0.1 dB at about two thirds of its cost. The last filter hands out large frames, so the null
# output sees few packets.
_TRUE_PEAK_GRAPH = (
    "asplit=2[loudness][peak];"
    "[loudness]ebur128=framelog=quiet,anullsink;"
    f"[peak]aresample={TRUE_PEAK_OVERSAMPLED_RATE}:filter_size=16,volumedetect,"
    "asetnsamples=n=65536[out]"
)
# A decoded MP3 or AAC stream comes in frames of 1,152 or 1,024 samples; the measuring filters
# cost per frame as well as per sample, and regrouped into frames of 32,768 samples (not padded)
# a measurement takes about a tenth less CPU for the same figures.
_LARGE_FRAMES = "asetnsamples=n=32768:pad=0"
_HEAD = ["-nostdin", "-hide_banner", "-nostats"]


def _input_argv(path: Path, demuxer: str | None) -> list[str]:
    argv = []
    for key, value in input_options(demuxer).items():
        argv += [f"-{key}", str(value)]
    return [*argv, "-i", f"file:{path}"]


def build_loudness_command(
    ffmpeg_binary: str,
    path: Path,
    demuxer: str | None = None,
    channels: int | None = None,
    *,
    true_peak: bool = True,
    start: float | None = None,
    duration: float | None = None,
    block_log: bool = False,
    audio_index: int = 0,
    waveform_path: Path | None = None,
    waveform_skip_seconds: float = 0.0,
) -> list[str]:
    """argv measuring EBU R128 integrated loudness (``ebur128`` summary on stderr) and the peak.

    With ``true_peak`` the peak is read from a 4x oversampled copy (``volumedetect``'s
    max_volume), which matches ``ebur128=peak=true`` within 0.1 dB at about two thirds of its
    cost; otherwise ``ebur128`` reports the sample peak. With ``channels``, the audio is first
    mixed to that layout exactly as the transcode does, so a 5.1 source is measured as the
    stereo listeners will hear. ``start``/``duration`` select a part of the input (sample
    accurate: ffmpeg decodes from before the seek point and trims), and ``block_log`` makes
    ``ebur128`` log every 100 ms the loudness of the last 400 ms (``M:``), the gating blocks
    from which ``loudness.integrated_from_blocks`` recombines the parts. ``audio_index``
    picks the audio track (``MediaInfo.audio_index``).

    With ``waveform_path`` (sample peak only) the same decode also writes the waveform's
    low-rate mono PCM there (``WAVEFORM_SAMPLE_RATE``, before any gain), leaving out its first
    ``waveform_skip_seconds`` (the overlap a second half shares with the first).
    """
    argv = [ffmpeg_binary, *_HEAD]
    if start:
        argv += ["-ss", f"{start:.3f}"]
    if duration is not None:
        argv += ["-t", f"{duration:.3f}"]
    argv += _input_argv(path, demuxer)
    layout = ""
    if channels:
        layout = f"aformat=channel_layouts={'mono' if channels == 1 else 'stereo'},"
    if demuxer != "wav":  # a WAV is already read in large packets (``input_options``)
        layout = f"{_LARGE_FRAMES},{layout}"
    if true_peak:
        graph = f"[0:a:{audio_index}]{layout}{_TRUE_PEAK_GRAPH}"
    else:
        framelog = "info" if block_log else "quiet"
        measure = f"ebur128=framelog={framelog}:peak=sample,asetnsamples=n=65536[out]"
        if waveform_path is None:
            graph = f"[0:a:{audio_index}]{layout}{measure}"
        else:
            # Mixed to mono before resampling (the 0.5/0.5 mix ``ac=1`` would do after it).
            mix = "pan=mono|c0<c0+c1," if channels == 2 else "aformat=channel_layouts=mono,"
            skip = round(waveform_skip_seconds * WAVEFORM_SAMPLE_RATE)
            graph = (
                f"[0:a:{audio_index}]{layout}asplit=2[measure][wave];[measure]{measure};"
                f"[wave]{mix}aresample={WAVEFORM_SAMPLE_RATE},"
                f"atrim=start_sample={skip}[waveform]"
            )
            waveform = ["-map", "[waveform]", "-f", "s16le", "-c:a", "pcm_s16le"]
            waveform += [f"file:{waveform_path}"]
            return [*argv, "-y", "-filter_complex", graph, "-map", "[out]", "-f", "null", "-",
                    *waveform]  # fmt: skip
    return [*argv, "-filter_complex", graph, "-map", "[out]", "-f", "null", "-"]


def build_output_measure_command(
    ffmpeg_binary: str,
    pipe_path: Path,
    container: str,
    *,
    sample_rate: int,
    duration: float,
) -> list[str]:
    """argv measuring integrated loudness and true peak of an encoded stream read from the FIFO
    that ``build_transcode_command`` tees it to, while the encoder runs.

    The stream is the output's own packets; the encoder's priming samples (and the padding of
    the last frame, past ``duration``) are trimmed as the file's header makes players do, so
    the figures equal a measurement of the finished file.
    """
    measure = MEASURE_STREAMS[container]
    first = measure.priming_samples
    last = first + round(duration * sample_rate)
    graph = (
        f"[0:a:0]atrim=start_sample={first}:end_sample={last},{_LARGE_FRAMES},{_TRUE_PEAK_GRAPH}"
    )
    return [
        ffmpeg_binary, *_HEAD, *_input_argv(pipe_path, measure.demuxer),
        "-filter_complex", graph, "-map", "[out]", "-f", "null", "-",
    ]  # fmt: skip


# --- video profile -----------------------------------------------------------------------
KEYFRAME_SECONDS = 2  # every rung has a keyframe at the same instants: HLS can switch there
MAX_OUTPUT_FRAME_RATE = 30.5  # 50/60 fps sources are halved: explainers gain nothing from more
STANDARD_FRAME_RATES = (
    Fraction(24000, 1001), Fraction(24), Fraction(25), Fraction(30000, 1001), Fraction(30),
)  # fmt: skip
VIDEO_AUDIO_SAMPLE_RATE = 48000
POSTER_CANDIDATE_SECONDS = 30  # the thumbnail filter chooses among the first 30 s, 1 frame/s
MAX_SPRITE_TILES = 400
JPEG_QUALITY = {"poster": 3, "sprite": 5}  # mjpeg -q:v: 2 best … 31 worst


# A measured maximum this far above the average rate means the source is variable-rate.
VARIABLE_RATE_MARGIN = 1.05


def output_frame_rate(source: MediaInfo) -> Fraction:
    """The constant frame rate of every video output: the source's rate (halved while above
    30), snapped to a standard rate within 3 %.

    A variable-rate source (a screen recording at 30 fps while something moves, 5 fps while
    nothing does) is made constant at its *maximum* rate (``MediaInfo.max_frame_rate``), so
    no motion loses frames; still stretches just repeat frames, which cost H.264 next to
    nothing. A constant-rate source keeps its average rate: timestamp rounding makes its
    measured maximum a little higher."""
    rate = source.frame_rate or 25.0
    if source.max_frame_rate and source.max_frame_rate > rate * VARIABLE_RATE_MARGIN:
        rate = source.max_frame_rate
    while rate > MAX_OUTPUT_FRAME_RATE:
        rate /= 2
    nearest = min(STANDARD_FRAME_RATES, key=lambda standard: abs(rate - standard))
    if abs(rate - nearest) / nearest < 0.03:
        return nearest
    return Fraction(max(1, round(rate)))


def scaled_size(source: MediaInfo, short_side: int) -> tuple[int, int]:
    """(width, height) with the shorter side ``short_side`` (never more than the source's), the
    displayed aspect ratio kept, both even (H.264 4:2:0). Rotation and non-square pixels are
    taken into account: ffmpeg rotates while decoding, and outputs have square pixels."""
    width, height = source.display_size or (short_side * 16 // 9, short_side)
    short = min(width, height)
    target = min(short_side, short) // 2 * 2
    other = max(2, round(max(width, height) * target / short / 2) * 2)
    return (other, target) if width >= height else (target, other)


def ladder_heights(size: tuple[int, int] | None, heights) -> list[int]:
    """The rungs a picture of ``size`` (as displayed) gets: those not above its shorter side
    (never upscale); a source smaller than every rung still gets the lowest, at its own size."""
    heights = sorted(heights, reverse=True)
    if not size or not all(size):
        return heights
    fitting = [height for height in heights if height <= min(size)]
    return fitting or heights[-1:]


@dataclass(frozen=True)
class SpriteLayout:
    interval: int  # seconds between thumbnails
    count: int
    columns: int
    rows: int
    tile_width: int
    tile_height: int


def sprite_layout(source: MediaInfo, spec: RenditionSpec) -> SpriteLayout:
    plan = spec.plan
    duration = max(source.duration, 0.001)
    interval = max(plan.interval, math.ceil(duration / MAX_SPRITE_TILES))
    count = max(1, math.ceil(duration / interval))
    columns = min(plan.columns, count)
    width, height = source.display_size or (16, 9)
    tile_height = max(2, round(plan.width * height / width / 2) * 2)
    return SpriteLayout(
        interval, count, columns, math.ceil(count / columns), plan.width, tile_height
    )


def video_output_size(source: MediaInfo, spec: RenditionSpec) -> tuple[int, int]:
    plan = spec.plan
    if spec.format_name == "sprite":
        layout = sprite_layout(source, spec)
        return layout.tile_width * layout.columns, layout.tile_height * layout.rows
    return scaled_size(source, plan.height)


def _video_branch(stream, source: MediaInfo, spec: RenditionSpec):
    plan = spec.plan
    if spec.format_name == "mp4":
        width, height = scaled_size(source, plan.height)
        return stream.filter("scale", width, height).filter("setsar", 1)
    if spec.format_name == "poster":
        width, height = scaled_size(source, plan.height)
        if plan.thumbnail:
            candidates = max(1, min(POSTER_CANDIDATE_SECONDS, math.ceil(source.duration)))
            stream = stream.filter("fps", 1).filter("scale", width, height)
            return stream.filter("thumbnail", n=candidates).filter("setsar", 1)
        # A frame time past the end (a trimmed replacement file) takes the last second.
        start = min(plan.at_ms / 1000, max(0.0, source.duration - 1.0))
        return stream.filter("trim", start=f"{start:.3f}").filter("scale", width, height)
    layout = sprite_layout(source, spec)
    stream = stream.filter("fps", f"1/{layout.interval}")
    stream = stream.filter("scale", layout.tile_width, layout.tile_height).filter("setsar", 1)
    return stream.filter("tile", f"{layout.columns}x{layout.rows}")


def build_video_command(
    ffmpeg_binary: str,
    source_path: Path,
    source: MediaInfo,
    targets: list[OutputTarget],
    *,
    preset: str = "veryfast",
    fragmented_rungs: bool = False,
    start_keyframe: int = 0,
    start_frame: int = 0,
) -> list[str]:
    """argv for one ffmpeg process that writes MP4 rungs, posters and sprites from a single
    decode of the source: the picture is deinterlaced (``bwdif``, one frame per frame) when
    the source is interlaced and made constant-rate (``output_frame_rate``) once, then split
    per output.

    With ``fragmented_rungs`` (the pipeline, see ``resume``) the rungs carry the picture only,
    as fragmented MP4 with one fragment per keyframe interval, and the run may start at
    keyframe interval ``start_keyframe`` (output frame ``start_frame``): the rungs then read
    the source from there (``-ss``) with keyframes forced on the same grid as a run from the
    start, while posters and sprites still read it from the beginning.

    Every MP4 rung: H.264 High (CRF, capped with a VBV buffer of twice ``maxrate``), keyframes
    forced every ``KEYFRAME_SECONDS`` with scene-cut keyframes off, so all rungs switch at the
    same instants; square pixels; AAC stereo (mono stays mono) at the spec's bitrate from the
    default-flagged audio track (``audio_index``), or no audio track for a silent source;
    ``+faststart``; no metadata copied from the upload.
    Rotation from phones is applied by ffmpeg's decoder (``autorotate``), so the sizes come
    from ``scaled_size`` on the displayed picture.
    """
    if not targets:
        raise ValueError("no targets")
    rate = output_frame_rate(source)
    source_input = ffmpeg.input(f"file:{source_path}", **input_options(source.demuxer))
    mp4_targets = [t for t in targets if t.spec.format_name == "mp4"]
    start = Fraction(start_frame) / rate
    if start_frame and len(mp4_targets) < len(targets):
        # Rungs from the resume point, pictures (poster, sprite) from the beginning.
        ordered = mp4_targets + [t for t in targets if t.spec.format_name != "mp4"]
        seeked = _seeked_input(source_path, source, start, rate)
        branches = [
            *_constant_rate_branches(seeked, source, rate, len(mp4_targets)),
            *_constant_rate_branches(source_input, source, rate, len(ordered) - len(mp4_targets)),
        ]
        by_target = dict(zip(map(id, ordered), branches, strict=True))
        branches = [by_target[id(target)] for target in targets]
    else:
        if start_frame:
            source_input = _seeked_input(source_path, source, start, rate)
        branches = _constant_rate_branches(source_input, source, rate, len(targets))
    audio = None
    if fragmented_rungs:
        pass  # the sound is encoded by its own process (build_rung_sound_command)
    elif mp4_targets and source.audio_streams:
        audio = source_input[f"a:{source.audio_index}"].filter(
            "aformat",
            sample_rates=str(VIDEO_AUDIO_SAMPLE_RATE),
            channel_layouts="mono" if output_channels(source) == 1 else "stereo",
        )
        if len(mp4_targets) > 1:
            audio = audio.filter_multi_output("asplit", len(mp4_targets))
    outputs = []
    gop = math.ceil(rate * KEYFRAME_SECONDS)
    for index, target in enumerate(targets):
        plan = target.spec.plan
        branch = _video_branch(branches[index], source, target.spec)
        if target.spec.format_name != "mp4":
            outputs.append(
                ffmpeg.output(
                    branch,
                    f"file:{target.path}",
                    f="image2",
                    update=1,
                    **{
                        "frames:v": 1,
                        "c:v": "mjpeg",
                        "q:v": JPEG_QUALITY[target.spec.format_name],
                        "pix_fmt": "yuvj420p",
                    },
                )
            )
            continue
        streams = [branch]
        options = {
            **plan.codec_options,
            **plan.container_options,
            "preset": preset,
            "crf": plan.crf,
            "maxrate": f"{plan.maxrate_kbps}k",
            "bufsize": f"{plan.maxrate_kbps * 2}k",
            "g": gop,
            "keyint_min": gop,
            "sc_threshold": 0,
            "force_key_frames": f"expr:gte(t,n_forced*{KEYFRAME_SECONDS})",
            "f": plan.container,
            "map_metadata": -1,
            "map_chapters": -1,
        }
        if start_frame:
            options["force_key_frames"] = (
                f"expr:gte(t+{float(start):.9f},(n_forced+{start_keyframe})*{KEYFRAME_SECONDS})"
            )
        if fragmented_rungs:
            options.pop("c:a", None)
            options["movflags"] = "+frag_keyframe+empty_moov+default_base_moof"
            options["flush_packets"] = 1  # each fragment on disk as soon as it is complete
        if audio is not None:
            rung = mp4_targets.index(target)
            streams.append(audio.stream(rung) if len(mp4_targets) > 1 else audio)
            options.update({"b:a": f"{plan.bitrate_kbps}k", "ac": output_channels(source)})
        else:
            options.pop("c:a", None)
        outputs.append(ffmpeg.output(*streams, f"file:{target.path}", **options))
    command = ffmpeg.merge_outputs(*outputs).global_args(
        "-nostdin", "-hide_banner", "-loglevel", "error", "-nostats", "-progress", "pipe:1"
    )
    return command.overwrite_output().compile(cmd=ffmpeg_binary)


def _seeked_input(source_path: Path, source: MediaInfo, start: Fraction, rate: Fraction):
    """The source read from output time ``start``: a quarter frame early, so the frame at
    ``start`` is the first one kept and lands on output frame 0 of the run."""
    seek = max(0.0, float(start - Fraction(1, 4) / rate))
    return ffmpeg.input(f"file:{source_path}", ss=f"{seek:.6f}", **input_options(source.demuxer))


def _constant_rate_branches(source_input, source: MediaInfo, rate: Fraction, count: int):
    """``count`` copies of the source's picture, deinterlaced when needed, at ``rate``."""
    if count == 0:
        return []
    picture = source_input["v:0"]
    if source.interlaced:
        # One frame per frame (25i -> 25p), both fields used; the parity is the probe's, as
        # not every decoder flags its frames interlaced.
        picture = picture.filter(
            "bwdif", mode="send_frame", parity=source.field_order, deint="all"
        )
    picture = picture.filter("fps", fps=str(rate))
    if count == 1:
        return [picture]
    split = picture.filter_multi_output("split", count)
    return [split.stream(index) for index in range(count)]


def build_rung_sound_command(
    ffmpeg_binary: str, source_path: Path, source: MediaInfo, targets: list[tuple[int, Path]]
) -> list[str]:
    """argv encoding the rungs' sound once per bitrate (``[(kbps, path)]``): AAC at 48 kHz,
    stereo (mono stays mono), from the default audio track, as MP4 (see ``resume``)."""
    layout = "mono" if output_channels(source) == 1 else "stereo"
    argv = [ffmpeg_binary, *_HEAD, "-loglevel", "error", *_input_argv(source_path, source.demuxer)]
    for kbps, path in targets:
        argv += [
            "-map", f"0:a:{source.audio_index}", "-vn", "-sn", "-dn",
            "-af", f"aformat=sample_rates={VIDEO_AUDIO_SAMPLE_RATE}:channel_layouts={layout}",
            "-c:a", "aac", "-b:a", f"{kbps}k", "-ac", str(output_channels(source)),
            "-map_metadata", "-1", "-map_chapters", "-1", "-f", "mp4", "-y", f"file:{path}",
        ]  # fmt: skip
    return argv


def build_rung_remux_command(
    ffmpeg_binary: str, picture: Path, sound: Path | None, target: Path
) -> list[str]:
    """argv joining a rung's picture (fragmented MP4) and sound into the progressive MP4 that
    is stored (``-c copy``, index first)."""
    argv = [ffmpeg_binary, *_HEAD, "-loglevel", "error", *_input_argv(picture, "mov")]
    maps = ["-map", "0:v:0"]
    if sound is not None:
        argv += _input_argv(sound, "mov")
        maps += ["-map", "1:a:0"]
    return [
        *argv, *maps, "-c", "copy", "-map_metadata", "-1", "-map_chapters", "-1",
        "-movflags", "+faststart", "-f", "mp4", "-y", f"file:{target}",
    ]  # fmt: skip


def build_hls_command(
    ffmpeg_binary: str,
    rung_paths: list[Path],
    output_dir: Path,
    *,
    has_audio: bool,
    segment_seconds: int = 4,
) -> list[str]:
    """argv remuxing finished MP4 rungs (``-c copy``, no second encode) into HLS: one VOD
    playlist of fMP4 segments per rung under ``output_dir/v<n>/``, rungs in the given order.
    The master playlist is written by ``video.write_hls_master`` (ffmpeg's lacks CODECS and
    FRAME-RATE). Segments end on the rungs' common keyframes, so they align across variants.
    """
    argv = [ffmpeg_binary, *_HEAD, "-loglevel", "error"]
    for path in rung_paths:
        argv += _input_argv(path, "mov")
    stream_map = []
    for index in range(len(rung_paths)):
        argv += ["-map", f"{index}:v:0"]
        if has_audio:
            argv += ["-map", f"{index}:a:0"]
    for index in range(len(rung_paths)):
        stream_map.append(f"v:{index},a:{index}" if has_audio else f"v:{index}")
    return [
        *argv,
        "-c", "copy",
        "-f", "hls",
        "-hls_time", str(segment_seconds),
        "-hls_playlist_type", "vod",
        "-hls_segment_type", "fmp4",
        "-hls_flags", "independent_segments",
        "-hls_fmp4_init_filename", "init.mp4",
        "-hls_segment_filename", f"{output_dir}/v%v/seg-%05d.m4s",
        "-var_stream_map", " ".join(stream_map),
        f"{output_dir}/v%v/index.m3u8",
    ]  # fmt: skip
