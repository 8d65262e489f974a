import factory

from media_pipeline.models import (
    MediaFile,
    MediaKind,
    MediaRendition,
    RenditionStatus,
    SourceStatus,
)
from media_pipeline.specs import PODCAST_MP3_SPEC


class MediaFileFactory(factory.django.DjangoModelFactory):
    """A stored source file that is not real media: for listings, not for transcoding."""

    title = factory.Sequence(lambda n: f"Folge {n}")
    file = factory.django.FileField(filename="folge.wav", data=b"RIFF-not-really-audio")
    kind = MediaKind.AUDIO
    duration = 125.0
    file_size = 21
    file_hash = factory.Sequence(lambda n: f"{n:064x}")
    source_status = SourceStatus.READY

    class Meta:
        model = MediaFile


class MediaRenditionFactory(factory.django.DjangoModelFactory):
    media_file = factory.SubFactory(MediaFileFactory)
    spec = PODCAST_MP3_SPEC
    status = RenditionStatus.PENDING
    source_hash = factory.SelfAttribute("media_file.file_hash")

    class Meta:
        model = MediaRendition


def make_speech_draft(media_file, webvtt: str, transcript: dict | None = None):
    """Draft captions (and a JSON transcript with word probabilities) of speech recognition
    for ``media_file``, stored as the speech batch stores them, without running it."""
    import json

    from media_pipeline.specs import SPEECH_JSON_SPEC, SPEECH_VTT_SPEC
    from media_pipeline.subtitles import load_text_track

    words = " ".join(cue.text for cue in load_text_track(webvtt.encode("utf-8")).cues)
    files = [(SPEECH_VTT_SPEC, "speech.vtt", webvtt, words)]
    if transcript is not None:
        files.append((SPEECH_JSON_SPEC, "speech.json", json.dumps(transcript), ""))
    for spec, name, text, words in files:
        MediaRenditionFactory(
            media_file=media_file,
            spec=spec,
            batch="speech",
            status=RenditionStatus.READY,
            file=factory.django.FileField(filename=name, data=text.encode("utf-8")),
            text=words,
        )
