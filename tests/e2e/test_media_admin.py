import re

import pytest
from playwright.sync_api import expect

from tests.media_pipeline.conftest import generate

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def editor(transactional_db, django_user_model):
    return django_user_model.objects.create_superuser(
        "medien-admin", "medien@example.org", "browser-test-pw"
    )


def test_editor_uploads_audio_and_sees_it_waiting_in_the_list(
    page, editor, tmp_path, assert_accessible
):
    audio = generate(tmp_path / "kurzer-ton.wav", "-f", "lavfi", "-i", "sine=duration=1")

    page.goto("/admin/login/")
    page.get_by_label(re.compile("Benutzername|Username")).fill("medien-admin")
    page.get_by_label(re.compile("Passwort|Password")).fill("browser-test-pw")
    page.get_by_role("button", name=re.compile("Anmelden|Sign in")).click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto("/admin/media/new/")
    page.get_by_label("Audio- oder Videodateien").set_input_files(str(audio))
    page.get_by_label("Titel").fill("Kurzer Ton")
    page.get_by_role("button", name="Hochladen").click()

    expect(page).to_have_url(re.compile(r"/admin/media/$"))
    expect(page.get_by_text("„Kurzer Ton“ hochgeladen")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Kurzer Ton")
    expect(row).to_contain_text("00:01")
    progress = row.locator("progress").first
    expect(progress).to_be_visible()
    expect(progress).to_have_attribute("max", "100")
    expect(row.get_by_text("Wartet").first).to_be_visible()
    # Checked without the flash message, whose fade-in axe would measure mid-animation.
    page.reload()
    expect(page.locator("progress").first).to_be_visible()
    assert_accessible(page)
