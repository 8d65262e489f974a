import io

import pytest
from django.core.management import call_command

from cms.core.models import HomePage


@pytest.fixture
def demo_site(db):
    """The demo content as `make demo` loads it; returns the German home page."""
    call_command("load_demo_content", admin_password="pw-for-tests-only", stdout=io.StringIO())
    return HomePage.objects.get(locale__language_code="de")
