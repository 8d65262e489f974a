"""Demo Digital-Check for ``load_demo_content``: the German default questionnaire and a
dozen answered checks, so the needs dashboard shows something real, and the English page
with the English questionnaire. Idempotent."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from wagtail.models import Locale

from cms.taxonomy.models import Topic

from .defaults import default_stream_data
from .models import DigitalCheckPage, Region, Sector, SizeBand, Submission
from .submissions import start_submission, submit

PAGE = {
    "title": "Digital-Check",
    "slug": "digital-check",
    "show_in_menus": True,
    "search_description": (
        "Wo steht Ihr Betrieb? In wenigen Minuten zum digitalen Reifegrad – mit passenden "
        "Lernangeboten."
    ),
    "intro": (
        "Wie digital ist Ihr Betrieb? Beantworten Sie ein paar kurze Fragen zu sechs "
        "Bereichen – von der Strategie bis zur grünen Digitalisierung. Sie sehen sofort Ihre "
        "Stärken, Ihre ungenutzten Potenziale und passende Selbstlerneinheiten."
    ),
    "privacy_note": (
        "Der Check ist anonym. Angaben zu Branche, Größe und Region sind freiwillig und werden "
        "nur zusammengefasst ausgewertet, damit das Zentrum passende Angebote plant."
    ),
}
PAGE_EN = {
    "search_description": (
        "Where does your company stand? Your digital maturity in a few minutes – with "
        "matching learning offers."
    ),
    "intro": (
        "How digital is your company? Answer a few short questions about six areas – from "
        "strategy to green digitalisation. You see your strengths, your untapped potential "
        "and matching self-learning units at once."
    ),
    "privacy_note": (
        "The check is anonymous. Sector, size and region are optional and are only evaluated "
        "in summary, so that the centre can plan matching offers."
    ),
}
# One every five days through the last full quarter (the dashboard releases whole quarters),
# so every month has at least five. Craft (7) and services (6) are large enough to be shown;
# health (2) and trade (3) are withheld together, so neither can be told apart by subtraction.
_C, _S, _T, _H = Sector.CRAFT, Sector.SERVICES, Sector.TRADE, Sector.HEALTH
_SECTORS = [_C, _S, _T, _C, _S, _H, _C, _S, _T, _C, _S, _C, _T, _S, _C, _H, _S, _C]
_SIZES = [SizeBand.MICRO, SizeBand.SMALL, SizeBand.MICRO, SizeBand.MEDIUM, SizeBand.SMALL]
_REGIONS = [Region.SOUTH, Region.WEST, Region.SOUTH, Region.NORTH]
DEMO_PROFILES = [
    (sector, _SIZES[index % len(_SIZES)], _REGIONS[index % len(_REGIONS)])
    for index, sector in enumerate(_SECTORS)
]
DEMO_SUBMISSIONS = len(DEMO_PROFILES)
DEMO_SUBMISSION_EVERY_DAYS = 5


def last_full_quarter_start(today: date) -> date:
    first_month = (today.month - 1) // 3 * 3 + 1
    if first_month == 1:
        return date(today.year - 1, 10, 1)
    return date(today.year, first_month - 3, 1)


def ensure_demo_digitalcheck(home) -> DigitalCheckPage:
    page = DigitalCheckPage.objects.child_of(home).filter(slug=PAGE["slug"]).first()
    if page is None:
        topics = {t.slug: t for t in Topic.objects.filter(locale=home.locale)}
        dimensions, pairs = default_stream_data(topics)
        page = DigitalCheckPage(
            locale=home.locale, dimensions=dimensions, topic_pairs=pairs, **PAGE
        )
        home.add_child(instance=page)
        page.save_revision().publish()  # publishing freezes version 1
        page.refresh_from_db()
    ensure_demo_submissions(page)
    english = Locale.objects.filter(language_code="en").first()
    if english is not None and not page.get_translations().filter(locale=english).exists():
        translated = page.copy_for_translation(english)
        topics = {t.slug: t for t in Topic.objects.filter(locale=english)}
        translated.dimensions, translated.topic_pairs = default_stream_data(topics, "en")
        for name, value in PAGE_EN.items():
            setattr(translated, name, value)
        translated.save_revision().publish()  # its own version 1, in English
    return page


def ensure_demo_submissions(page: DigitalCheckPage) -> None:
    if Submission.objects.filter(version__page=page).exists():
        return
    rng = random.Random(7)  # noqa: S311 - demo figures, the same on every machine
    version = page.get_current_version()
    start = datetime.combine(
        last_full_quarter_start(timezone.localdate()), time(10), timezone.get_current_timezone()
    )
    for index, (sector, size, region) in enumerate(DEMO_PROFILES):
        base = rng.randint(1, 3)
        questions = {
            q["id"]: max(0, min(5, base + rng.randint(-1, 2)))
            for d in version.snapshot["dimensions"]
            for q in d["questions"]
        }
        topics = {
            t["id"]: {"implementation": rng.randint(1, 3), "relevance": rng.randint(3, 5)}
            for t in version.snapshot["topics"]
        }
        submission = start_submission(page, learner=None)
        submission.answers = {"questions": questions, "topics": topics}
        submission.sector, submission.size_band, submission.region = sector, size, region
        submission.save()
        submit(submission, page.locale)
        Submission.objects.filter(pk=submission.pk).update(
            submitted_at=start + timedelta(days=DEMO_SUBMISSION_EVERY_DAYS * index)
        )
