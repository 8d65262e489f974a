"""Real ffmpeg on generated media, through the services the workers run."""

import json
import struct

import pytest
from django.core.files import File

from media_pipeline import services, uploads
from media_pipeline.exceptions import MediaRejectedError, TranscodeError
from media_pipeline.loudness import measure_loudness
from media_pipeline.models import MediaRendition, RenditionStatus
from media_pipeline.probe import probe_media
from media_pipeline.specs import PODCAST_AAC_SPEC, PODCAST_MP3_SPEC, WAVEFORM_SPEC

pytestmark = pytest.mark.django_db


def import_file(path, title="Test"):
    with path.open("rb") as handle:
        return uploads.create_media_file(File(handle, name=path.name), title=title)


def process_all(media_file):
    for rendition in media_file.renditions.order_by("pk"):
        try:
            services.transcode_rendition(rendition.pk)
        except TranscodeError as exc:
            services.mark_rendition_failed(rendition.pk, exc.message, exc.detail)
    return {r.spec: r for r in media_file.renditions.all()}


def local_copy(rendition, tmp_path):
    target = tmp_path / f"check-{rendition.pk}.{rendition.file.name.rsplit('.', 1)[-1]}"
    with rendition.file.open("rb") as source:
        target.write_bytes(source.read())
    return target


def top_level_boxes(path):
    boxes, data, offset = [], path.read_bytes(), 0
    while offset + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[offset : offset + 8])
        boxes.append(kind.decode("latin-1"))
        if size == 1:
            size = struct.unpack(">Q", data[offset + 8 : offset + 16])[0]
        if size < 8:
            break
        offset += size
    return boxes


def assert_podcast_loudness(rendition, target):
    assert rendition.status == RenditionStatus.READY, rendition.error_detail
    assert abs(rendition.loudness_lufs - target) <= 1.0
    assert rendition.true_peak_dbtp <= -1.0


def test_stereo_48k_source_becomes_normalised_mp3_and_m4a(speech_like_stereo, tmp_path):
    media_file = import_file(speech_like_stereo)
    renditions = process_all(media_file)
    mp3, m4a = renditions[PODCAST_MP3_SPEC], renditions[PODCAST_AAC_SPEC]
    for rendition in (mp3, m4a):
        assert_podcast_loudness(rendition, -16.0)
        assert abs(rendition.duration - media_file.duration) <= 0.1
        # Measured again independently on the stored file, not trusted from the row.
        measured = measure_loudness(local_copy(rendition, tmp_path), timeout=60)
        assert abs(measured.integrated_lufs - rendition.loudness_lufs) < 0.05
    mp3_info = probe_media(local_copy(mp3, tmp_path))
    assert (mp3_info.channels, mp3_info.sample_rate) == (2, 44100)
    assert mp3.mime_type == "audio/mpeg" and m4a.mime_type == "audio/mp4"


def test_mp3_is_constant_bitrate(speech_like_stereo, tmp_path):
    mp3 = process_all(import_file(speech_like_stereo))[PODCAST_MP3_SPEC]
    path = local_copy(mp3, tmp_path)
    stream = probe_media(path).raw["streams"][0]
    assert stream["codec_name"] == "mp3"
    assert int(stream["bit_rate"]) == 128000
    # LAME marks CBR files with an "Info" tag (VBR ones say "Xing").
    head = path.read_bytes()[:4096]
    assert b"Info" in head and b"Xing" not in head


def test_m4a_has_its_index_before_the_media_data(speech_like_stereo, tmp_path):
    m4a = process_all(import_file(speech_like_stereo))[PODCAST_AAC_SPEC]
    boxes = top_level_boxes(local_copy(m4a, tmp_path))
    assert boxes[0] == "ftyp"
    assert boxes.index("moov") < boxes.index("mdat")


def test_mono_source_is_normalised_to_minus_19_and_stays_mono(mono_44k, tmp_path):
    renditions = process_all(import_file(mono_44k))
    mp3 = renditions[PODCAST_MP3_SPEC]
    assert_podcast_loudness(mp3, -19.0)
    info = probe_media(local_copy(mp3, tmp_path))
    assert info.channels == 1
    assert int(info.raw["streams"][0]["bit_rate"]) == 64000


def test_loud_surround_source_is_downmixed_and_peak_limited(hot_surround, tmp_path):
    renditions = process_all(import_file(hot_surround))
    for spec in (PODCAST_MP3_SPEC, PODCAST_AAC_SPEC):
        assert_podcast_loudness(renditions[spec], -16.0)
        assert probe_media(local_copy(renditions[spec], tmp_path)).channels == 2


