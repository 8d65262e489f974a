import json
import subprocess

import pytest
from mutagen import MutagenError
from mutagen.id3 import ID3, CTOCFlags

from media_pipeline.binaries import ffmpeg_path, ffprobe_path
from media_pipeline.id3 import Chapter, read_mp3_chapters, write_mp3_chapters

CHAPTERS = [
    Chapter(0, "Begrüßung"),
    Chapter(1.5, "Rechnungen & Belege", url="https://example.org/belege"),
    Chapter(3.25, "Ausblick"),
]


@pytest.fixture
def episode_mp3(make_media):
    return make_media(
        "folge.mp3",
        "-f", "lavfi", "-i", "sine=frequency=440:duration=4:sample_rate=44100",
        "-c:a", "libmp3lame", "-b:a", "64k", "-id3v2_version", "4",
        "-metadata", "title=Folge 12", "-metadata", "artist=Digital vor Ort",
    )  # fmt: skip


def decoded_audio_md5(path) -> str:
    result = subprocess.run(
        [
            ffmpeg_path(),
            "-v",
            "error",
            "-nostdin",
            "-i",
            str(path),
            "-map",
            "0:a",
            "-f",
            "md5",
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.strip()


def ffprobe(path) -> dict:
    result = subprocess.run(
        [
            ffprobe_path(),
            "-v",
            "error",
            "-show_chapters",
            "-show_format",
            "-of",
            "json",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(result.stdout)


def bytes_after_id3v2_tag(path) -> bytes:
    data = path.read_bytes()
    if not data.startswith(b"ID3"):
        return data
    size = 0
    for byte in data[6:10]:  # syncsafe integer
        size = size << 7 | byte
    return data[10 + size :]


def test_chapters_are_read_back_as_written(episode_mp3):
    write_mp3_chapters(episode_mp3, CHAPTERS, duration=4.0)
    assert read_mp3_chapters(episode_mp3) == CHAPTERS


def test_ffprobe_lists_the_chapters(episode_mp3):
    write_mp3_chapters(episode_mp3, CHAPTERS, duration=4.0)
    chapters = sorted(ffprobe(episode_mp3)["chapters"], key=lambda chapter: chapter["start"])
    assert [(c["start"], c["end"], c["tags"]["title"]) for c in chapters] == [
        (0, 1500, "Begrüßung"),
        (1500, 3250, "Rechnungen & Belege"),
        (3250, 4000, "Ausblick"),
    ]


def test_decoded_audio_and_duration_are_unchanged(episode_mp3):
    audio_before = decoded_audio_md5(episode_mp3)
    frames_before = bytes_after_id3v2_tag(episode_mp3)
    duration_before = ffprobe(episode_mp3)["format"]["duration"]

    write_mp3_chapters(episode_mp3, CHAPTERS, duration=4.0, title="Kapitel")

    assert bytes_after_id3v2_tag(episode_mp3) == frames_before
    assert decoded_audio_md5(episode_mp3) == audio_before
    assert ffprobe(episode_mp3)["format"]["duration"] == duration_before


def test_table_of_contents_is_top_level_ordered_id3v2_3(episode_mp3):
    write_mp3_chapters(episode_mp3, CHAPTERS, duration=4.0, title="Kapitel")
    tags = ID3(episode_mp3)
    assert tags.version == (2, 3, 0)
    (toc,) = tags.getall("CTOC")
    assert toc.flags == CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED
    assert toc.child_element_ids == ["chp0", "chp1", "chp2"]
    assert toc.sub_frames["TIT2"].text == ["Kapitel"]
    last = tags["CHAP:chp2"]
    assert (last.start_time, last.end_time) == (3250, 4000)


def test_existing_chapters_are_replaced(episode_mp3):
    write_mp3_chapters(episode_mp3, CHAPTERS, duration=4.0)
    write_mp3_chapters(episode_mp3, [Chapter(0, "Alles in einem")], duration=4.0)
    assert read_mp3_chapters(episode_mp3) == [Chapter(0, "Alles in einem")]
    assert [chapter["tags"]["title"] for chapter in ffprobe(episode_mp3)["chapters"]] == [
        "Alles in einem"
    ]


def test_empty_chapter_list_removes_all_chapters(episode_mp3):
    write_mp3_chapters(episode_mp3, CHAPTERS, duration=4.0)
    write_mp3_chapters(episode_mp3, [], duration=4.0)
    assert read_mp3_chapters(episode_mp3) == []
    assert ID3(episode_mp3).getall("CTOC") == []


def test_other_tags_and_cover_art_are_kept(mp3_with_cover_art):
    write_mp3_chapters(mp3_with_cover_art, CHAPTERS[:2], duration=3.0)
    tags = ID3(mp3_with_cover_art)
    assert tags.getall("APIC")[0].data.startswith(b"\x89PNG")
    streams = subprocess.run(
        [ffprobe_path(), "-v", "error", "-show_streams", "-of", "json", str(mp3_with_cover_art)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert [s["codec_name"] for s in json.loads(streams.stdout)["streams"]] == ["mp3", "png"]


def test_title_tags_survive(episode_mp3):
    write_mp3_chapters(episode_mp3, CHAPTERS, duration=4.0)
    tags = ffprobe(episode_mp3)["format"]["tags"]
    assert (tags["title"], tags["artist"]) == ("Folge 12", "Digital vor Ort")


def test_mp3_without_any_tag_gets_one(make_media):
    bare = make_media(
        "ohne-tag.mp3",
        "-f", "lavfi", "-i", "sine=duration=2", "-c:a", "libmp3lame", "-id3v2_version", "0",
    )  # fmt: skip
    assert not bare.read_bytes().startswith(b"ID3")
    audio_before = decoded_audio_md5(bare)
    write_mp3_chapters(bare, [Chapter(0, "Eins"), Chapter(1, "Zwei")], duration=2.0)
    assert [c.title for c in read_mp3_chapters(bare)] == ["Eins", "Zwei"]
    assert decoded_audio_md5(bare) == audio_before


def test_mp3_without_chapters_reads_as_empty(episode_mp3):
    assert read_mp3_chapters(episode_mp3) == []


def test_non_ascii_chapter_url_is_stored_as_uri(episode_mp3):
    write_mp3_chapters(
        episode_mp3, [Chapter(0, "Links", url="https://example.org/bücher")], duration=4
    )
    assert read_mp3_chapters(episode_mp3)[0].url == "https://example.org/b%C3%BCcher"


@pytest.mark.parametrize(
    "chapters",
    [
        [Chapter(2, "Später"), Chapter(1, "Früher")],
        [Chapter(1, "Doppelt"), Chapter(1, "Doppelt")],
        [Chapter(-1, "Vor dem Anfang")],
        [Chapter(4, "Am Ende")],
        [Chapter(float("nan"), "Keine Zeit")],
    ],
)
def test_chapters_outside_the_recording_or_out_of_order_are_refused(episode_mp3, chapters):
    before = episode_mp3.read_bytes()
    with pytest.raises(ValueError):
        write_mp3_chapters(episode_mp3, chapters, duration=4.0)
    assert episode_mp3.read_bytes() == before


def test_file_that_is_not_an_mp3_is_refused_untouched(tmp_path):
    text = tmp_path / "notizen.mp3"
    text.write_text("Das ist keine Audiodatei.\n" * 20)
    with pytest.raises(MutagenError):
        write_mp3_chapters(text, CHAPTERS, duration=4.0)
    assert text.read_text() == "Das ist keine Audiodatei.\n" * 20
