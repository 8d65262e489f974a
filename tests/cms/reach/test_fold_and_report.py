"""The fold is idempotent and keeps figures while purging raw events; the dashboard and the
funder report show figures only to holders of view_reach and never a group under five."""

import csv
import datetime as dt
import io
import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cms.reach.aggregate import fold
from cms.reach.models import DailyFigure, EnclosureRequest, FollowUpAnswer

from .conftest import APPLE, CHROME, GOOGLEBOT, OVERCAST, get

pytestmark = pytest.mark.django_db


def listen(client, episode, listeners: int, user_agent=APPLE, prefix="10.0.0"):
    for number in range(listeners):
        get(client, episode.enclosure_path(), user_agent, f"{prefix}.{number + 1}")


@pytest.fixture
def two_episodes(publish_episode):
    popular = publish_episode(title="Beliebte Folge")
    rare = publish_episode(title="Seltene Folge")
    return popular, rare


def figures():
    return sorted(
        DailyFigure.objects.values_list("day", "metric", "subject", "dimension", "value", "count")
    )


def test_folding_twice_gives_the_same_figures_and_old_raw_events_go(client, two_episodes):
    popular, rare = two_episodes
    listen(client, popular, 6)
    listen(client, rare, 2, OVERCAST)

    fold()
    first = figures()
    fold()
    call_command("aggregate_reach", stdout=io.StringIO())

    assert figures() == first
    assert ("download", f"episode:{popular.pk}", 6) in [(m, s, n) for _d, m, s, dim, _v, n in
                                                         first if dim == ""]  # fmt: skip

    later = timezone.now() + dt.timedelta(days=40)
    fold(now=later)
    fold(now=later + dt.timedelta(days=1))
    assert not EnclosureRequest.objects.exists()
    # The days that were folded keep their figures although their raw events are gone.
    assert sum(n for *_rest, n in figures()) == sum(n for *_rest, n in first)


@pytest.fixture
def editor(client, django_user_model):
    """A member of Wagtail's Editors: the group gets view_reach by a migration."""
    user = django_user_model.objects.create_user("redaktion", password="pw")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return client


def month_query():
    today = timezone.localdate()
    return {"period": "custom", "start": today.replace(day=1).isoformat(),
            "end": today.isoformat()}  # fmt: skip


def test_dashboard_and_report_need_the_reach_permission(client, django_user_model):
    user = django_user_model.objects.create_user("gast", password="pw")
    client.force_login(user)
    user.user_permissions.add(*__import__(
        "django.contrib.auth.models", fromlist=["Permission"]
    ).Permission.objects.filter(codename="access_admin"))  # fmt: skip

    for name in ("reach_dashboard", "reach_report"):
        assert client.get(reverse(name)).status_code == 403
    assert "Reichweite" not in client.get(reverse("wagtailadmin_home")).content.decode()

    user.groups.add(Group.objects.get(name="Editors"))
    user = type(user).objects.get(pk=user.pk)  # permissions are cached per user object
    client.force_login(user)
    assert "Reichweite" in client.get(reverse("wagtailadmin_home")).content.decode()
    assert client.get(reverse("reach_dashboard")).status_code == 200


@pytest.fixture
def three_episodes(two_episodes, publish_episode):
    popular, rare = two_episodes
    return popular, publish_episode(title="Mittlere Folge"), rare


