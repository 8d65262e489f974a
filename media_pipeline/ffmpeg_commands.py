"""Pure builders of ffmpeg argv lists (through ffmpeg-python); nothing here runs a process.

One decode feeds every output of a batch: the audio is resampled, downmixed where needed,
gain-corrected to the loudness target and limited once, then split to the MP3 encoder, the AAC
encoder and the low-rate PCM stream the waveform is computed from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import ffmpeg
from django.conf import settings

from .probe import MediaInfo
from .specs import RenditionSpec

WAVEFORM_SAMPLE_RATE = 4000
# Sample-peak ceiling after the gain: leaves room for inter-sample peaks and codec overshoot,
# so the encoded output stays under the true-peak limit (-1 dBTP).
LIMITER_CEILING_DB = -2.0


@dataclass(frozen=True)
class OutputTarget:
    spec: RenditionSpec
    path: Path


def output_channels(source: MediaInfo) -> int:
    """Mono stays mono; stereo and anything with more channels (5.1) becomes stereo."""
    return 1 if source.channels == 1 else 2


def loudness_target(source: MediaInfo) -> float:
    if output_channels(source) == 1:
        return settings.MEDIA_LOUDNESS_TARGET_MONO
    return settings.MEDIA_LOUDNESS_TARGET_STEREO


def audio_bitrate_kbps(spec: RenditionSpec, source: MediaInfo) -> int:
    kbps = spec.plan.bitrate_kbps
    if output_channels(source) == 1:
        kbps = max(32, int(kbps * settings.MEDIA_MP3_MONO_BITRATE_FACTOR))
    return kbps


def build_transcode_command(
    ffmpeg_binary: str,
    source_path: Path,
    source: MediaInfo,
    targets: list[OutputTarget],
    *,
    gain_db: float | None = None,
) -> list[str]:
    """argv for one ffmpeg process that writes every target from a single decode.

    ``gain_db`` is applied (then a peak limiter) when a target's spec has ``loudnorm``; it comes
    from measuring the source. Input is read with the demuxer found by probing and only the
    ``file`` protocol; metadata and cover art are not copied to the outputs.
    """
    if not targets:
        raise ValueError("no targets")
    channels = output_channels(source)
    stream = ffmpeg.input(f"file:{source_path}", f=source.demuxer, protocol_whitelist="file").audio
    stream = stream.filter(
        "aformat",
        sample_rates=str(targets[0].spec.plan.sample_rate),
        channel_layouts="mono" if channels == 1 else "stereo",
    )
    if gain_db is not None and any(t.spec.plan.loudnorm for t in targets):
        stream = stream.filter("volume", f"{gain_db:.2f}dB")
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
        options = {
            **plan.codec_options,
            **plan.container_options,
            "b:a": f"{audio_bitrate_kbps(target.spec, source)}k",
            "ac": channels,
            "f": plan.container,
            "map_metadata": -1,
        }
        outputs.append(ffmpeg.output(branch, str(target.path), **options))
    command = ffmpeg.merge_outputs(*outputs).global_args(
        "-nostdin", "-hide_banner", "-loglevel", "error", "-nostats", "-progress", "pipe:1"
    )
    return command.overwrite_output().compile(cmd=ffmpeg_binary)


TRUE_PEAK_OVERSAMPLED_RATE = 176400  # 4x 44.1 kHz, as BS.1770's true-peak meter


def build_loudness_command(
    ffmpeg_binary: str,
    path: Path,
    demuxer: str | None = None,
    channels: int | None = None,
    *,
    true_peak: bool = True,
) -> list[str]:
    """argv measuring EBU R128 integrated loudness (``ebur128`` summary on stderr) and the peak.

    With ``true_peak`` the peak is read from a 4x oversampled copy (``volumedetect``'s
    max_volume), which matches ``ebur128=peak=true`` within 0.1 dB at about two thirds of its
    cost; otherwise ``ebur128`` reports the sample peak. With ``channels``, the audio is first
    mixed to that layout exactly as the transcode does, so a 5.1 source is measured as the
    stereo listeners will hear.
    """
    argv = [ffmpeg_binary, "-nostdin", "-hide_banner", "-nostats", "-protocol_whitelist", "file"]
    if demuxer:
        argv += ["-f", demuxer]
    argv += ["-i", f"file:{path}"]
    layout = ""
    if channels:
        layout = f"aformat=channel_layouts={'mono' if channels == 1 else 'stereo'},"
    if true_peak:
        graph = (
            f"[0:a:0]{layout}asplit=2[loudness][peak];"
            "[loudness]ebur128=framelog=quiet,anullsink;"
            f"[peak]aresample={TRUE_PEAK_OVERSAMPLED_RATE}:filter_size=16,volumedetect[out]"
        )
    else:
        graph = f"[0:a:0]{layout}ebur128=framelog=quiet:peak=sample[out]"
    return [*argv, "-filter_complex", graph, "-map", "[out]", "-f", "null", "-"]
