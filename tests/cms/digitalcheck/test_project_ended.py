"""The Digital-Check in "project ended" mode: readable, but nothing is submitted."""

import pytest
from django.urls import reverse

from cms.digitalcheck.models import Certificate, Submission
from cms.learning.models import Learner
from tests.cms.learning.test_project_ended import end_project

from .test_answering import url
from .test_certificates import complete, learner_user  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_the_check_shows_the_note_and_stores_no_submission(client, check_page):
    end_project()
    page = client.get(check_page.url).content.decode()
    assert "Dies kann nicht mehr gespeichert werden" in page
    assert 'value="start"' not in page

    for response in (
        client.post(check_page.url, {"action": "start"}),
        client.post(url(check_page, "answer", 0), {"action": "next"}),
    ):
        assert response.status_code == 403
        assert "Es wurde nichts gespeichert" in response.content.decode()
    assert not Submission.objects.exists() and not Learner.objects.exists()


def test_certificates_offer_the_note_instead_of_issuing(client, learner_user, units):  # noqa: F811
    unit = units["marketing_start"]
    complete(learner_user, unit)
    end_project()
    page = client.get(reverse("certificates")).content.decode()
    assert "Dies kann nicht mehr gespeichert werden" in page
    response = client.post(
        reverse("certificate_issue", args=["unit", unit.pk]), {"name": "Lea Muster"}
    )
    assert response.status_code == 403
    assert not Certificate.objects.exists()
