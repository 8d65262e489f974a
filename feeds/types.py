"""What a podcast feed is made of, as plain immutable data.

Selectors turn published pages and READY renditions into these objects; the pure builders in
``feeds.podcast`` turn them into bytes. Keeping the two apart means the builder can be tested
and benchmarked without a database, and a feed never triggers a query while it serialises.

URLs may be absolute (``https://…``) or site-relative (``/audio/…``); builders join relative
ones to the ``base_url`` they are given. Datetimes are timezone-aware.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class FeedEnclosure:
    url: str
    length: int  # exact size in bytes
    mime_type: str  # audio/mpeg, audio/mp4, video/mp4, …
    bitrate: int | None = None  # bits per second
    height: int | None = None  # video only
    title: str = ""  # ≤ 32 characters, for podcast:alternateEnclosure
    codecs: str = ""  # RFC 6381, e.g. "mp4a.40.2"


@dataclass(frozen=True)
class FeedPerson:
    name: str
    role: str = "host"  # Podcast Taxonomy role: host, guest, producer, …
    group: str = "cast"  # its taxonomy group: podcastindex.taxonomy_group(role)
    img: str = ""
    href: str = ""


@dataclass(frozen=True)
class FeedTxt:
    text: str  # ≤ 4,000 characters
    purpose: str = ""  # e.g. "applepodcastsverify"; ≤ 128 characters


@dataclass(frozen=True)
class FeedFunding:
    url: str
    text: str  # ≤ 128 characters


@dataclass(frozen=True)
class FeedCategory:
    """An Apple category (English, from Apple's list) with an optional subcategory."""

    text: str
    subcategory: str = ""


@dataclass(frozen=True)
class FeedChapter:
    start_seconds: float
    title: str
    url: str = ""
    img: str = ""


@dataclass(frozen=True)
class FeedTranscript:
    """A transcript or captions file of an item (``podcast:transcript``)."""

    url: str
    language: str = ""
    mime_type: str = "text/vtt"
    rel: str = ""  # "captions" for timed captions players may show as subtitles


@dataclass(frozen=True)
class FeedEpisode:
    guid: str  # stable, assigned once; emitted with isPermaLink="false"
    title: str
    link: str  # the episode page
    published: datetime
    updated: datetime
    summary: str  # plain text, ≤ 4000 bytes → <description>
    content_html: str  # show notes as HTML → <content:encoded>
    enclosure: FeedEnclosure
    duration_seconds: int
    explicit: bool = False
    episode_type: str = "full"  # full | trailer | bonus
    episode_number: int | None = None
    season_number: int | None = None
    image_url: str = ""
    persons: tuple[FeedPerson, ...] = ()
    transcript_url: str = ""  # WebVTT, served as text/vtt
    transcript_language: str = ""
    chapters_url: str = ""  # JSON chapters v1.2, served as application/json+chapters
    alternate_enclosures: tuple[FeedEnclosure, ...] = ()


@dataclass(frozen=True)
class FeedShow:
    title: str
    link: str  # the show page
    feed_url: str  # this feed's own URL (atom:link rel="self")
    description: str  # plain text, ≤ 4000 bytes
    language: str  # "de" or "en"
    image_url: str  # square JPEG/PNG, 1400–3000 px, URL ends in .jpg or .png
    owner_name: str
    owner_email: str
    author: str
    updated: datetime  # when the show's own data last changed
    podcast_guid: str
    subtitle: str = ""
    categories: tuple[FeedCategory, ...] = ()  # up to three; the first counts most
    explicit: bool = False
    show_type: str = "episodic"  # episodic | serial
    copyright: str = ""
    funding: tuple[FeedFunding, ...] = ()
    txt: tuple[FeedTxt, ...] = ()  # podcast:txt records (ownership tokens and the like)
    locked: bool = False
    new_feed_url: str = ""
    complete: bool = False
    persons: tuple[FeedPerson, ...] = ()
    medium: str = "podcast"
    block: bool = False  # itunes:block: directories stop listing the show
    license: str = ""  # SPDX slug as podcast:license wants it, e.g. "cc-by-4.0"
    update_frequency: str = ""  # podcast:updateFrequency's text, e.g. "Wöchentlich"
    update_rrule: str = ""  # its RFC 5545 rule, e.g. "FREQ=WEEKLY"
    websub_hubs: tuple[str, ...] = ()  # absolute hub URLs (atom:link rel="hub")
