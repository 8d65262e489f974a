"""Demo “Kurz erklärt” for ``load_demo_content``: two German explainer videos and a glossary,
with their English translations (English texts and captions over the same videos).

The videos are generated locally (ffmpeg's ``testsrc2``; no downloads): one landscape 1080p,
one portrait as phones record it (landscape pixels with rotation metadata). Where espeak-ng
is installed (and ``DEMO_VIDEOS_SPEAK`` is on) they say their German captions' lines and last
as long as the speech, with captions at the spoken times, so speech recognition has something
to draft; otherwise they are 6 s of tone.
They go through the real pipeline (``create_media_file`` enqueues their renditions), so the
pages show “being processed” until the demo's worker has rendered them. Idempotent.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import wave
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.images import ImageFile
from wagtail.models import Locale

from cms.core.demo_images import draw_text, png_bytes
from cms.core.demo_speech import WORDS_PER_MINUTE, espeak_binary, speak_lines
from cms.images.models import CustomImage
from cms.people.models import Person
from media_pipeline.binaries import ffmpeg_path
from media_pipeline.uploads import create_media_file

from .models import (
    ExplainerVideoIndexPage,
    ExplainerVideoPage,
    GlossaryPage,
    GlossaryTerm,
    VideoKeyTerm,
    VideoTextTrack,
)

INDEX = {
    "title": "Kurz erklärt",
    "slug": "kurz-erklaert",
    "show_in_menus": True,
    "search_description": "Erklärvideos: Begriffe der Digitalisierung in wenigen Minuten.",
    "intro": (
        "Schlüsselbegriffe der Digitalisierung in wenigen Minuten erklärt – für kleine und "
        "mittlere Unternehmen, mit Untertiteln und Transkript."
    ),
    "owner_name": "Mittelstand-Digital Zentrum (Demo)",
    "owner_email": "video@example.org",
    "author": "Mittelstand-Digital Zentrum (Demo)",
    "category": "Education",
    "copyright": "© Mittelstand-Digital Zentrum (Demo), CC BY 4.0",
}

TERMS = [
    ("Cloud", "cloud", "Rechenleistung und Speicherplatz, die über das Internet gemietet werden.",
     "Cloud-Computing\nWolke"),
    ("Rechenzentrum", "rechenzentrum", "Ein Gebäude, in dem viele Server sicher betrieben werden.",
     "Rechenzentren"),
    ("Datensicherung", "datensicherung", "Eine Kopie wichtiger Daten, um sie wiederherstellen zu "
     "können.", "Backup\nBackups"),
    ("Zwei-Faktor-Authentisierung", "zwei-faktor-authentisierung",
     "Anmeldung mit Passwort und einem zweiten Nachweis, etwa einem Code auf dem Handy.",
     "2FA\nZwei-Faktor-Authentifizierung"),
    ("Phishing", "phishing", "Gefälschte Nachrichten, die Zugangsdaten abgreifen sollen.", ""),
]  # fmt: skip

VIDEOS = [
    {
        "title": "Was ist eine Cloud?",
        "slug": "was-ist-eine-cloud",
        "summary": (
            "Was bedeutet Cloud für ein kleines Unternehmen? Wir erklären, wo die Daten "
            "liegen, was ein Rechenzentrum leistet und warum eine Datensicherung trotzdem "
            "wichtig bleibt."
        ),
        "terms": ["cloud", "rechenzentrum", "datensicherung"],
        "size": "1920x1080",
        "rotate": 0,
        "german": [
            "Was ist eigentlich eine Cloud?",
            "Die Cloud ist ein Rechenzentrum, das Sie über das Internet nutzen.",
            "Ihre Daten liegen dann nicht mehr nur im eigenen Büro.",
            "Eine Datensicherung brauchen Sie trotzdem.",
        ],
        "english": [
            "What is a cloud, actually?",
            "The cloud is a data centre you use over the internet.",
            "Your data no longer sits only in your own office.",
            "You still need a backup.",
        ],
    },
    {
        "title": "Zwei-Faktor-Authentisierung in 30 Sekunden",
        "slug": "zwei-faktor-authentisierung",
        "summary": (
            "Ein Passwort allein schützt nicht vor Phishing. Mit Zwei-Faktor-Authentisierung "
            "braucht ein Angreifer zusätzlich Ihr Handy – hochkant gefilmt, wie am Telefon."
        ),
        "terms": ["zwei-faktor-authentisierung", "phishing"],
        "size": "1280x720",
        "rotate": 90,
        "german": [
            "Passwörter werden oft durch Phishing gestohlen.",
            "Zwei-Faktor-Authentisierung hilft dagegen.",
            "Zum Passwort kommt ein Code auf Ihrem Handy.",
            "Schalten Sie 2FA überall ein, wo es geht.",
        ],
        "english": [
            "Passwords are often stolen by phishing.",
            "Two-factor authentication helps against it.",
            "A code on your phone comes on top of the password.",
            "Switch on 2FA wherever you can.",
        ],
    },
]

INDEX_EN = {
    "title": "Explained in brief",
    "slug": "explained",
    "search_description": "Explainer videos: terms of digitalisation in a few minutes.",
    "intro": (
        "Key terms of digitalisation explained in a few minutes – for small and medium-sized "
        "companies, with captions and transcript."
    ),
}
GLOSSARY_EN = {
    "title": "Key terms",
    "slug": "key-terms",
    "intro": "The most important terms from our explainer videos, from A to Z.",
}
TERMS_EN = {
    "cloud": ("Cloud", "Computing power and storage rented over the internet.",
              "cloud computing"),
    "rechenzentrum": ("Data centre", "A building in which many servers are run safely.",
                      "data centres\ndata center"),
    "datensicherung": ("Backup", "A copy of important data, so that it can be restored.",
                       "backups"),
    "zwei-faktor-authentisierung": (
        "Two-factor authentication",
        "Signing in with a password and a second proof, such as a code on your phone.",
        "2FA\ntwo-step verification",
    ),
    "phishing": ("Phishing", "Fake messages meant to steal login details.", ""),
}  # fmt: skip
VIDEOS_EN = {
    "was-ist-eine-cloud": (
        "What is a cloud?",
        "what-is-a-cloud",
        "What does the cloud mean for a small company? We explain where the data lives, what "
        "a data centre does and why a backup still matters.",
    ),
    "zwei-faktor-authentisierung": (
        "Two-factor authentication in 30 seconds",
        "two-factor-authentication",
        "A password alone does not protect against phishing. With two-factor authentication "
        "an attacker also needs your phone – filmed upright, as on a phone.",
    ),
}

SECONDS = 6
PRESENTER = "Dr. Miriam Keller"


def ensure_demo_videos(home) -> ExplainerVideoIndexPage:
    index = ExplainerVideoIndexPage.objects.child_of(home).filter(slug=INDEX["slug"]).first()
    if index is None:
        index = home.add_child(
            instance=ExplainerVideoIndexPage(locale=home.locale, artwork=_artwork(), **INDEX)
        )
        index.save_revision().publish()
    if not GlossaryPage.objects.child_of(index).exists():
        glossary = index.add_child(
            instance=GlossaryPage(
                locale=home.locale,
                title="Schlüsselbegriffe",
                slug="schluesselbegriffe",
                intro="Die wichtigsten Begriffe aus unseren Erklärvideos, von A bis Z.",
            )
        )
        glossary.save_revision().publish()
    for term, slug, definition, synonyms in TERMS:
        GlossaryTerm.objects.get_or_create(
            slug=slug,
            locale=home.locale,
            defaults={"term": term, "short_definition": definition, "synonyms": synonyms},
        )
    for number, data in enumerate(VIDEOS, start=1):
        if not ExplainerVideoPage.objects.child_of(index).filter(slug=data["slug"]).exists():
            _add_video(index, number, data)
    english = Locale.objects.filter(language_code="en").first()
    if english is not None:
        _ensure_english(index, english)
    return index


def _ensure_english(index, english) -> None:
    """English index, glossary, key terms and video pages (the same videos, with English
    captions and transcript)."""
    english_terms = {}
    for term in GlossaryTerm.objects.filter(locale=index.locale):
        translated = term.get_translation_or_none(english)
        if translated is None and term.slug in TERMS_EN:
            translated = term.copy_for_translation(english)
            translated.term, translated.short_definition, translated.synonyms = TERMS_EN[term.slug]
            translated.save()
        if translated is not None:
            english_terms[term.pk] = translated
    english_index = index.get_translations().filter(locale=english).first()
    if english_index is None:
        english_index = index.copy_for_translation(english)
        for name, value in INDEX_EN.items():
            setattr(english_index, name, value)
        english_index.save_revision().publish()
    glossary = GlossaryPage.objects.child_of(index).first()
    if glossary is not None and not glossary.get_translations().filter(locale=english).exists():
        translated = glossary.copy_for_translation(english)
        for name, value in GLOSSARY_EN.items():
            setattr(translated, name, value)
        translated.save_revision().publish()
    for video in ExplainerVideoPage.objects.child_of(index).filter(slug__in=VIDEOS_EN):
        if video.get_translations().filter(locale=english).exists():
            continue
        data = next(item for item in VIDEOS if item["slug"] == video.slug)
        translated = video.copy_for_translation(english)
        translated.title, translated.slug, translated.summary = VIDEOS_EN[video.slug]
        translated.transcript = "\n\n".join(data["english"])
        links = list(translated.key_term_links.all())
        for link in links:
            link.term = english_terms.get(link.term_id, link.term)
        translated.key_term_links = links
        translated.presenters = [
            person.get_translation_or_none(english) or person for person in video.presenters.all()
        ]
        translated.save_revision().publish()


def _add_video(index, number: int, data: dict) -> None:
    with tempfile.TemporaryDirectory(prefix="lernfunk-demo-") as folder:
        path = Path(folder) / f"kurz-erklaert-{number}.mp4"
        times = generate_video(path, data, seed=number)
        with path.open("rb") as handle:
            media = create_media_file(File(handle, name=path.name), title=data["title"])
    tracks = [
        VideoTextTrack(kind="captions", language="de", webvtt=_webvtt(data["german"], times))
    ]
    if data["english"]:
        tracks.append(
            VideoTextTrack(kind="captions", language="en", webvtt=_webvtt(data["english"], times))
        )
    page = index.add_child(
        instance=ExplainerVideoPage(
            locale=index.locale,
            title=data["title"],
            slug=data["slug"],
            summary=data["summary"],
            video=media,
            transcript="\n\n".join(data["german"]),
            text_tracks=tracks,
            live=False,
        )
    )
    terms = GlossaryTerm.objects.filter(slug__in=data["terms"], locale=index.locale)
    by_slug = {term.slug: term for term in terms}
    page.key_term_links = [
        VideoKeyTerm(term=by_slug[slug], sort_order=position)
        for position, slug in enumerate(data["terms"])
        if slug in by_slug
    ]
    presenter = Person.objects.filter(name=PRESENTER, locale=index.locale).first()
    if presenter:
        page.presenters.set([presenter])
    page.save_revision().publish()


def _webvtt(lines: list[str], times: list[tuple[float, float]]) -> str:
    cues = ["WEBVTT", ""]
    for (start, end), text in zip(times, lines, strict=False):
        cues += [f"{_clock(start)} --> {_clock(end)}", text, ""]
    return "\n".join(cues)


def _even_times(count: int) -> list[tuple[float, float]]:
    """The tone clip's captions: ``SECONDS`` shared evenly."""
    step = SECONDS / count
    return [(number * step, (number + 1) * step - 0.1) for number in range(count)]


