"""A feedgen extension for the Podcasting 2.0 namespace (``podcast:``).

feedgen 1.0 knows nothing of ``https://podcastindex.org/namespace/1.0``; this module adds the
tags we publish, with the limits the namespace documents. Register both classes on a
``FeedGenerator`` with :func:`register_podcastindex`; the channel extension is then reachable
as ``fg.podcastindex`` and each entry's as ``entry.podcastindex``.

Setters validate their arguments and raise :class:`InvalidPodcastTagError` early, so a bad
value fails where it is set instead of producing a feed that directories reject.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.util import xml_elem

PODCAST_NS = "https://podcastindex.org/namespace/1.0"
# Clients must also recognise this one; podcastparser 0.6 knows only this one.
LEGACY_PODCAST_NS = "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md"

EXTENSION_NAME = "podcastindex"

PERSON_NAME_MAX_CHARS = 128
FUNDING_TEXT_MAX_CHARS = 128
TRAILER_TITLE_MAX_CHARS = 128
UPDATE_FREQUENCY_MAX_CHARS = 128
LICENSE_MAX_CHARS = 128
TXT_MAX_CHARS = 4000
TXT_PURPOSE_MAX_CHARS = 128
ALTERNATE_TITLE_MAX_CHARS = 32

MEDIUMS = frozenset(
    {
        "podcast",
        "music",
        "video",
        "film",
        "audiobook",
        "newsletter",
        "blog",
        "publisher",
        "course",
        "podcastL",
        "musicL",
        "videoL",
        "filmL",
        "audiobookL",
        "newsletterL",
        "blogL",
        "publisherL",
        "courseL",
        "mixed",
    }
)
# Podcast Taxonomy (podcast-namespace taxonomy.json): the group of each role we publish,
# both lower-cased as the namespace asks. A role not listed here is written without a group.
TAXONOMY_GROUPS = {
    "host": "cast",
    "co-host": "cast",
    "guest host": "cast",
    "guest": "cast",
    "narrator": "cast",
    "reporter": "cast",
    "executive producer": "creative direction",
    "producer": "creative direction",
    "associate producer": "creative direction",
    "author": "writing",
    "editor": "writing",
    "writer": "writing",
    "researcher": "writing",
    "audio editor": "audio post-production",
    "sound designer": "audio post-production",
    "composer": "audio post-production",
}
TRANSCRIPT_TYPES = frozenset(
    {"text/plain", "text/html", "text/vtt", "application/json", "application/x-subrip"}
)
CHAPTERS_TYPE = "application/json+chapters"

_GUID_RE = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)


class InvalidPodcastTagError(ValueError):
    """A value the Podcasting 2.0 namespace does not allow."""


def taxonomy_group(role: str) -> str:
    """The Podcast Taxonomy group of ``role`` (``producer`` → ``creative direction``), or ""
    for a role the taxonomy table above does not know."""
    return TAXONOMY_GROUPS.get(role.strip().lower(), "")


def _tag(name: str) -> str:
    return f"{{{PODCAST_NS}}}{name}"


def _require_url(url: str, what: str) -> str:
    if not url:
        raise InvalidPodcastTagError(f"{what} needs a url")
    return url


@dataclass(frozen=True)
class _Person:
    name: str
    role: str
    group: str
    img: str
    href: str


@dataclass(frozen=True)
class _AlternateEnclosure:
    mime_type: str
    source_uris: tuple[str, ...]
    length: int | None
    bitrate: int | None
    height: int | None
    title: str
    codecs: str
    default: bool = False


@dataclass(frozen=True)
class _Trailer:
    title: str
    url: str
    pubdate: str
    length: int | None
    mime_type: str
    season: int | None


def _build_person(name: str, role: str, group: str, img: str, href: str) -> _Person:
    name = name.strip()
    if not name or len(name) > PERSON_NAME_MAX_CHARS:
        raise InvalidPodcastTagError(
            f"podcast:person needs a name of 1–{PERSON_NAME_MAX_CHARS} characters: {name!r}"
        )
    return _Person(name=name, role=role, group=group, img=img, href=href)


def _append_persons(parent, persons: list[_Person]) -> None:
    for person in persons:
        elem = xml_elem(_tag("person"), parent)
        # Attribute order is fixed here so the output stays byte-stable.
        if person.role:
            elem.attrib["role"] = person.role
        if person.group:
            elem.attrib["group"] = person.group
        if person.img:
            elem.attrib["img"] = person.img
        if person.href:
            elem.attrib["href"] = person.href
        elem.text = person.name


def _check_optional_int(value: int | None, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidPodcastTagError(f"{what} must be a non-negative integer: {value!r}")
    return value


class PodcastIndexExtension(BaseExtension):
    """Channel-level ``podcast:`` tags: guid, locked, funding, person, medium, license,
    updateFrequency, txt and trailer."""

    def __init__(self):
        self._guid: str | None = None
        self._locked: tuple[bool, str] | None = None
        self._funding: list[tuple[str, str]] = []
        self._persons: list[_Person] = []
        self._medium: str | None = None
        self._license: str | None = None
        self._update_frequency: tuple[str, str, bool] | None = None
        self._trailers: list[_Trailer] = []
        self._txt: list[tuple[str, str]] = []

    def extend_ns(self):
        return {"podcast": PODCAST_NS}

    def guid(self, guid: str) -> None:
        """Set ``podcast:guid``: a UUID assigned once in the podcast's lifetime."""
        if not _GUID_RE.fullmatch(guid):
            raise InvalidPodcastTagError(f"podcast:guid must be a UUID: {guid!r}")
        self._guid = guid.lower()

    def locked(self, locked: bool, *, owner: str = "") -> None:
        """Set ``podcast:locked`` (``yes`` forbids other hosts to import the feed)."""
        self._locked = (bool(locked), owner)

    def add_funding(self, url: str, text: str) -> None:
        """Add a ``podcast:funding`` link; text is at most 128 characters."""
        _require_url(url, "podcast:funding")
        if len(text) > FUNDING_TEXT_MAX_CHARS:
            raise InvalidPodcastTagError(
                f"podcast:funding text exceeds {FUNDING_TEXT_MAX_CHARS} characters: {text!r}"
            )
        self._funding.append((url, text))

    def add_txt(self, text: str, *, purpose: str = "") -> None:
        """Add a ``podcast:txt`` record (≤ 4,000 characters), e.g. a directory's ownership
        token with ``purpose="applepodcastsverify"`` (≤ 128 characters)."""
        text, purpose = text.strip(), purpose.strip()
        if not text or len(text) > TXT_MAX_CHARS:
            raise InvalidPodcastTagError(
                f"podcast:txt needs a text of 1–{TXT_MAX_CHARS} characters: {text[:40]!r}"
            )
        if len(purpose) > TXT_PURPOSE_MAX_CHARS:
            raise InvalidPodcastTagError(f"podcast:txt purpose is too long: {purpose!r}")
        self._txt.append((text, purpose))

    def add_person(
        self, name: str, *, role: str = "host", group: str = "cast", img: str = "", href: str = ""
    ) -> None:
        """Add a ``podcast:person`` to the channel."""
        self._persons.append(_build_person(name, role, group, img, href))

    def medium(self, medium: str) -> None:
        """Set ``podcast:medium`` (``podcast``, ``course``, ``video``, …)."""
        if medium not in MEDIUMS:
            raise InvalidPodcastTagError(f"unknown podcast:medium: {medium!r}")
        self._medium = medium

    def license(self, slug: str) -> None:
        """Set ``podcast:license`` to a slug of the SPDX list (``cc-by-4.0``)."""
        slug = slug.strip()
        if not slug or len(slug) > LICENSE_MAX_CHARS:
            raise InvalidPodcastTagError(f"podcast:license needs a slug: {slug!r}")
        self._license = slug

    def update_frequency(self, text: str, *, rrule: str = "", complete: bool = False) -> None:
        """Set ``podcast:updateFrequency``: text to show (≤ 128 characters), an optional
        RFC 5545 ``rrule``, and ``complete`` when no further episodes will come."""
        text = text.strip()
        if not text or len(text) > UPDATE_FREQUENCY_MAX_CHARS:
            raise InvalidPodcastTagError(
                f"podcast:updateFrequency needs a text of 1–{UPDATE_FREQUENCY_MAX_CHARS} "
                f"characters: {text!r}"
            )
        self._update_frequency = (text, rrule, complete)

    def add_trailer(
        self,
        title: str,
        url: str,
        *,
        pubdate: str,
        length: int | None = None,
        mime_type: str = "",
        season: int | None = None,
    ) -> None:
        """Add a ``podcast:trailer``; ``pubdate`` is RFC 2822, a longer title is cut to 128
        characters."""
        _require_url(url, "podcast:trailer")
        if not pubdate:
            raise InvalidPodcastTagError("podcast:trailer needs a pubdate")
        title = title.strip()
        if len(title) > TRAILER_TITLE_MAX_CHARS:
            title = title[: TRAILER_TITLE_MAX_CHARS - 1].rstrip() + "…"
        self._trailers.append(
            _Trailer(
                title=title,
                url=url,
                pubdate=pubdate,
                length=_check_optional_int(length, "length"),
                mime_type=mime_type,
                season=_check_optional_int(season, "season"),
            )
        )

    def extend_rss(self, rss_feed):
        channel = rss_feed[0]
        if self._guid:
            xml_elem(_tag("guid"), channel).text = self._guid
        if self._locked is not None:
            is_locked, owner = self._locked
            elem = xml_elem(_tag("locked"), channel)
            if owner:
                elem.attrib["owner"] = owner
            elem.text = "yes" if is_locked else "no"
        for url, text in self._funding:
            xml_elem(_tag("funding"), channel, url=url).text = text
        _append_persons(channel, self._persons)
        if self._medium:
            xml_elem(_tag("medium"), channel).text = self._medium
        if self._license:
            xml_elem(_tag("license"), channel).text = self._license
        if self._update_frequency:
            text, rrule, complete = self._update_frequency
            elem = xml_elem(_tag("updateFrequency"), channel)
            if complete:
                elem.attrib["complete"] = "true"
            if rrule:
                elem.attrib["rrule"] = rrule
            elem.text = text
        for text, purpose in self._txt:
            elem = xml_elem(_tag("txt"), channel)
            if purpose:
                elem.attrib["purpose"] = purpose
            elem.text = text
        for trailer in self._trailers:
            elem = xml_elem(_tag("trailer"), channel, pubdate=trailer.pubdate, url=trailer.url)
            if trailer.length is not None:
                elem.attrib["length"] = str(trailer.length)
            if trailer.mime_type:
                elem.attrib["type"] = trailer.mime_type
            if trailer.season is not None:
                elem.attrib["season"] = str(trailer.season)
            elem.text = trailer.title
        return rss_feed