def test_cover_art_never_becomes_a_video_rendition(mp3_with_cover_art, tmp_path):
    media_file = import_file(mp3_with_cover_art)
    assert media_file.kind == "audio"
    renditions = process_all(media_file)
    for spec in (PODCAST_MP3_SPEC, PODCAST_AAC_SPEC):
        info = probe_media(local_copy(renditions[spec], tmp_path))
        assert (info.audio_streams, info.video_streams, info.has_cover_art) == (1, 0, False)


def test_silence_is_kept_silent(make_media):
    silent = make_media("stille.wav", "-f", "lavfi", "-i", "anullsrc=r=44100:cl=stereo", "-t", "3")
    renditions = process_all(import_file(silent))
    mp3 = renditions[PODCAST_MP3_SPEC]
    assert mp3.status == RenditionStatus.READY
    assert mp3.loudness_lufs <= -70


def test_waveform_has_the_requested_number_of_peaks(speech_like_stereo):
    waveform = process_all(import_file(speech_like_stereo))[WAVEFORM_SPEC]
    assert waveform.mime_type == "application/json"
    with waveform.file.open("rb") as handle:
        peaks = json.load(handle)
    assert peaks["length"] == 1000 and len(peaks["data"]) == 2000
    assert all(-1 <= value <= 1 for value in peaks["data"])
    assert max(peaks["data"]) > 0.1  # there is signal, after normalisation


def test_requesting_twice_creates_one_rendition_and_encodes_once(speech_like_stereo):
    media_file = import_file(speech_like_stereo)
    first = services.request_rendition(media_file, PODCAST_MP3_SPEC)
    second = services.request_rendition(media_file, PODCAST_MP3_SPEC)
    assert first.pk == second.pk
    assert MediaRendition.objects.filter(media_file=media_file).count() == 3
    ready = services.transcode_rendition(first.pk)
    assert len(ready) == 3  # the whole audio batch came from one ffmpeg run
    first.refresh_from_db()
    finished_at = first.finished_at
    assert services.transcode_rendition(first.pk) == []
    first.refresh_from_db()
    assert first.finished_at == finished_at
    assert services.ensure_renditions(media_file) == []


def test_video_without_sound_gets_no_audio_renditions_and_a_clear_failure(make_media):
    silent_video = make_media(
        "stumm.mkv", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=10:duration=2", "-c:v", "ffv1"
    )
    media_file = import_file(silent_video)
    assert media_file.kind == "video"
    # The video profile, but nothing that needs sound (no audio-only AAC, no podcast audio).
    assert not media_file.renditions.filter(
        spec__in=[PODCAST_MP3_SPEC, PODCAST_AAC_SPEC, WAVEFORM_SPEC]
    ).exists()
    rendition = services.request_rendition(media_file, PODCAST_MP3_SPEC)
    renditions = process_all(media_file)
    rendition = renditions[PODCAST_MP3_SPEC]
    assert rendition.status == RenditionStatus.FAILED
    assert rendition.error == "Die Datei enthält keine Tonspur."


def test_truncated_mp3_is_refused_at_upload_with_its_own_message(
    speech_like_stereo, make_media, tmp_path
):
    full = make_media(
        "ganz.mp3", "-i", str(speech_like_stereo), "-c:a", "libmp3lame", "-b:a", "128k"
    )
    truncated = tmp_path / "abgeschnitten.mp3"
    truncated.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    # The LAME header still claims the full length: counted, not trusted.
    with pytest.raises(MediaRejectedError, match="incomplete|unvollständig"):
        import_file(truncated)
    assert not MediaRendition.objects.exists()


def test_retry_after_failure_works(speech_like_stereo):
    media_file = import_file(speech_like_stereo)
    rendition = media_file.renditions.get(spec=PODCAST_MP3_SPEC)
    services.mark_rendition_failed(rendition.pk, "Test")
    rendition.refresh_from_db()
    assert rendition.status == RenditionStatus.FAILED
    services.retry_rendition(rendition)
    assert services.transcode_rendition(rendition.pk)
    rendition.refresh_from_db()
    assert rendition.status == RenditionStatus.READY and rendition.error == ""