def _clock(seconds: float) -> str:
    millis = round(seconds * 1000)
    minutes, rest = divmod(millis, 60_000)
    return f"00:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def generate_video(path: Path, data: dict, seed: int) -> list[tuple[float, float]]:
    """Write the demo video of ``data`` to ``path``; return (start, end) of each caption line.

    With espeak-ng (and ``DEMO_VIDEOS_SPEAK``) the German lines are spoken one after the other
    and the picture lasts as long as the speech; else a tone of ``SECONDS``. ``rotate``
    becomes the display matrix, as phones write it (the mp4 muxer only writes it when copying
    the stream, hence a second step).

    Encoding a 1080p clip is most of the demo's load time, so the generated file (and its
    caption times) is kept in ``var/cache/demo-media`` under a key of everything that shapes
    it (parameters, lines, the ffmpeg and espeak-ng binaries) and copied from there the next
    time a fresh database is filled.
    """
    size, rotate, lines = data["size"], data["rotate"], data["german"]
    espeak = espeak_binary() if settings.DEMO_VIDEOS_SPEAK else None
    binaries = [ffmpeg_path(), *([espeak] if espeak else [])]
    shaping = (
        size, rotate, seed, SECONDS, lines if espeak else None, WORDS_PER_MINUTE,
        [(binary, Path(binary).stat().st_size) for binary in binaries],
    )  # fmt: skip
    key = hashlib.sha256(repr(shaping).encode()).hexdigest()[:24]
    cached = Path(settings.VAR_DIR) / "cache" / "demo-media" / f"video-{key}.mp4"
    timing = cached.with_suffix(".json")
    if cached.exists() and timing.exists():
        shutil.copyfile(cached, path)
        return [tuple(pair) for pair in json.loads(timing.read_text())]
    speech = path.with_suffix(".wav")
    spoken = speak_lines(speech, lines) if espeak else None
    if spoken:
        times = [(start, end) for start, end, _line in spoken]
        with wave.open(str(speech), "rb") as handle:
            seconds = handle.getnframes() / handle.getframerate()
        _encode_video(path, size, rotate, seconds, ["-i", str(speech)])
    else:
        times = _even_times(len(lines))
        sine = f"sine=frequency={330 + 110 * seed}:duration={SECONDS}"
        _encode_video(path, size, rotate, SECONDS, ["-f", "lavfi", "-i", sine])
    cached.parent.mkdir(parents=True, exist_ok=True)
    # The times first, each atomic: parallel runs never see half a file or a clip without them.
    _write_atomically(timing, lambda partial: partial.write_text(json.dumps(times)))
    _write_atomically(cached, lambda partial: shutil.copyfile(path, partial))
    return times


