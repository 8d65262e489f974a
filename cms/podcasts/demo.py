"""Demo podcast for ``load_demo_content``: a German show with three practice stories, and
its English translation (the same German audio, described in English; one feed).

The audio is generated locally (a speech-like tone bed: no voices, no downloads) and goes
through the real pipeline: ``create_media_file`` stores it and enqueues its renditions, which
the demo's Celery worker then renders.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import tempfile
from pathlib import Path

from django.core.files import File
from django.core.files.images import ImageFile
from wagtail.models import Locale

from cms.core.demo_images import draw_text, png_bytes
from cms.core.demo_speech import speak_at
from cms.images.models import CustomImage
from cms.people.models import Person
from media_pipeline.binaries import ffmpeg_path
from media_pipeline.uploads import create_media_file

from .models import (
    EpisodeChapter,
    EpisodePerson,
    PodcastEpisodePage,
    PodcastShowPage,
    ShowHost,
    ShowSubscribeLink,
    SubscribePlatform,
)

SHOW = {
    "title": "Smarter Mittelstand",
    "slug": "podcast",
    "show_in_menus": True,
    "search_description": (
        "Der Podcast mit Praxisgeschichten: Wie kleine und mittlere Unternehmen die "
        "Digitalisierung anpacken."
    ),
    "subtitle": "Praxisgeschichten aus kleinen und mittleren Unternehmen",
    "description": (
        "<p>Wie digitalisieren Tischlereien, Logistiker und Lebensmittelhersteller ihren "
        "Alltag? In <b>Smarter Mittelstand</b> erzählen Unternehmerinnen und Unternehmer, "
        "was funktioniert hat – und was nicht.</p><p>Ein Angebot des Mittelstand-Digital "
        "Zentrums (Demo).</p>"
    ),
    "owner_name": "Mittelstand-Digital Zentrum (Demo)",
    "owner_email": "podcast@example.org",
    "author": "Mittelstand-Digital Zentrum (Demo)",
    "category_1": "Business › Management",
    "category_2": "Technology",
    "copyright": "© Mittelstand-Digital Zentrum (Demo), CC BY 4.0",
}

# Placeholders in the directories' URL formats: a centre enters its show's real addresses.
SUBSCRIBE_LINKS = [
    (
        SubscribePlatform.APPLE,
        "https://podcasts.apple.com/de/podcast/smarter-mittelstand/id0000000000",
    ),
    (SubscribePlatform.SPOTIFY, "https://open.spotify.com/show/0000000000000000000000"),
]

EPISODES = [
    {
        "title": "Die Tischlerei ohne Zettelwirtschaft",
        "slug": "tischlerei-ohne-zettelwirtschaft",
        "summary": (
            "Eine Tischlerei mit 14 Beschäftigten plant Aufträge heute digital. Inhaber Jonas "
            "Albrecht erzählt, wie das Team mitgezogen hat."
        ),
        "guest": "Jonas Albrecht",
        "chapters": [(0, "Begrüßung"), (20, "Die Ausgangslage"), (45, "Was sich geändert hat")],
        "seconds": 75,
    },
    {
        "title": "Datenschutz im Kundenservice",
        "slug": "datenschutz-im-kundenservice",
        "summary": (
            "Was dürfen kleine Unternehmen mit Kundendaten tun? Sabine Reuter erklärt die "
            "wichtigsten Regeln der DSGVO an einem Beispiel aus dem Handel."
        ),
        "guest": "Sabine Reuter",
        "chapters": [(0, "Begrüßung"), (25, "Die drei wichtigsten Regeln"), (50, "Fazit")],
        "seconds": 70,
    },
    {
        "title": "Künstliche Intelligenz in der Produktion",
        "slug": "ki-in-der-produktion",
        "summary": (
            "Ein Lebensmittelhersteller prüft Verpackungen mit Kameras und KI. Was hat es "
            "gekostet, was bringt es?"
        ),
        "guest": "Jonas Albrecht",
        "chapters": [(0, "Begrüßung"), (15, "Das Problem"), (40, "Die Lösung"), (60, "Kosten")],
        "seconds": 80,
    },
]

HOST = "Dr. Miriam Keller"

SHOW_EN = {
    "search_description": (
        "The podcast of practice stories: how small and medium-sized companies tackle "
        "digitalisation."
    ),
    "subtitle": "Practice stories from small and medium-sized companies (in German)",
    "description": (
        "<p>How do joiners, logistics firms and food producers digitalise their daily work? "
        "In <b>Smarter Mittelstand</b>, business owners tell what worked and what did not. "
        "The episodes are in German; every episode has a transcript.</p><p>An offer of the "
        "Mittelstand-Digital Centre (demo).</p>"
    ),
}

# English title, slug, summary and chapter titles of each episode, in the order of EPISODES.
EPISODES_EN = [
    {
        "title": "The joinery without paper chaos",
        "slug": "joinery-without-paper-chaos",
        "summary": (
            "A joinery with 14 employees now plans its orders digitally. Owner Jonas Albrecht "
            "tells how the team came along."
        ),
        "chapters": ["Welcome", "Where they started", "What has changed"],
    },
    {
        "title": "Data protection in customer service",
        "slug": "data-protection-in-customer-service",
        "summary": (
            "What may small companies do with customer data? Sabine Reuter explains the most "
            "important GDPR rules with an example from retail."
        ),
        "chapters": ["Welcome", "The three most important rules", "Summary"],
    },
    {
        "title": "Artificial intelligence in production",
        "slug": "ai-in-production",
        "summary": (
            "A food producer checks packaging with cameras and AI. What did it cost, what "
            "does it bring?"
        ),
        "chapters": ["Welcome", "The problem", "The solution", "Costs"],
    },
]


def ensure_demo_podcast(home) -> PodcastShowPage:
    show = PodcastShowPage.objects.child_of(home).filter(slug=SHOW["slug"]).first()
    if show is None:
        show = home.add_child(
            instance=PodcastShowPage(locale=home.locale, artwork=_artwork(), **SHOW)
        )
        host = Person.objects.filter(name=HOST, locale=home.locale).first()
        if host:
            ShowHost.objects.create(page=show, person=host, role="host")
        for platform, url in SUBSCRIBE_LINKS:
            ShowSubscribeLink.objects.create(page=show, platform=platform, url=url)
        show.save_revision().publish()
    for number, data in enumerate(EPISODES, start=1):
        if not PodcastEpisodePage.objects.child_of(show).filter(slug=data["slug"]).exists():
            _add_episode(show, number, data)
    english = Locale.objects.filter(language_code="en").first()
    if english is not None:
        _ensure_english(show, english)
    return show


def _ensure_english(show, english) -> None:
    """The English show page and episodes: English titles, summaries and chapters over the
    same German audio and transcript (marked German on the page); the English page
    subscribes to the show's one feed."""
    english_show = show.get_translations().filter(locale=english).first()
    if english_show is None:
        english_show = show.copy_for_translation(english)
        for name, value in SHOW_EN.items():
            setattr(english_show, name, value)
        english_show.hosts = _translate_people(english_show.hosts.all(), english)
        english_show.save_revision().publish()
    for episode, data in zip(
        PodcastEpisodePage.objects.child_of(show).order_by("episode_number"),
        EPISODES_EN,
        strict=False,
    ):
        if episode.get_translations().filter(locale=english).exists():
            continue
        translated = episode.copy_for_translation(english)
        translated.title, translated.slug, translated.summary = (
            data["title"],
            data["slug"],
            data["summary"],
        )
        translated.show_notes = (
            f"<p>{data['summary']}</p><p>More on the topic in our self-learning units.</p>"
        )
        chapters = list(translated.chapters.all())
        for chapter, title in zip(chapters, data["chapters"], strict=False):
            chapter.title = title
        translated.chapters = chapters
        translated.persons = _translate_people(translated.persons.all(), english)
        translated.save_revision().publish()