class PodcastIndexEntryExtension(BaseEntryExtension):
    """Item-level ``podcast:`` tags: person, transcript, chapters, season, episode and
    alternateEnclosure."""

    def __init__(self):
        self._persons: list[_Person] = []
        self._transcripts: list[tuple[str, str, str]] = []
        self._chapters_url: str | None = None
        self._season: int | None = None
        self._episode: Decimal | None = None
        self._alternate_enclosures: list[_AlternateEnclosure] = []

    def extend_ns(self):
        return {"podcast": PODCAST_NS}

    def add_person(
        self, name: str, *, role: str = "host", group: str = "cast", img: str = "", href: str = ""
    ) -> None:
        """Add a ``podcast:person``; item persons replace the channel's in clients."""
        self._persons.append(_build_person(name, role, group, img, href))

    def add_transcript(self, url: str, *, mime_type: str = "text/vtt", language: str = "") -> None:
        """Add a ``podcast:transcript``; the language defaults to the channel's."""
        _require_url(url, "podcast:transcript")
        if mime_type not in TRANSCRIPT_TYPES:
            raise InvalidPodcastTagError(f"unknown podcast:transcript type: {mime_type!r}")
        self._transcripts.append((url, mime_type, language))

    def chapters(self, url: str) -> None:
        """Set ``podcast:chapters`` to a JSON chapters file (``application/json+chapters``)."""
        self._chapters_url = _require_url(url, "podcast:chapters")

    def season(self, number: int) -> None:
        """Set ``podcast:season`` (a positive integer)."""
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            raise InvalidPodcastTagError(f"podcast:season must be a positive integer: {number!r}")
        self._season = number

    def episode(self, number: int | str | Decimal) -> None:
        """Set ``podcast:episode``; unlike ``itunes:episode`` it may be a decimal (``12.5``)."""
        try:
            value = Decimal(str(number))
        except InvalidOperation:
            raise InvalidPodcastTagError(f"podcast:episode must be a number: {number!r}") from None
        if not value.is_finite() or value < 0:
            raise InvalidPodcastTagError(f"podcast:episode must be a number ≥ 0: {number!r}")
        self._episode = value

    def add_alternate_enclosure(
        self,
        mime_type: str,
        source_uris: list[str] | tuple[str, ...],
        *,
        length: int | None = None,
        bitrate: int | None = None,
        height: int | None = None,
        title: str = "",
        codecs: str = "",
        default: bool = False,
    ) -> None:
        """Add a ``podcast:alternateEnclosure`` with one ``podcast:source`` per URI;
        ``default`` marks the one that is the item's ``<enclosure>``."""
        if not mime_type:
            raise InvalidPodcastTagError("podcast:alternateEnclosure needs a type")
        if not source_uris or not all(source_uris):
            raise InvalidPodcastTagError("podcast:alternateEnclosure needs a source uri")
        if len(title) > ALTERNATE_TITLE_MAX_CHARS:
            raise InvalidPodcastTagError(
                f"podcast:alternateEnclosure title exceeds {ALTERNATE_TITLE_MAX_CHARS} "
                f"characters: {title!r}"
            )
        self._alternate_enclosures.append(
            _AlternateEnclosure(
                mime_type=mime_type,
                source_uris=tuple(source_uris),
                length=_check_optional_int(length, "length"),
                bitrate=_check_optional_int(bitrate, "bitrate"),
                height=_check_optional_int(height, "height"),
                title=title,
                codecs=codecs,
                default=default,
            )
        )

    def extend_rss(self, entry):
        _append_persons(entry, self._persons)
        for url, mime_type, language in self._transcripts:
            elem = xml_elem(_tag("transcript"), entry, url=url, type=mime_type)
            if language:
                elem.attrib["language"] = language
        if self._chapters_url:
            xml_elem(_tag("chapters"), entry, url=self._chapters_url, type=CHAPTERS_TYPE)
        if self._season is not None:
            xml_elem(_tag("season"), entry).text = str(self._season)
        if self._episode is not None:
            xml_elem(_tag("episode"), entry).text = _format_decimal(self._episode)
        for alternate in self._alternate_enclosures:
            elem = xml_elem(_tag("alternateEnclosure"), entry, type=alternate.mime_type)
            if alternate.length is not None:
                elem.attrib["length"] = str(alternate.length)
            if alternate.bitrate is not None:
                elem.attrib["bitrate"] = str(alternate.bitrate)
            if alternate.height is not None:
                elem.attrib["height"] = str(alternate.height)
            if alternate.title:
                elem.attrib["title"] = alternate.title
            if alternate.codecs:
                elem.attrib["codecs"] = alternate.codecs
            if alternate.default:
                elem.attrib["default"] = "true"
            for uri in alternate.source_uris:
                xml_elem(_tag("source"), elem, uri=uri)
        return entry


def _format_decimal(value: Decimal) -> str:
    # "12" rather than "12.0" or "1.2E+1".
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def register_podcastindex(fg) -> None:
    """Register the ``podcast:`` extension on a ``FeedGenerator`` for RSS output only.

    Register it before adding entries or after: feedgen attaches the entry extension to
    existing and future entries alike. Raises ``ImportError`` (feedgen's choice) when the
    extension is already registered.
    """
    fg.register_extension(
        EXTENSION_NAME,
        PodcastIndexExtension,
        PodcastIndexEntryExtension,
        atom=False,
        rss=True,
    )