def test_replacing_the_source_rerenders_stale_renditions(speech_like_stereo, mono_44k):
    media_file = import_file(speech_like_stereo)
    process_all(media_file)
    with mono_44k.open("rb") as handle:
        media_file.file.save("ersatz.wav", File(handle), save=False)
    media_file.file_hash = "0" * 64
    media_file.save()
    requested = services.ensure_renditions(media_file)
    assert {r.spec for r in requested} == {PODCAST_MP3_SPEC, PODCAST_AAC_SPEC, WAVEFORM_SPEC}
    assert all(r.status == RenditionStatus.PENDING for r in requested)


def test_changed_default_specs_are_rendered_by_regenerate_command(speech_like_stereo, settings):
    import io

    from django.core.management import call_command

    media_file = import_file(speech_like_stereo)
    settings.MEDIA_DEFAULT_RENDITION_SPECS = {
        "audio": (PODCAST_MP3_SPEC, "aac|bitrate-128k|loudnorm", WAVEFORM_SPEC),
        "video": (),
    }
    out = io.StringIO()
    call_command("regenerate_media_renditions", stdout=out)
    assert "1 rendition(s) requested." in out.getvalue()
    assert "1 rendition(s) use specs that are no longer defaults" in out.getvalue()
    assert media_file.renditions.filter(spec="aac|bitrate-128k|loudnorm").exists()


def test_retry_refuses_a_rendition_that_is_being_processed(speech_like_stereo):
    media_file = import_file(speech_like_stereo)
    rendition = media_file.renditions.get(spec=PODCAST_MP3_SPEC)
    MediaRendition.objects.filter(pk=rendition.pk).update(status=RenditionStatus.PROCESSING)
    assert services.retry_rendition(rendition) is False
    rendition.refresh_from_db()
    assert rendition.status == RenditionStatus.PROCESSING


