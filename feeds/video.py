"""Pure builder for the video podcast feed of the explainer videos (“Kurz erklärt”).

The feed is a podcast feed with ``podcast:medium`` ``video`` and MP4 enclosures, so it is
made by ``build_podcast_feed`` with the same checks and the same bytes-for-data guarantee.
What a video item adds are its captions, one ``podcast:transcript`` per language with
``rel="captions"`` (players show them as subtitles): ``FeedEpisode`` carries one transcript,
so the others are written into the built document here, by item guid.

Never queries the database, reads settings or the clock. Raises ``InvalidFeedDataError`` as
``build_podcast_feed`` does, and for a captions track of an unknown item.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from urllib.parse import urljoin

from lxml import etree

from .podcast import InvalidFeedDataError, LeftOut, build_podcast_feed
from .podcastindex import PODCAST_NS
from .types import FeedEpisode, FeedShow, FeedTranscript

VIDEO_MEDIUM = "video"


def build_video_feed(
    show: FeedShow,
    episodes: Sequence[FeedEpisode],
    base_url: str,
    captions: Mapping[str, Sequence[FeedTranscript]] | None = None,
    *,
    left_out: LeftOut | None = None,
) -> bytes:
    """Return the RSS bytes; ``captions`` maps an episode guid to its caption tracks.

    ``left_out`` works as in ``build_podcast_feed``; the captions of an item left out are
    dropped with it."""
    show = replace(show, medium=VIDEO_MEDIUM)
    xml = build_podcast_feed(show, episodes, base_url, left_out=left_out)
    if not captions:
        return xml
    root = etree.fromstring(xml)
    items = {item.findtext("guid"): item for item in root.iterfind("./channel/item")}
    for guid, tracks in captions.items():
        item = items.get(guid)
        if item is None:
            if left_out is not None:
                continue
            raise InvalidFeedDataError(f"captions for an item not in the feed: {guid!r}")
        for track in tracks:
            element = etree.SubElement(item, f"{{{PODCAST_NS}}}transcript")
            element.set("url", urljoin(base_url, track.url))
            element.set("type", track.mime_type)
            if track.language:
                element.set("language", track.language)
            if track.rel:
                element.set("rel", track.rel)
    etree.indent(root, space="  ")
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True)
