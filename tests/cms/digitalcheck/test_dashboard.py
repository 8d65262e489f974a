"""The needs dashboard: aggregates, filters, CSV, and suppression of groups under five."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from cms.digitalcheck.dashboard import DashboardFilters, build_dashboard
from cms.digitalcheck.models import Sector, Submission
from cms.digitalcheck.submissions import start_submission, submit
from cms.learning.models import Learner, UnitProgress

from .factories import dimension

pytestmark = pytest.mark.django_db


def answer(page, sector="", implementation=1, relevance=5, learner=None, strategy=(3, 4)):
    snapshot = page.get_current_version().snapshot
    questions = [q["id"] for d in snapshot["dimensions"] for q in d["questions"]]
    topics = {t["id"]: {"implementation": implementation, "relevance": relevance}
              for t in snapshot["topics"] if t["name"] == "Online-Marketing"}  # fmt: skip
    submission = start_submission(page, learner=learner)
    submission.answers = {
        "questions": dict(zip(questions, [*strategy, 5], strict=True)),
        "topics": topics,
    }
    submission.sector = sector
    submission.save()
    return submit(submission, page.locale)


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return user


def dashboard_url(**params):
    from urllib.parse import urlencode

    return reverse("digitalcheck_needs") + ("?" + urlencode(params) if params else "")


def csv_rows(client, **params):
    response = client.get(dashboard_url(format="csv", **params))
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_fewer_than_five_submissions_show_nothing(client, editor, check_page):
    for _ in range(4):
        answer(check_page, sector="craft")
    dashboard = build_dashboard(DashboardFilters())
    assert dashboard.suppressed
    html = client.get(dashboard_url()).content.decode()
    assert "70.0" not in html and "70,0" not in html
    rows = csv_rows(client)
    assert len(rows) == 2 and rows[1][3].startswith(("fewer than", "weniger als"))


def test_averages_and_gaps_once_five_submissions_exist(client, editor, check_page):
    for _ in range(5):
        answer(check_page, sector="craft")
    dashboard = build_dashboard(DashboardFilters())
    overall, strategy, ai = dashboard.dimensions
    # (3 + 4) / 10 = 70 for strategy, 100 for AI, overall 85, in every submission.
    assert (overall.values["score"], strategy.values["score"], ai.values["score"]) == (85, 70, 100)
    assert dashboard.topics[0].label == "Online-Marketing"
    assert dashboard.topics[0].values["gap"] == 4
    html = client.get(dashboard_url()).content.decode()
    assert "Online-Marketing" in html and "Digitale Geschäftsstrategie" in html


def test_small_sector_group_is_suppressed_in_page_and_csv(client, editor, check_page):
    for _ in range(5):
        answer(check_page, sector="craft", implementation=1, relevance=5)
    for _ in range(2):
        answer(check_page, sector="health", implementation=2, relevance=3)
    dashboard = build_dashboard(DashboardFilters())
    sectors = {row.label: row for row in dashboard.groups["sector"]}
    assert not sectors[str(Sector.CRAFT.label)].suppressed
    assert sectors[str(Sector.HEALTH.label)].suppressed
    html = client.get(dashboard_url()).content.decode()
    assert str(Sector.CRAFT.label) in html and str(Sector.HEALTH.label) in html
    assert "weniger als 5" in html or "fewer than 5" in html
    rows = [r for r in csv_rows(client) if r[0] in ("Largest gaps", "Größte Lücken")]
    craft = [r for r in rows if r[1] in ("Craft trades", "Handwerk")]
    health = [r for r in rows if r[1] in ("Health and social care", "Gesundheit und Soziales")]
    assert craft and craft[0][3] == "5" and craft[0][4] == "4.0"
    assert len(health) == 1 and health[0][2:] == [health[0][2], health[0][3], ""]
    assert health[0][3].startswith(("fewer than", "weniger als"))
    # The two health answers (gap 1) are never shown on their own.
    assert all(r[4] != "1.0" for r in rows)


def test_period_and_version_filters(client, editor, check_page):
    old = [answer(check_page) for _ in range(5)]
    Submission.objects.filter(pk__in=[s.pk for s in old]).update(
        submitted_at=timezone.now() - timedelta(days=60)
    )
    page = check_page.specific
    page.dimensions = [dimension("Neu", ["Frage?"])]
    page.save_revision().publish()
    version_two = page.get_current_version()
    today = timezone.localdate()
    assert build_dashboard(DashboardFilters(start=today)).total == 0
    assert build_dashboard(DashboardFilters(end=today - timedelta(days=30))).total == 5
    assert build_dashboard(DashboardFilters(version=version_two)).total == 0
    response = client.get(dashboard_url(start=str(today), end=str(today - timedelta(days=1))))
    assert response.status_code == 200  # a reversed period is a message, not an error
    assert (
        "error-message" in response.content.decode()
        or "help-critical" in response.content.decode()
    )


def test_recommended_units_then_started_and_completed(editor, check_page, units):
    marketing = units["marketing_start"]
    learners = [Learner.objects.create(token_hash=f"{i:064d}") for i in range(5)]
    submissions = [answer(check_page, learner=learner) for learner in learners]
    assert all(marketing.pk in s.recommended_unit_ids for s in submissions)
    later = timezone.now() + timedelta(minutes=5)
    for index, learner in enumerate(learners[:3]):
        UnitProgress.objects.create(
            learner=learner, unit=marketing, started_at=later, last_visited_at=later,
            completed_at=later if index == 0 else None,
        )  # fmt: skip
    rows = {row.label: row for row in build_dashboard(DashboardFilters()).units}
    assert rows[marketing.title].count == 5
    assert rows[marketing.title].values == {"started": 3, "completed": 1}


def test_dashboard_needs_admin_access(client, check_page):
    user = get_user_model().objects.create_user("someone", "s@example.org", "pw")
    client.force_login(user)
    assert client.get(dashboard_url()).status_code in (302, 403)
