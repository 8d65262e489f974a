import pytest
from django.core.files import File

from media_pipeline import uploads
from media_pipeline.exceptions import DuplicateMediaError, MediaRejectedError
from media_pipeline.models import MediaFile, MediaRendition
from tests.media_pipeline.conftest import stored_originals

pytestmark = pytest.mark.django_db


@pytest.fixture
def sine_wav(make_media):
    return make_media("sinus.wav", "-f", "lavfi", "-i", "sine=frequency=440:duration=2")


def create(path, title=""):
    with path.open("rb") as handle:
        return uploads.create_media_file(File(handle, name=path.name), title=title)


def test_identical_upload_offers_the_existing_media_file_and_stores_nothing(sine_wav, tmp_path):
    first = create(sine_wav, title="Sinuston")
    renditions = MediaRendition.objects.count()
    originals = stored_originals()
    copy = tmp_path / "anderer-name.wav"
    copy.write_bytes(sine_wav.read_bytes())

    with pytest.raises(DuplicateMediaError) as raised:
        create(copy, title="Noch einmal")

    assert raised.value.existing == first
    assert list(MediaFile.objects.all()) == [first]
    assert MediaRendition.objects.count() == renditions
    assert first.file.name.rsplit("/", 1)[-1] in originals
    assert stored_originals() == originals


def test_a_duplicate_is_a_refusal_with_a_message_naming_the_existing_file(sine_wav):
    first = create(sine_wav, title="Sinuston")

    with pytest.raises(MediaRejectedError) as raised:
        create(sine_wav)

    assert "Sinuston" in str(raised.value.message)
    assert raised.value.existing.pk == first.pk


def test_a_different_file_is_not_a_duplicate(sine_wav, make_media):
    other = make_media("anderer-ton.wav", "-f", "lavfi", "-i", "sine=frequency=880:duration=2")
    create(sine_wav)

    create(other)

    assert MediaFile.objects.count() == 2