def test_small_groups_are_suppressed_everywhere(client, three_episodes, settings):
    popular, middle, rare = three_episodes
    listen(client, popular, 6)
    listen(client, middle, 5, CHROME, prefix="10.0.2")
    listen(client, rare, 3, OVERCAST, prefix="10.0.1")
    fold()
    client.logout()
    user = __import__("django.contrib.auth", fromlist=["get_user_model"]).get_user_model()
    editor_user = user.objects.create_user("redaktion", password="pw")
    editor_user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor_user)

    page = client.get(reverse("reach_dashboard"), month_query())
    html = page.content.decode()
    assert page.status_code == 200
    assert "Beliebte Folge" in html
    assert "Seltene Folge" not in html  # 3 listeners
    # 5 listeners is enough on its own, but the total (14) minus the shown rows would then
    # give away the rare episode's 3: the smallest shown group is hidden as well.
    assert "Mittlere Folge" not in html
    assert "Overcast" not in html  # its 3 downloads are a group under five
    assert "Apple iPhone" in html or "AppleCoreMedia" in html
    assert "2 Gruppen werden nicht gezeigt" in html
    assert "format=pdf&amp;language=de" in html and "format=pdf&amp;language=en" in html

    response = client.get(reverse("reach_report"), {**month_query(), "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    flat = [cell for row in rows for cell in row]
    assert "Seltene Folge" not in flat and "Overcast" not in flat
    assert "Mittlere Folge" not in flat
    episode_rows = [row for row in rows if len(row) > 2 and row[1] == "Beliebte Folge"]
    assert episode_rows and episode_rows[0][2] == "6"
    totals = {row[1]: row[2] for row in rows if len(row) > 2}
    assert totals["Podcast-Downloads"] == "14"

    printable = client.get(reverse("reach_report"), month_query()).content.decode()
    assert '<html lang="de">' in printable
    assert "Beliebte Folge" in printable and "Seltene Folge" not in printable
    assert "Mittlere Folge" not in printable
    assert "Definitionen" in printable

    # Each episode's own figures on its edit page: a page holds one figure, so 5 is shown.
    def reach_tab(episode):
        html = client.get(reverse("wagtailadmin_pages:edit", args=[episode.pk])).content
        html = html.decode()
        return html[html.index("reach-item-figures") :] if "reach-item-figures" in html else ""

    assert "<td>6</td><td>6</td>" in reach_tab(popular)
    assert "<td>5</td><td>5</td>" in reach_tab(middle)
    rare_tab = reach_tab(rare)
    assert "<td>3</td>" not in rare_tab and "weniger als 5" in rare_tab
    Group.objects.get(name="Editors").permissions.remove(
        Permission.objects.get(codename="view_reach")
    )
    client.force_login(type(editor_user).objects.get(pk=editor_user.pk))
    assert reach_tab(popular) == ""


def test_no_table_lets_a_small_group_be_worked_out_from_the_total(client, two_episodes):
    """Two episodes, 6 and 3 listeners, 9 downloads in all: showing the 6 would reveal the 3."""
    popular, rare = two_episodes
    listen(client, popular, 6)
    listen(client, rare, 3, prefix="10.0.1")
    fold()
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser("chefin", "c@example.org", "pw")
    client.force_login(user)
    html = client.get(reverse("reach_dashboard"), month_query()).content.decode()
    assert "Beliebte Folge" not in html and "Seltene Folge" not in html
    report = client.get(reverse("reach_report"), {**month_query(), "format": "csv"})
    rows = list(csv.reader(io.StringIO(report.content.decode())))
    totals = {row[1]: row[2] for row in rows if len(row) > 2}
    assert totals["Podcast-Downloads"] == "9"  # the total itself is five or more
    assert not [row for row in rows if len(row) > 2 and row[1] == "Beliebte Folge"]


def test_follow_up_free_texts_only_from_five_answers(client, two_episodes):
    popular, _rare = two_episodes
    this_month = timezone.localdate().replace(day=1)
    for number in range(4):
        FollowUpAnswer.objects.create(
            unit=None, answer="yes", text=f"Antwort {number}", answered_on=this_month
        )
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser("chefin", "c@example.org", "pw")
    client.force_login(user)
    html = client.get(reverse("reach_dashboard"), month_query()).content.decode()
    assert "Antwort 1" not in html

    FollowUpAnswer.objects.create(
        unit=None, answer="partly", text="=HYPERLINK(1)", answered_on=this_month
    )
    html = client.get(reverse("reach_dashboard"), month_query()).content.decode()
    assert "Antwort 1" in html
    # 4 × yes and 1 × partly: both groups are too small to show as figures.
    assert "2 Gruppen werden nicht gezeigt" in html

    report = client.get(reverse("reach_report"), {**month_query(), "format": "csv"})
    cells = [cell for row in csv.reader(io.StringIO(report.content.decode())) for cell in row]
    assert "'=HYPERLINK(1)" in cells and "=HYPERLINK(1)" not in cells


def test_reach_report_command_gives_json_totals(client, two_episodes, tmp_path):
    popular, _rare = two_episodes
    listen(client, popular, 5)
    fold()
    today = timezone.now().astimezone(dt.UTC).date()
    out = tmp_path / "bericht.json"

    call_command("reach_report", "--start", today.isoformat(), "--end", today.isoformat(),
                 "--format", "json", "--output", str(out))  # fmt: skip

    data = json.loads(out.read_text())
    assert data["podcast_downloads"] == 5
    assert data["page_views"] == 0  # no page was viewed (0 is shown; 1 to 4 would be null)
    for key in ("video_plays", "page_views", "unit_starts", "unit_completions", "digital_checks"):
        assert key in data


def test_page_views_are_counted_on_the_server_without_bots(client, show):
    for number in range(5):
        response = client.get(show.url, HTTP_USER_AGENT=CHROME, REMOTE_ADDR=f"10.0.2.{number}",
                              HTTP_REFERER="https://www.ihk-beispiel.de/seite?x=1")  # fmt: skip
        assert response.status_code == 200
    client.get(show.url, HTTP_USER_AGENT=GOOGLEBOT)
    client.get(show.url, HTTP_USER_AGENT=CHROME, HTTP_REFERER="http://testserver/start/")
    fold()

    views = DailyFigure.objects.filter(metric="page_view", subject=f"page:{show.pk}")
    assert views.get(dimension="").count == 6
    assert views.get(dimension="referrer").value == "www.ihk-beispiel.de"
    assert views.get(dimension="referrer").count == 5
    assert views.get(dimension="language").value == "de"


def test_demo_content_has_months_of_reach_to_show(demo_site, client):
    from django.contrib.auth import get_user_model

    from cms.reach.report import Period, build_report

    today = timezone.now().astimezone(dt.UTC).date()
    report = build_report(Period(today - dt.timedelta(days=90), today))
    totals = report["raw_totals"]
    assert totals["podcast_downloads"] > 100 and totals["video_plays"] > 20
    assert FollowUpAnswer.objects.exists()
    assert not EnclosureRequest.objects.filter(at__lt=timezone.now() - dt.timedelta(days=31))

    admin = get_user_model().objects.filter(is_superuser=True).first()
    client.force_login(admin)
    query = {"period": "custom", "start": (today - dt.timedelta(days=90)).isoformat(),
             "end": today.isoformat()}  # fmt: skip
    html = client.get(reverse("reach_dashboard"), query).content.decode()
    assert "Apple Podcasts" in html and "www.ihk-beispiel.de" in html


def pdf_text_and_catalog(body: bytes):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(body))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return text, reader.trailer["/Root"], reader.metadata


def test_funder_report_pdf_is_tagged_and_hides_small_groups(client, three_episodes, topics,
                                                            tmp_path):  # fmt: skip
    popular, middle, rare = three_episodes
    popular.topics.set([topics[0]])
    popular.save()
    listen(client, popular, 6)
    listen(client, middle, 5, CHROME, prefix="10.0.2")
    listen(client, rare, 3, OVERCAST, prefix="10.0.1")
    fold()
    today = timezone.now().astimezone(dt.UTC).date()
    out = tmp_path / "bericht.pdf"

    call_command("reach_report", "--start", today.replace(day=1).isoformat(),
                 "--end", today.isoformat(), "--format", "pdf", "--output", str(out))  # fmt: skip

    text, catalog, metadata = pdf_text_and_catalog(out.read_bytes())
    assert bool(catalog["/MarkInfo"]["/Marked"])
    tree = catalog["/StructTreeRoot"].get_object()
    assert catalog["/Lang"] == "de"
    assert metadata.title.startswith("Reichweite und Wirkung")

    def kinds(element, found):
        element = element.get_object()
        if hasattr(element, "get") and element.get("/S"):
            found.add(element["/S"])
        children = element.get("/K", []) if hasattr(element, "get") else []
        for child in children if isinstance(children, list) else [children]:
            if hasattr(child, "get_object") and hasattr(child.get_object(), "get"):
                kinds(child, found)
        return found

    tags = kinds(tree, set())
    assert {"/H1", "/H2", "/Table", "/TR", "/TH", "/TD"} <= tags
    assert "Podcast-Downloads" in text and "14" in text
    assert "Beliebte Folge" in text and "Social Media" in text  # top content, by topic
    assert "Definitionen" in text and "Podcast-Download" in text
    assert "Seltene Folge" not in text and "Overcast" not in text  # 3 listeners
    assert "Mittlere Folge" not in text  # it would give the rare one away

    editor = get_user_model_editor()
    client.force_login(editor)
    response = client.get(reverse("reach_report"),
                          {**month_query(), "format": "pdf", "language": "en"})  # fmt: skip
    assert response["Content-Type"] == "application/pdf"
    text, catalog, _metadata = pdf_text_and_catalog(response.content)
    assert catalog["/Lang"] == "en"
    assert "Podcast downloads" in text and "Definitions" in text
    assert "Seltene Folge" not in text


def get_user_model_editor():
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("berichte", password="pw")
    user.groups.add(Group.objects.get(name="Editors"))
    return user
