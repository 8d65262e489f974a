"""The demo Digital-Check: German default questionnaire after the EU DMA, demo answers."""

import pytest

from cms.digitalcheck.dashboard import DashboardFilters, build_dashboard
from cms.digitalcheck.demo import DEMO_SUBMISSIONS
from cms.digitalcheck.models import DigitalCheckPage, Sector

pytestmark = pytest.mark.django_db


def test_demo_has_the_six_dma_dimensions_and_answers_for_the_dashboard(demo_site, client):
    page = DigitalCheckPage.objects.get(locale__language_code="de")
    version = page.get_current_version()
    titles = [d["title"] for d in version.snapshot["dimensions"]]
    assert titles == [
        "Digitale Geschäftsstrategie",
        "Digitale Bereitschaft",
        "Menschenzentrierte Digitalisierung",
        "Datenmanagement und Vernetzung",
        "Automatisierung und künstliche Intelligenz",
        "Grüne Digitalisierung",
    ]
    assert len(version.snapshot["topics"]) == 6
    dashboard = build_dashboard(DashboardFilters())
    assert dashboard.total == DEMO_SUBMISSIONS and not dashboard.suppressed
    # The last full quarter, every month of it shown.
    assert len(dashboard.months) == 3
    assert not any(month.suppressed for month in dashboard.months)
    sectors = {row.label: row.suppressed for row in dashboard.groups["sector"]}
    assert sectors == {
        str(Sector.CRAFT.label): False,
        str(Sector.SERVICES.label): False,
        str(Sector.HEALTH.label): True,  # 2 submissions
        str(Sector.TRADE.label): True,  # 3, withheld with health
    }
    # Linked from the home page (menu card) and main navigation.
    home_html = client.get(demo_site.url).content.decode()
    assert f'href="{page.url}"' in home_html
    assert client.get(page.url).status_code == 200
