"""Pure builders for the podcast RSS feed and its JSON chapters.

Both take the plain data from ``feeds.types`` and return bytes. They never touch the
database, settings, translations or the network, and never read the clock: the same input
gives the same bytes, so a feed's ETag only changes when its data does.

The iTunes tags are written by our own small feedgen extension below rather than feedgen's
``podcast`` extension, which cannot write ``itunes:explicit`` as ``true``/``false`` (Apple's
only accepted values) and silently drops a channel image whose URL ends in ``.jpeg``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import urljoin, urlsplit

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem
from lxml import etree

from feeds.podcastindex import register_podcastindex
from feeds.types import FeedCategory, FeedChapter, FeedEpisode, FeedShow

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
ATOM_NS = "http://www.w3.org/2005/Atom"

GENERATOR = "Lernfunk"
DESCRIPTION_MAX_BYTES = 4000
CHAPTERS_VERSION = "1.2.0"
SHOW_TYPES = frozenset({"episodic", "serial"})
EPISODE_TYPES = frozenset({"full", "trailer", "bonus"})

# Characters XML 1.0 forbids; lxml refuses them, so one stray control character pasted into
# show notes would otherwise break the whole feed.
_XML_INVALID_CHARS = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class InvalidFeedDataError(ValueError):
    """The feed data breaks a rule that podcast directories enforce."""


# Told what was left out of a feed ("episode <guid>", "show person '<name>'") and why.
LeftOut = Callable[[str, ValueError], None]


# --- iTunes namespace ---------------------------------------------------------------------


def _itunes(name: str) -> str:
    return f"{{{ITUNES_NS}}}{name}"


def _explicit_text(explicit: bool) -> str:
    return "true" if explicit else "false"


class ItunesExtension(BaseExtension):
    """Channel-level ``itunes:`` tags as Apple documents them today."""

    def __init__(self):
        self.image_href = ""
        self.categories: tuple[FeedCategory, ...] = ()
        self.explicit: bool | None = None
        self.author = ""
        self.owner: tuple[str, str] | None = None
        self.show_type = ""
        self.subtitle = ""
        self.new_feed_url = ""
        self.complete = False
        self.block = False

    def extend_ns(self):
        return {"itunes": ITUNES_NS}

    def extend_rss(self, rss_feed):
        channel = rss_feed[0]
        if self.image_href:
            xml_elem(_itunes("image"), channel, href=self.image_href)
        parents: dict[str, etree._Element] = {}
        for category in self.categories:
            parent = parents.get(category.text)
            if parent is None:
                parent = xml_elem(_itunes("category"), channel, text=category.text)
                parents[category.text] = parent
            if category.subcategory:
                xml_elem(_itunes("category"), parent, text=category.subcategory)
        if self.explicit is not None:
            xml_elem(_itunes("explicit"), channel).text = _explicit_text(self.explicit)
        if self.author:
            xml_elem(_itunes("author"), channel).text = self.author
        if self.owner:
            name, email = self.owner
            owner = xml_elem(_itunes("owner"), channel)
            if name:
                xml_elem(_itunes("name"), owner).text = name
            if email:
                xml_elem(_itunes("email"), owner).text = email
        if self.show_type:
            xml_elem(_itunes("type"), channel).text = self.show_type
        if self.subtitle:
            xml_elem(_itunes("subtitle"), channel).text = self.subtitle
        if self.new_feed_url:
            xml_elem(_itunes("new-feed-url"), channel).text = self.new_feed_url
        if self.complete:
            # Apple: only "Yes" has an effect, so "no" is never written.
            xml_elem(_itunes("complete"), channel).text = "Yes"
        if self.block:
            # Like complete: only "Yes" blocks, so "No" is never written.
            xml_elem(_itunes("block"), channel).text = "Yes"
        return rss_feed


class ItunesEntryExtension(BaseEntryExtension):
    """Item-level ``itunes:`` tags."""

    def __init__(self):
        self.title = ""
        self.duration_seconds: int | None = None
        self.episode: int | None = None
        self.season: int | None = None
        self.episode_type = ""
        self.explicit: bool | None = None
        self.image_href = ""

    def extend_ns(self):
        return {"itunes": ITUNES_NS}

    def extend_rss(self, entry):
        if self.title:
            xml_elem(_itunes("title"), entry).text = self.title
        if self.duration_seconds is not None:
            xml_elem(_itunes("duration"), entry).text = str(self.duration_seconds)
        if self.episode is not None:
            xml_elem(_itunes("episode"), entry).text = str(self.episode)
        if self.season is not None:
            xml_elem(_itunes("season"), entry).text = str(self.season)
        if self.episode_type:
            xml_elem(_itunes("episodeType"), entry).text = self.episode_type
        if self.explicit is not None:
            xml_elem(_itunes("explicit"), entry).text = _explicit_text(self.explicit)
        if self.image_href:
            xml_elem(_itunes("image"), entry, href=self.image_href)
        return entry


# --- WebSub -------------------------------------------------------------------------------


class WebSubExtension(BaseExtension):
    """``<atom:link rel="hub">`` for each WebSub hub, right after the ``rel="self"`` link.

    feedgen writes only the self link of its Atom links into RSS (and makes the last link
    added the RSS ``<link>``), so hubs cannot go through ``fg.link()``."""

    def __init__(self):
        self.hubs: tuple[str, ...] = ()

    def extend_ns(self):
        return {"atom": ATOM_NS}

    def extend_rss(self, rss_feed):
        channel = rss_feed[0]
        anchor = channel.find(f"{{{ATOM_NS}}}link[@rel='self']")
        position = channel.index(anchor) + 1 if anchor is not None else len(channel)
        for offset, hub in enumerate(self.hubs):
            link = etree.Element(f"{{{ATOM_NS}}}link", href=hub, rel="hub")
            channel.insert(position + offset, link)
        return rss_feed


# --- helpers ------------------------------------------------------------------------------


def _clean(text: str) -> str:
    return _XML_INVALID_CHARS.sub("", text)


def _truncate_utf8(text: str, max_bytes: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= max_bytes:
        return text
    ellipsis = "…"
    budget = max_bytes - len(ellipsis.encode("utf-8"))
    # errors="ignore" drops the partial multi-byte character the cut may leave at the end.
    return encoded[:budget].decode("utf-8", errors="ignore").rstrip() + ellipsis


def _absolute(url: str, base_url: str) -> str:
    return urljoin(base_url, url) if url else ""


def _utc(value: datetime, what: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidFeedDataError(f"{what} must be timezone-aware: {value!r}")
    return value.astimezone(UTC)


def _positive_int_or_none(value: int | None, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidFeedDataError(f"{what} must be a positive integer: {value!r}")
    return value


def _check_show(show: FeedShow, base_url: str) -> None:
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidFeedDataError(f"base_url must be an absolute http(s) URL: {base_url!r}")
    for field in ("title", "link", "feed_url", "description", "language", "image_url"):
        if not getattr(show, field).strip():
            raise InvalidFeedDataError(f"the show needs a {field}")
    if show.show_type not in SHOW_TYPES:
        raise InvalidFeedDataError(f"unknown show type: {show.show_type!r}")


def _check_episode(show: FeedShow, episode: FeedEpisode) -> None:
    if not episode.guid:
        raise InvalidFeedDataError("episode guids must be unique and set: ''")
    if not episode.title.strip():
        raise InvalidFeedDataError(f"episode {episode.guid} has no title")
    if episode.episode_type not in EPISODE_TYPES:
        raise InvalidFeedDataError(
            f"episode {episode.guid} has an unknown type: {episode.episode_type!r}"
        )
    if show.show_type == "serial" and episode.episode_number is None:
        raise InvalidFeedDataError(
            f"a serial show needs an episode number on every episode: {episode.guid}"
        )
    _utc(episode.published, f"{episode.guid}.published")
    _utc(episode.updated, f"{episode.guid}.updated")
    enclosure = episode.enclosure
    length = enclosure.length
    if isinstance(length, bool) or not isinstance(length, int) or length < 1:
        raise InvalidFeedDataError(
            f"episode {episode.guid}: enclosure length must be the size in bytes: {length!r}"
        )
    if not enclosure.url or not enclosure.mime_type:
        raise InvalidFeedDataError(f"episode {episode.guid}: enclosure needs url and type")
    duration = episode.duration_seconds
    if isinstance(duration, bool) or not isinstance(duration, int) or duration < 0:
        raise InvalidFeedDataError(
            f"episode {episode.guid}: duration must be whole seconds: {duration!r}"
        )


def _valid_episodes(
    show: FeedShow, episodes: Sequence[FeedEpisode], left_out: LeftOut | None
) -> list[FeedEpisode]:
    """The episodes that pass ``_check_episode``, newest first; of two with the same guid the
    newer one stays."""
    checked = []
    for episode in episodes:
        try:
            _check_episode(show, episode)
        except InvalidFeedDataError as error:
            _leave_out(left_out, f"episode {episode.guid}", error)
        else:
            checked.append(episode)
    valid, seen = [], set()
    for episode in _newest_first(checked):
        if episode.guid in seen:
            error = InvalidFeedDataError(f"episode guids must be unique and set: {episode.guid!r}")
            _leave_out(left_out, f"episode {episode.guid}", error)
            continue
        seen.add(episode.guid)
        valid.append(episode)
    return valid


def _leave_out(left_out: LeftOut | None, what: str, error: ValueError) -> None:
    if left_out is None:
        raise error
    left_out(what, error)


def _newest_first(episodes: Sequence[FeedEpisode]) -> list[FeedEpisode]:
    # The guid breaks ties, so equal publication times cannot reorder items between builds.
    return sorted(
        episodes, key=lambda e: (_utc(e.published, f"{e.guid}.published"), e.guid), reverse=True
    )


# --- builders -----------------------------------------------------------------------------


def build_podcast_feed(
    show: FeedShow,
    episodes: Sequence[FeedEpisode],
    base_url: str,
    *,
    left_out: LeftOut | None = None,
) -> bytes:
    """Return the show's podcast RSS 2.0 feed as UTF-8 XML bytes.

    Items come newest published first whatever the input order, and ``lastBuildDate`` is the
    latest ``updated`` of the show and its items, so identical data gives identical bytes.
    Relative URLs are joined to ``base_url``. Each of ``show.websub_hubs`` is named in an
    ``<atom:link rel="hub">`` next to the ``rel="self"`` link. The channel description is cut
    to 4000 bytes on a character boundary; item summaries likewise.

    Never queries the database, reads settings or the clock, translates, or fetches anything.
    Raises ``InvalidFeedDataError`` (a ``ValueError``) for data directories would reject:
    naive datetimes, duplicate or missing guids, an enclosure without an exact byte length,
    a serial show with an unnumbered episode, unknown show or episode types, a relative
    ``base_url``; ``feeds.podcastindex.InvalidPodcastTagError`` (also a ``ValueError``) for
    values the Podcasting 2.0 namespace does not allow.

    With ``left_out`` given, an episode or a show person with such data is left out instead
    and ``left_out(what, error)`` is told; only errors of the show itself still raise.
    """
    _check_show(show, base_url)
    ordered = _valid_episodes(show, episodes, left_out)

    def absolute(url: str) -> str:
        return _absolute(url, base_url)

    fg = FeedGenerator()
    fg.register_extension("itunes", ItunesExtension, ItunesEntryExtension, atom=False)
    register_podcastindex(fg)
    fg.register_extension("websub", WebSubExtension, atom=False)

    title = _clean(show.title)
    link = absolute(show.link)
    image_url = absolute(show.image_url)
    fg.title(title)
    # feedgen's RSS <link> is the *last* link added, whatever its rel: self goes first.
    fg.link(href=absolute(show.feed_url), rel="self", type="application/rss+xml")
    fg.link(href=link, rel="alternate")
    fg.websub.hubs = tuple(absolute(hub) for hub in show.websub_hubs)
    fg.description(_truncate_utf8(_clean(show.description), DESCRIPTION_MAX_BYTES))
    fg.language(show.language)
    fg.generator(GENERATOR)
    if show.copyright:
        fg.copyright(_clean(show.copyright))
    fg.image(url=image_url, title=title, link=link)

    itunes: ItunesExtension = fg.itunes
    itunes.image_href = image_url
    itunes.categories = show.categories
    itunes.explicit = show.explicit
    itunes.author = _clean(show.author)
    if show.owner_name or show.owner_email:
        itunes.owner = (_clean(show.owner_name), show.owner_email)
    itunes.show_type = show.show_type
    itunes.subtitle = _clean(show.subtitle)
    itunes.new_feed_url = absolute(show.new_feed_url)
    itunes.complete = show.complete
    itunes.block = show.block

    podcast = fg.podcastindex
    if show.podcast_guid:
        podcast.guid(show.podcast_guid)
    podcast.locked(show.locked, owner=show.owner_email)
    for funding in show.funding:
        podcast.add_funding(absolute(funding.url), _clean(funding.text))
    for record in show.txt:
        podcast.add_txt(record.text, purpose=record.purpose)
    for person in show.persons:
        try:
            podcast.add_person(
                _clean(person.name),
                role=person.role,
                group=person.group,
                img=absolute(person.img),
                href=absolute(person.href),
            )
        except ValueError as error:
            _leave_out(left_out, f"show person {person.name!r}", error)
    podcast.medium(show.medium)
    if show.license:
        podcast.license(show.license)
    if show.update_frequency:
        podcast.update_frequency(
            _clean(show.update_frequency), rrule=show.update_rrule, complete=show.complete
        )

    included = []
    for episode in ordered:
        # feedgen prepends by default, which would reverse our sorted order.
        entry = fg.add_entry(order="append")
        try:
            _fill_entry(entry, episode, absolute)
        except ValueError as error:
            fg.remove_entry(entry)
            _leave_out(left_out, f"episode {episode.guid}", error)
        else:
            included.append(episode)
    for episode in included:
        if episode.episode_type == "trailer":
            podcast.add_trailer(
                _clean(episode.title),
                absolute(episode.enclosure.url),
                pubdate=format_datetime(_utc(episode.published, "published"), usegmt=True),
                length=episode.enclosure.length,
                mime_type=episode.enclosure.mime_type,
                season=episode.season_number,
            )

    updated = [_utc(show.updated, "show.updated")]
    updated += [_utc(e.updated, f"{e.guid}.updated") for e in included]
    fg.lastBuildDate(max(updated))
    if included:
        fg.pubDate(_utc(included[0].published, "published"))

    return fg.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)


def _fill_entry(entry, episode: FeedEpisode, absolute) -> None:
    title = _clean(episode.title)
    entry.guid(episode.guid, permalink=False)
    entry.title(title)
    entry.link(href=absolute(episode.link))
    entry.description(_truncate_utf8(_clean(episode.summary), DESCRIPTION_MAX_BYTES))
    if episode.content_html:
        html = _clean(episode.content_html)
        # A CDATA section cannot contain "]]>"; such notes are escaped instead.
        entry.content(html, type=None if "]]>" in html else "CDATA")
    enclosure = episode.enclosure
    entry.enclosure(
        url=absolute(enclosure.url), length=str(enclosure.length), type=enclosure.mime_type
    )
    entry.published(_utc(episode.published, f"{episode.guid}.published"))

    itunes: ItunesEntryExtension = entry.itunes
    itunes.title = title
    itunes.duration_seconds = episode.duration_seconds
    itunes.episode = _positive_int_or_none(episode.episode_number, "episode_number")
    itunes.season = _positive_int_or_none(episode.season_number, "season_number")
    itunes.episode_type = episode.episode_type
    itunes.explicit = episode.explicit
    itunes.image_href = absolute(episode.image_url)

    podcast = entry.podcastindex
    for person in episode.persons:
        podcast.add_person(
            _clean(person.name),
            role=person.role,
            group=person.group,
            img=absolute(person.img),
            href=absolute(person.href),
        )
    if episode.transcript_url:
        podcast.add_transcript(
            absolute(episode.transcript_url),
            mime_type="text/vtt",
            language=episode.transcript_language,
        )
    if episode.chapters_url:
        podcast.chapters(absolute(episode.chapters_url))
    if episode.season_number is not None:
        podcast.season(episode.season_number)
    if episode.episode_number is not None:
        podcast.episode(episode.episode_number)
    if episode.alternate_enclosures:
        # Apps that choose among the alternates see the enclosure itself as the default.
        podcast.add_alternate_enclosure(
            enclosure.mime_type,
            [absolute(enclosure.url)],
            length=enclosure.length,
            bitrate=enclosure.bitrate,
            height=enclosure.height,
            title=enclosure.title,
            codecs=enclosure.codecs,
            default=True,
        )
    for alternate in episode.alternate_enclosures:
        podcast.add_alternate_enclosure(
            alternate.mime_type,
            [absolute(alternate.url)],
            length=alternate.length,
            bitrate=alternate.bitrate,
            height=alternate.height,
            title=alternate.title,
            codecs=alternate.codecs,
        )


def _json_seconds(value: float) -> int | float:
    seconds = float(value)
    if not math.isfinite(seconds) or seconds < 0:
        raise InvalidFeedDataError(f"chapter start must be ≥ 0 seconds: {value!r}")
    seconds = round(seconds, 3)
    return int(seconds) if seconds.is_integer() else seconds


def build_chapters_json(
    chapters: Sequence[FeedChapter], *, title: str = "", podcast_name: str = "", base_url: str = ""
) -> bytes:
    """Return Podcasting 2.0 JSON chapters (version 1.2.0) as compact UTF-8 bytes.

    Chapters are sorted by start time (then title), start times rounded to milliseconds, and
    keys always come in the same order, so identical chapters give identical bytes. Relative
    ``url``/``img`` values are joined to ``base_url`` when one is given; empty ones are left
    out. Serve the result as ``application/json+chapters``.

    Never reads the database, settings or the network. Raises ``InvalidFeedDataError`` for a
    negative or non-finite start time.
    """
    items = []
    for chapter in sorted(chapters, key=lambda c: (float(c.start_seconds), c.title)):
        item: dict[str, object] = {
            "startTime": _json_seconds(chapter.start_seconds),
            "title": chapter.title,
        }
        if chapter.url:
            item["url"] = urljoin(base_url, chapter.url) if base_url else chapter.url
        if chapter.img:
            item["img"] = urljoin(base_url, chapter.img) if base_url else chapter.img
        items.append(item)
    document: dict[str, object] = {"version": CHAPTERS_VERSION}
    if title:
        document["title"] = title
    if podcast_name:
        document["podcastName"] = podcast_name
    document["chapters"] = items
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