def test_oversampled_peak_matches_ebur128_true_peak(hot_surround, tmp_path):
    import re
    import subprocess

    from media_pipeline.binaries import ffmpeg_path

    mp3 = process_all(import_file(hot_surround))[PODCAST_MP3_SPEC]
    path = local_copy(mp3, tmp_path)
    reference = subprocess.run(
        [ffmpeg_path(), "-nostdin", "-hide_banner", "-nostats", "-i", str(path),
         "-af", "ebur128=peak=true:framelog=quiet", "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    ).stderr  # fmt: skip
    true_peak = float(re.findall(r"True peak:\s+Peak:\s+(-?[\d.]+) dBFS", reference)[-1])
    assert abs(mp3.true_peak_dbtp - true_peak) <= 0.3
    integrated = float(re.findall(r"I:\s+(-?[\d.]+) LUFS", reference)[-1])
    assert abs(mp3.loudness_lufs - integrated) <= 0.1


def test_two_halves_give_the_loudness_of_one_pass(make_media):
    from media_pipeline import loudness

    long = make_media(
        "lang.wav", "-f", "lavfi", "-i",
        "anoisesrc=color=pink:amplitude=0.1:duration=130:seed=5:sample_rate=44100",
        "-af", "volume='if(lt(mod(t,9),6),1,0.05)':eval=frame", "-ac", "2",
    )  # fmt: skip
    one_pass = measure_loudness(long, timeout=60, demuxer="wav", channels=2, true_peak=False)
    halves = loudness.measure_source_loudness(
        long, duration=130.0, timeout=60, demuxer="wav", channels=2
    )
    assert abs(halves.integrated_lufs - one_pass.integrated_lufs) <= 0.1
    assert halves.true_peak_dbtp == one_pass.true_peak_dbtp


def test_gating_of_blocks_follows_bs1770():
    from media_pipeline.loudness import integrated_from_blocks

    assert integrated_from_blocks([]) == -70.0
    assert integrated_from_blocks([-80.0, -90.0]) == -70.0
    # Blocks 10 LU or more below the ungated mean are left out; silence never counts.
    assert integrated_from_blocks([-20.0, -20.0, -45.0, -100.0]) == pytest.approx(-20.0)


def test_a_failing_process_stops_its_fifo_partner(tmp_path):
    import os
    import time

    from media_pipeline.runner import run_bounded_many

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    started = time.monotonic()
    results = run_bounded_many(
        [["sh", "-c", "exit 3"], ["sh", "-c", f"cat {fifo}"]], timeout=30, fail_fast=True
    )
    assert time.monotonic() - started < 10
    assert results[0].returncode == 3 and results[1].returncode < 0


@pytest.mark.parametrize("niceness", [10, 0])
def test_encoders_run_nicer_than_the_worker(settings, niceness):
    """What an operator sees in ``top``: ffmpeg at MEDIA_PROCESS_NICE, so a busy worker never
    starves the web process, heartbeats or a worker that is booting after a restart."""
    import os

    from media_pipeline.runner import run_bounded

    settings.MEDIA_PROCESS_NICE = niceness
    result = run_bounded(["nice"], timeout=10)  # prints the process's own niceness
    assert result.returncode == 0
    assert int(result.stdout.strip()) == min(19, os.nice(0) + niceness)


def test_peaks_between_samples_are_limited_though_the_samples_stay_under_the_ceiling(
    make_media,
):
    """A 12 kHz burst at 48 kHz sampled at 45° of its phase: every sample is 3 dB under the
    wave's crest. After the gain its samples stay under the limiter's ceiling, so a decision
    made on the source's sample peak alone would leave it unlimited; the encoded outputs
    would then peak above -1 dBTP (measured: 0.0 and +0.4 dBTP)."""
    burst = "lt(mod(t\\,1.5)\\,0.004)"
    source = make_media(
        "zwischenspitzen.wav", "-f", "lavfi", "-i",
        f"aevalsrc='0.05*sin(2*PI*1000*t)*(1-{burst})"
        f"+0.34*sin(2*PI*12000*t+PI/4)*{burst}':s=48000:d=6:c=stereo",
        "-c:a", "pcm_s16le",
    )  # fmt: skip
    measured = measure_loudness(source, timeout=60, true_peak=False)
    assert measured.true_peak_dbtp + (-16.0 - measured.integrated_lufs) < -2.0
    renditions = process_all(import_file(source))
    for spec in (PODCAST_MP3_SPEC, PODCAST_AAC_SPEC):
        assert_podcast_loudness(renditions[spec], -16.0)


def test_a_recording_with_headroom_keeps_its_peaks(speech_like_stereo, tmp_path):
    """Normalising a recording whose peaks stay under the ceiling is a plain gain: the
    distance between its peaks and its loudness is what it was."""
    source = measure_loudness(speech_like_stereo, timeout=60, channels=2)
    mp3 = process_all(import_file(speech_like_stereo))[PODCAST_MP3_SPEC]
    assert_podcast_loudness(mp3, -16.0)
    assert source.true_peak_dbtp + (-16.0 - source.integrated_lufs) < -2.0
    source_ratio = source.true_peak_dbtp - source.integrated_lufs
    assert abs((mp3.true_peak_dbtp - mp3.loudness_lufs) - source_ratio) <= 0.5


def test_waveform_of_a_long_recording_shows_what_listeners_hear(make_media, tmp_path):
    """Long recordings are measured in two halves, and the waveform is drawn from that
    decode before the gain is known: it must still match the stored MP3, seam included."""
    import subprocess

    from media_pipeline.binaries import ffmpeg_path
    from media_pipeline.ffmpeg_commands import WAVEFORM_SAMPLE_RATE
    from media_pipeline.waveform import compute_peaks

    long = make_media(
        "lang.wav", "-f", "lavfi", "-i",
        "aevalsrc='0.02*(1+floor(mod(t\\,10)))*sin(2*PI*440*t)':s=48000:d=125:c=stereo",
    )  # fmt: skip
    renditions = process_all(import_file(long))
    with renditions[WAVEFORM_SPEC].file.open("rb") as handle:
        shown = json.load(handle)
    heard, mp3 = tmp_path / "heard.pcm", local_copy(renditions[PODCAST_MP3_SPEC], tmp_path)
    subprocess.run(
        [ffmpeg_path(), "-v", "error", "-i", str(mp3),
         "-af", f"pan=mono|c0<c0+c1,aresample={WAVEFORM_SAMPLE_RATE}", "-f", "s16le", str(heard)],
        check=True,
    )  # fmt: skip
    expected = compute_peaks(heard, shown["length"])
    assert len(shown["data"]) == len(expected["data"]) == 2000
    assert max(abs(a - b) for a, b in zip(shown["data"], expected["data"], strict=True)) < 0.03


def test_a_loudness_measurement_that_fails_is_reported_in_the_editors_language(tmp_path):
    from django.utils import translation

    not_audio = tmp_path / "kaputt.wav"
    not_audio.write_bytes(b"RIFF\x00\x00\x00\x00WAVEfmt " + b"\x00" * 64)

    with translation.override("de"), pytest.raises(TranscodeError) as caught:
        measure_loudness(not_audio, timeout=30)

    assert str(caught.value.message) == "Die Lautheit der Aufnahme konnte nicht gemessen werden."