def _translate_people(rows, english) -> list:
    """The copied person rows, pointing at the people's English snippets."""
    rows = list(rows)
    for row in rows:
        row.person = row.person.get_translation_or_none(english) or row.person
    return rows


def _add_episode(show, number: int, data: dict) -> None:
    host = Person.objects.filter(name=HOST, locale=show.locale).first()
    guest = Person.objects.filter(name=data["guest"], locale=show.locale).first()
    with tempfile.TemporaryDirectory(prefix="lernfunk-demo-") as folder:
        path = Path(folder) / f"folge-{number}.wav"
        # The transcript's sentences, spoken at its times (where espeak-ng is installed).
        cues = [(start, text) for start, _end, _who, text in _transcript_cues(data, host, guest)]
        if not speak_at(path, cues, data["seconds"]):
            _generate_speech_like(path, data["seconds"], seed=number)
        with path.open("rb") as handle:
            audio = create_media_file(File(handle, name=path.name), title=data["title"])
    episode = show.add_child(
        instance=PodcastEpisodePage(
            locale=show.locale,
            title=data["title"],
            slug=data["slug"],
            summary=data["summary"],
            show_notes=(
                f"<p>{data['summary']}</p><p>Mehr zum Thema in unseren Selbstlerneinheiten.</p>"
            ),
            audio=audio,
            episode_number=number,
            season_number=1,
            transcript=_transcript(data, host, guest),
            live=False,
        )
    )
    for start, title in data["chapters"]:
        EpisodeChapter.objects.create(page=episode, start=dt.timedelta(seconds=start), title=title)
    for person, role in ((host, "host"), (guest, "guest")):
        if person:
            EpisodePerson.objects.create(page=episode, person=person, role=role)
    episode.save_revision().publish()


