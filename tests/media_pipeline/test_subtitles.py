import time

import pytest
from django.utils import translation
from django.utils.functional import Promise
from hypothesis import given, settings
from hypothesis import strategies as st

from media_pipeline.subtitles import (
    MAX_ERRORS,
    Cue,
    TextTrackError,
    TextTrackFormat,
    cues_to_paragraphs,
    format_timestamp,
    load_text_track,
    parse_srt,
    parse_webvtt,
)


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English; the German test below switches explicitly."""
    with translation.override("en"):
        yield


TRANSCRIPT = """WEBVTT - Folge 12

NOTE Exported from the editing tool

intro
00:00:00.000 --> 00:00:02.500 align:start   line:0
<v.host Anna Beispiel>Willkommen zu <i>Digital vor Ort</i>!</v>

00:00:02.500 --> 00:00:04.000
Heute geht es um Rechnungen &amp; Belege.

00:00:04.000 --> 00:00:06.000
<v Bernd>Danke für die Einladung.
"""

SRT = """1
00:00:01,000 --> 00:00:02,500
Erste Zeile

2
00:00:03,000 --> 00:00:04,250
Zweite Zeile
"""


def errors_of(data: bytes, **kwargs) -> list[tuple[int, str]]:
    with pytest.raises(TextTrackError) as caught:
        load_text_track(data, **kwargs)
    return [(error.line, str(error)) for error in caught.value.errors]


def test_webvtt_cues_keep_identifier_settings_and_speaker():
    first, second, third = parse_webvtt(TRANSCRIPT)
    assert first == Cue(
        start=0.0,
        end=2.5,
        text="<v.host Anna Beispiel>Willkommen zu <i>Digital vor Ort</i>!</v>",
        identifier="intro",
        speaker="Anna Beispiel",
        settings="align:start line:0",
    )
    assert (second.speaker, third.speaker) == ("", "Bernd")


def test_srt_is_converted_to_webvtt_with_dot_milliseconds():
    track = load_text_track(SRT.encode(), "folge.srt")
    assert track.source_format == TextTrackFormat.SRT
    assert track.to_webvtt() == (
        "WEBVTT\n\n"
        "1\n00:00:01.000 --> 00:00:02.500\nErste Zeile\n\n"
        "2\n00:00:03.000 --> 00:00:04.250\nZweite Zeile\n"
    )


def test_srt_keeps_bold_italic_underline_and_drops_other_markup():
    (cue,) = parse_srt(
        "1\n00:00:01,000 --> 00:00:02,000 X1:100 X2:600 Y1:10 Y2:50\n"
        '{\\an8}<B>Fett</B>, <i>kursiv</i>, <u>unter</u> <font color="#ff0000">rot</font>\n'
        "Q&A <3\n"
    )
    assert cue.text == "<b>Fett</b>, <i>kursiv</i>, <u>unter</u> rot\nQ&amp;A &lt;3"
    assert cue.settings == ""


def test_srt_from_windows_tools_is_read_as_cp1252():
    data = "1\r\n00:00:01,000 --> 00:00:02,000\r\nGrüße aus Köln – 5 €\r\n".encode("cp1252")
    track = load_text_track(data, "export.srt")
    assert track.encoding == "cp1252"
    assert track.cues[0].text == "Grüße aus Köln – 5 €"


def test_byte_order_marks_are_accepted():
    assert load_text_track(b"\xef\xbb\xbf" + TRANSCRIPT.encode()).cues[0].identifier == "intro"
    assert len(load_text_track(SRT.encode("utf-16")).cues) == 2


def test_webvtt_output_reads_back_to_the_same_cues():
    track = load_text_track(TRANSCRIPT.encode())
    assert "NOTE" not in track.to_webvtt()
    assert parse_webvtt(track.to_webvtt()) == track.cues


def test_style_blocks_are_kept_in_the_output():
    vtt = "WEBVTT\n\nSTYLE\n::cue { color: yellow }\n\n00:01.000 --> 00:02.000\nHallo\n"
    assert "\nSTYLE\n::cue { color: yellow }\n" in load_text_track(vtt.encode()).to_webvtt()


def test_file_that_is_neither_webvtt_nor_srt_is_rejected_on_line_1():
    assert errors_of(b"Hallo Welt,\nnur ein Text.\n") == [
        (1, "Line 1: the file is neither WebVTT nor SRT.")
    ]


def test_vtt_file_without_header_is_told_to_start_with_webvtt():
    assert errors_of(b"Hallo Welt\n", filename="Folge.VTT") == [
        (1, "Line 1: a WebVTT file must start with “WEBVTT”.")
    ]


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b" \r\n\n"])
def test_empty_file_is_rejected(data):
    assert errors_of(data) == [(1, "Line 1: the file is empty.")]


def test_header_only_file_has_no_cues():
    assert errors_of(b"WEBVTT\n\nNOTE nothing here yet\n") == [
        (1, "Line 1: the file contains no cues.")
    ]


def test_errors_name_the_line():
    vtt = (
        "WEBVTT\n"
        "\n"
        "00:00:01.000 --> 00:00:02.000\n"
        "Gut\n"
        "\n"
        "00:00:03.000 --> 00:00:02.000\n"  # line 6
        "Endet vor dem Anfang\n"
        "\n"
        "00:00:00.500 --> 00:00:01.000\n"  # line 9
        "Zu früh\n"
        "\n"
        "00:00:05.000 --> 00:00:06.000\n"  # line 12
        "\n"
        "00:00:07,000 --> 00:00:08.000\n"  # line 14
        "Komma\n"
        "\n"
        "00:61:00.000 --> 01:00:00.000\n"  # line 17
        "Minute 61\n"
    )
    assert errors_of(vtt.encode()) == [
        (6, "Line 6: the cue must end after it starts (00:00:03.000 --> 00:00:02.000)."),
        (
            9,
            "Line 9: the cue starts at 00:00:00.500, before the previous cue (00:00:03.000); "
            "cues must be in order of their start time.",
        ),
        (12, "Line 12: the cue has no text."),
        (14, "Line 14: “00:00:07,000” is not a valid time; expected e.g. “00:01:02.345”."),
        (17, "Line 17: minutes and seconds must be below 60 in “00:61:00.000”."),
    ]


@pytest.mark.parametrize(
    "timing",
    [
        "0:00:01.000 --> 00:00:02.000",
        "00:00:1.000 --> 00:00:02.000",
        "00:00:01.0 --> 00:00:02.000",
    ],
)
def test_malformed_timestamp_is_reported(timing):
    ((line, message),) = errors_of(f"WEBVTT\n\n{timing}\nText\n".encode())
    assert line == 3
    assert "is not a valid time" in message


def test_missing_timing_line_is_reported_where_it_was_expected():
    vtt = "WEBVTT\n\n00:01.000 --> 00:02.000\nEins\n\nkapitel-2\nZwei ohne Zeit\n"
    assert errors_of(vtt.encode()) == [
        (7, "Line 7: expected a timing line such as “00:00:01.000 --> 00:00:04.000”.")
    ]


def test_missing_blank_line_between_cues_is_reported():
    vtt = "WEBVTT\n\n00:01.000 --> 00:02.000\nEins\n00:02.000 --> 00:03.000\nZwei\n"
    assert errors_of(vtt.encode()) == [(5, "Line 5: a blank line is missing before this cue.")]


def test_cue_ending_after_the_media_is_rejected():
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:09.500\nZu lang\n"
    assert errors_of(vtt.encode(), max_duration=9.0) == [
        (
            3,
            "Line 3: the cue ends at 00:00:09.500, after the end of the recording (00:00:09.000).",
        )
    ]
    assert load_text_track(vtt.encode(), max_duration=9.5).cues[0].end == 9.5


def test_errors_are_collected_up_to_a_limit_and_say_so():
    cues = "".join(f"00:00:0{n % 10}.000 --> 00:00:00.000\nText\n\n" for n in range(50))
    with pytest.raises(TextTrackError) as caught:
        parse_webvtt(f"WEBVTT\n\n{cues}")
    assert len(caught.value.errors) == MAX_ERRORS
    assert caught.value.truncated
    assert str(caught.value).endswith("only the first 20 are shown.")


def test_german_error_messages():
    with pytest.raises(TextTrackError) as caught:
        parse_webvtt("WEBVTT\n\n00:01.000 --> 00:02.000\nEins\n\n\n00:03.000 --> 00:04.000\n")
    (error,) = caught.value.errors
    assert error.line == 7
    assert isinstance(error.message, Promise)
    # Translated when shown, not when raised: the editor sees their own language.
    with translation.override("de"):
        assert str(caught.value) == "Zeile 7: Der Untertitel hat keinen Text."
    with translation.override("en"):
        assert str(caught.value) == "Line 7: the cue has no text."


def test_webvtt_that_is_not_utf8_is_rejected_with_its_line():
    data = "WEBVTT\n\n00:01.000 --> 00:02.000\nGrüße\n".encode("cp1252")
    assert errors_of(data) == [
        (4, "Line 4: the text encoding is not recognised; please save the file as UTF-8.")
    ]


def test_binary_garbage_is_rejected():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20
    assert errors_of(png) == [(1, "Line 1: the file is neither WebVTT nor SRT.")]


def test_nul_bytes_do_not_break_parsing():
    track = load_text_track(b"WEBVTT\n\n00:01.000 --> 00:02.000\nA\x00B\n")
    assert track.cues[0].text == "A\ufffdB"


def test_five_megabytes_without_cues_are_rejected_quickly():
    data = b"WEBVTT\n\n" + b"Nur Text ohne Zeitangaben, Zeile um Zeile.\n" * 120_000
    assert len(data) > 5_000_000
    started = time.perf_counter()
    assert errors_of(data) == [
        (4, "Line 4: expected a timing line such as “00:00:01.000 --> 00:00:04.000”.")
    ]
    assert time.perf_counter() - started < 5


def test_five_megabyte_single_line_is_rejected():
    assert errors_of(b"1\n" + b"9" * 5_000_000 + b" --> 00:00:01,000\nText\n")[0][0] == 2


def test_timestamps_with_huge_numbers_are_rejected():
    vtt = (
        "WEBVTT\n\n"
        "99999999999:00:00.000 --> 99999999999:00:01.000\nText\n\n"
        f"{'9' * 5000}:00:00.000 --> 00:00:01.000\nText\n"
    )
    assert [line for line, _ in errors_of(vtt.encode())] == [3, 3, 6]
    assert "is too large" in errors_of(vtt.encode())[0][1]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_a_track_or_a_text_track_error(data):
    try:
        load_text_track(data)
    except TextTrackError as error:
        assert 1 <= len(error.errors) <= MAX_ERRORS
        assert all(line_error.line >= 1 for line_error in error.errors)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 10**8), st.integers(1, 10**6), st.text(min_size=1)),
        max_size=5,
    )
)
def test_srt_text_survives_conversion_to_webvtt_and_back(rows):
    blocks = []
    start = 0
    for number, (offset, length, text) in enumerate(rows, start=1):
        start += offset
        times = f"{format_timestamp(start / 1000)} --> {format_timestamp((start + length) / 1000)}"
        lines = "\n".join(line.strip() for line in text.replace("\r", "\n").split("\n"))
        blocks.append(f"{number}\n{times.replace('.', ',')}\n{lines}\n")
    srt = "\n".join(blocks)
    try:
        cues = parse_srt(srt)
    except TextTrackError:
        return  # e.g. generated text that is blank or contains "-->"
    track = load_text_track(srt.encode())
    assert parse_webvtt(track.to_webvtt()) == cues


def test_paragraphs_merge_cues_of_one_speaker_as_plain_text():
    paragraphs = cues_to_paragraphs(parse_webvtt(TRANSCRIPT))
    assert [(p.start, p.end, p.speaker, p.text) for p in paragraphs] == [
        (
            0.0,
            4.0,
            "Anna Beispiel",
            "Willkommen zu Digital vor Ort! Heute geht es um Rechnungen & Belege.",
        ),
        (4.0, 6.0, "Bernd", "Danke für die Einladung."),
    ]


def test_paragraphs_skip_cues_without_visible_text():
    cues = [Cue(0, 1, "<v Anna><i></i></v>", speaker="Anna"), Cue(1, 2, "&lt;b&gt; ist Text")]
    assert [(p.speaker, p.text) for p in cues_to_paragraphs(cues)] == [("", "<b> ist Text")]


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(0, "00:00:00.000"), (61.0005, "00:01:01.000"), (3723.4567, "01:02:03.457"),
     (360000, "100:00:00.000")],
)  # fmt: skip
def test_format_timestamp(seconds, expected):
    assert format_timestamp(seconds) == expected


@pytest.mark.parametrize("seconds", [-1, float("nan"), float("inf")])
def test_format_timestamp_rejects_what_is_not_a_time(seconds):
    with pytest.raises(ValueError):
        format_timestamp(seconds)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="WEBVTNO0123456789:.,-> \n\r<v>/&;ab", max_size=300))
def test_near_miss_text_gives_a_track_or_a_text_track_error(text):
    try:
        track = load_text_track(text.encode())
    except TextTrackError as error:
        assert [e.line for e in error.errors] == sorted(e.line for e in error.errors)
    else:
        assert parse_webvtt(track.to_webvtt()) == track.cues