def _write_atomically(target: Path, write) -> None:
    partial = target.with_name(f"{target.name}.{os.getpid()}.part")
    write(partial)
    partial.replace(target)


def _encode_video(path: Path, size: str, rotate: int, seconds: float, sound: list[str]) -> None:
    encoded = path.with_suffix(".encoded.mp4") if rotate else path
    _ffmpeg(
        "-f", "lavfi", "-i", f"testsrc2=size={size}:rate=25:duration={seconds}", *sound,
        "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "96k", "-shortest", "-movflags", "+faststart", str(encoded),
    )  # fmt: skip
    if rotate:
        _ffmpeg(
            "-i", str(encoded), "-c", "copy", "-metadata:s:v:0", f"rotate={rotate}",
            "-movflags", "+faststart", str(path),
        )  # fmt: skip


def _ffmpeg(*args: str) -> None:
    subprocess.run(
        [ffmpeg_path(), "-v", "error", "-nostdin", "-y", *args], check=True, timeout=120
    )


def _artwork() -> CustomImage:
    title = "Cover Kurz erklärt (Demo)"
    existing = CustomImage.objects.filter(title=title).first()
    if existing:
        return existing
    from PIL import Image, ImageDraw

    canvas = Image.new("RGB", (1400, 1400), (7, 55, 99))
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((110, 300, 1290, 960), outline=(255, 191, 71), width=24)
    draw.polygon([(600, 480), (600, 780), (860, 630)], fill=(255, 191, 71))
    draw_text(draw, (110, 1020), "Kurz erklärt", 150, bold=True, fill="white")
    draw_text(draw, (110, 1210), "Erklärvideos (Demo)", 64, fill="white")
    buffer = png_bytes(canvas)
    image = CustomImage(title=title, credit="Demo")
    image.file = ImageFile(buffer, name="kurz-erklaert-cover.png")
    image.save()
    return image
