import base64
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from media_pipeline.models import MediaFile
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


def log_in(page):
    page.goto("/admin/login/")
    page.get_by_label(re.compile("Benutzername|Username")).fill("medien-admin")
    page.get_by_label(re.compile("Passwort|Password")).fill("browser-test-pw")
    page.get_by_role("button", name=re.compile("Anmelden|Sign in")).click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


# Builds the DataTransfer a real drop would carry, from bytes read in Python.
DATA_TRANSFER = """(files) => {
    const transfer = new DataTransfer();
    for (const file of files) {
        const bytes = Uint8Array.from(atob(file.data), (c) => c.charCodeAt(0));
        transfer.items.add(new File([bytes], file.name, {type: file.type}));
    }
    return transfer;
}"""

# Drops and counts the progress bars at once: the uploads finish soon after.
DROP = """([zone, transfer]) => {
    zone.dispatchEvent(
        new DragEvent("drop", {bubbles: true, cancelable: true, dataTransfer: transfer})
    );
    return document.querySelectorAll("[data-media-upload-list] li progress").length;
}"""


def drop(page, zone, *paths, mime="audio/mpeg"):
    files = [
        {"name": path.name, "type": mime, "data": base64.b64encode(path.read_bytes()).decode()}
        for path in paths
    ]
    transfer = page.evaluate_handle(DATA_TRANSFER, files)
    zone.dispatch_event("dragenter", {"dataTransfer": transfer})
    zone.dispatch_event("dragover", {"dataTransfer": transfer})
    expect(zone).to_have_class(re.compile(r"media-upload-dropzone--active"))
    return page.evaluate(DROP, [zone.element_handle(), transfer])


def test_editor_drops_files_and_sees_each_ones_progress_and_outcome(
    page, editor, tmp_path, assert_accessible
):
    wav = generate(tmp_path / "erster-ton.wav", "-f", "lavfi", "-i", "sine=duration=1")
    mp3 = generate(
        tmp_path / "zweiter-ton.mp3",
        "-f", "lavfi", "-i", "sine=frequency=660:duration=1", "-c:a", "libmp3lame",
    )  # fmt: skip
    text = tmp_path / "notizen.mp3"
    text.write_text("Das ist keine Audiodatei, nur Text mit der falschen Endung.\n" * 20)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page)

    page.goto("/admin/media/new/")
    zone = page.locator("[data-media-dropzone]")
    expect(zone.get_by_text("Dateien hierher ziehen oder auswählen")).to_be_visible()
    # The drop zone is not the only way: the labelled file field stays in it.
    expect(zone.get_by_label("Audio- oder Videodateien")).to_be_enabled()

    assert drop(page, zone, wav, mp3) == 2
    expect(zone).not_to_have_class(re.compile(r"media-upload-dropzone--active"))
    items = page.locator("[data-media-upload-list] > li")
    expect(items).to_have_count(2)
    for name, title in (("erster-ton.wav", "erster-ton"), ("zweiter-ton.mp3", "zweiter-ton")):
        item = items.filter(has_text=name)
        expect(item).to_have_attribute("data-status", "accepted")
        media_file = MediaFile.objects.get(title=title)
        expect(item.get_by_role("link", name=title)).to_have_attribute(
            "href", reverse("media:inspect", args=(media_file.pk,))
        )
    live = page.locator("[data-media-upload-list][aria-live=polite]")
    expect(live).to_contain_text("hochgeladen als")

    assert drop(page, zone, text) == 1
    refused = items.filter(has_text="notizen.mp3")
    expect(refused).to_have_attribute("data-status", "refused")
    expect(refused).to_contain_text("Die Datei ist keine lesbare Audio- oder Videodatei.")
    assert MediaFile.objects.count() == 2
    assert_accessible(page)
    assert errors == []

    page.goto("/admin/media/")
    expect(page.get_by_role("row").filter(has_text="erster-ton")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="zweiter-ton")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="notizen")).to_have_count(0)
