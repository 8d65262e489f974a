"""Demo Digital-Check for ``load_demo_content``: the German default questionnaire and a
dozen answered checks, so the needs dashboard shows something real. Idempotent."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

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
# One every four days over ten weeks: every calendar month fully inside that span has more
# than the dashboard's minimum group size, so "submissions over time" shows figures.
DEMO_SUBMISSIONS = 18
DEMO_SUBMISSION_EVERY_DAYS = 4


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
    return page


def ensure_demo_submissions(page: DigitalCheckPage) -> None:
    if Submission.objects.filter(version__page=page).exists():
        return
    rng = random.Random(7)  # noqa: S311 - demo figures, the same on every machine
    version = page.get_current_version()
    profiles = [
        (Sector.CRAFT, SizeBand.MICRO, Region.SOUTH),
        (Sector.SERVICES, SizeBand.SMALL, Region.WEST),
    ]
    now = timezone.now()
    for index in range(DEMO_SUBMISSIONS):
        sector, size, region = profiles[index % 2]
        if index == DEMO_SUBMISSIONS - 1:
            sector, size, region = Sector.HEALTH, SizeBand.MEDIUM, Region.EAST  # a lone group
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
            submitted_at=now
            - timedelta(days=DEMO_SUBMISSION_EVERY_DAYS * (DEMO_SUBMISSIONS - index))
        )