def _transcript_cues(data: dict, host, guest) -> list[tuple[float, float, str, str]]:
    """(start, end, speaker, sentence) of the episode's transcript."""
    host_name = host.name if host else "Moderation"
    guest_name = guest.name if guest else "Gast"
    lines = [
        (host_name, f"Willkommen bei Smarter Mittelstand. Heute: {data['title']}."),
        (guest_name, "Danke für die Einladung. Bei uns hat alles mit einer Frage angefangen."),
        (host_name, "Welche Frage war das?"),
        (guest_name, "Wie wir weniger Zeit mit Suchen und mehr mit unserer Arbeit verbringen."),
        (host_name, "Und was hat sich seitdem geändert?"),
        (guest_name, "Wir planen gemeinsam, digital, und alle sehen denselben Stand."),
        (host_name, "Vielen Dank! Mehr dazu in den Shownotes."),
    ]
    step = data["seconds"] / len(lines)
    return [
        (index * step, (index + 1) * step - 0.5, speaker, text)
        for index, (speaker, text) in enumerate(lines)
    ]


def _transcript(data: dict, host, guest) -> str:
    cues = ["WEBVTT", ""]
    for start, end, speaker, text in _transcript_cues(data, host, guest):
        cues += [f"{_clock(start)} --> {_clock(end)}", f"<v {speaker}>{text}", ""]
    return "\n".join(cues)


def _clock(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def _generate_speech_like(path: Path, seconds: int, seed: int) -> None:
    """Pink noise shaped like speech (syllable envelope, pauses) over a quiet tone bed."""
    subprocess.run(
        [
            ffmpeg_path(), "-v", "error", "-nostdin", "-y",
            "-f", "lavfi", "-i",
            f"anoisesrc=color=pink:amplitude=0.2:duration={seconds}:seed={seed}:"
            "sample_rate=44100",
            "-f", "lavfi", "-i", f"sine=frequency=220:duration={seconds}:sample_rate=44100",
            "-filter_complex",
            "[0:a]volume='0.15+0.85*abs(sin(2*PI*3.3*t))*gt(mod(t,6),1)':eval=frame,"
            "lowpass=3500,highpass=120[voice];[1:a]volume=0.05[bed];"
            "[voice][bed]amix=inputs=2:normalize=0",
            "-ac", "2", "-c:a", "pcm_s16le", str(path),
        ],
        check=True,
        timeout=60,
    )  # fmt: skip


def _artwork() -> CustomImage:
    title = "Cover Smarter Mittelstand (Demo)"
    existing = CustomImage.objects.filter(title=title).first()
    if existing:
        return existing
    from PIL import Image, ImageDraw

    canvas = Image.new("RGB", (1400, 1400), (11, 83, 148))
    draw = ImageDraw.Draw(canvas)
    draw.ellipse((900, -200, 1700, 600), fill=(255, 191, 71))
    draw_text(draw, (110, 700), "Smarter\nMittelstand", 150, bold=True, fill="white", spacing=20)
    draw_text(draw, (110, 1150), "Der Praxis-Podcast (Demo)", 64, fill="white")
    buffer = png_bytes(canvas)
    image = CustomImage(title=title, credit="Demo")
    image.file = ImageFile(buffer, name="smarter-mittelstand-cover.png")
    image.save()
    return image
